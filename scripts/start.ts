/**
 * `npm start`: the whole system on this machine, with demo data. Builds the engine and the web app if needed,
 * finds or starts PostgreSQL, starts the engine, the server and the workers (restarted if they
 * crash), creates a few demo dossiers, and says where to open it. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/index.ts';
import { buildEngine, startEngine, stopProcess, type EngineHandle } from './engine.ts';
import { buildUiIfStale } from './ui-build.ts';
import { ensureDatabase, portOpen, resolvePostgres, withDatabase, type PostgresServer } from '../store/postgres.ts';
import { DEMO_PASSWORD } from '../store/seed.ts';
import { createDemoDossiers } from './demo-data.ts';
import { waitForHttp } from './lib/ports.ts';

const root = path.resolve(import.meta.dirname, '..');
const log = (msg: string) => console.log(`[start] ${msg}`);

type Managed = { name: string; child: ChildProcess | null; stopping: boolean };

function spawnTsx(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', out, out] });
  log(`${name} started (pid ${child.pid}, log ${path.relative(root, logFile)})`);
  return child;
}

/** Keeps a process running: a crash is logged and the process restarted after a short pause. */
function supervise(name: string, start: () => ChildProcess): Managed {
  const m: Managed = { name, child: null, stopping: false };
  let restarts = 0;
  const launch = () => {
    m.child = start();
    m.child.on('exit', (code, signal) => {
      if (m.stopping) return;
      restarts++;
      log(`${name} exited (${signal ?? code}); restarting (${restarts})`);
      setTimeout(launch, Math.min(5000, 500 * restarts));
    });
  };
  launch();
  return m;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logs = path.join(root, config.dataDir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  let pg: PostgresServer | null = null;
  let engine: EngineHandle | null = null;
  const managed: Managed[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('stopping…');
    for (const m of managed) {
      m.stopping = true;
      if (m.child) await stopProcess(m.child, 5000);
    }
    if (engine) await engine.stop();
    if (pg) await pg.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    await buildEngine(log);
    await buildUiIfStale(log);
    pg = await resolvePostgres({ databaseUrl: config.databaseUrl, dataDir: path.join(root, config.dataDir), log });
    log(`PostgreSQL: ${pg.origin}`);
    const businessDb = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) || 'hosotrinh' : 'hosotrinh';
    await ensureDatabase(pg.serverUrl, businessDb);
    const databaseUrl = config.databaseUrl ?? withDatabase(pg.serverUrl, businessDb);
    // The engine's own database: ENGINE_DATABASE_URL, else ENGINE_DB_NAME next to ours.
    const engineDatabaseUrl = config.engine.databaseUrl ?? withDatabase(pg.serverUrl, config.engine.databaseName);
    if (!config.engine.databaseUrl) await ensureDatabase(pg.serverUrl, config.engine.databaseName);

    if (await portOpen(config.engine.port)) throw new Error(`port ${config.engine.port} is taken: set ENGINE_PORT to a free port`);
    if (await portOpen(config.server.port, config.server.host)) throw new Error(`port ${config.server.port} is taken: set PORT to a free port`);
    const started = Date.now();
    engine = await startEngine({
      port: config.engine.port,
      bind: config.engine.bind,
      databaseUrl: engineDatabaseUrl,
      user: config.engine.user,
      password: config.engine.password,
      logFile: path.join(logs, 'engine.log'),
    });
    log(`engine ready at ${engine.restUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    engine.process.on('exit', (code) => {
      if (!shuttingDown) {
        log(`engine exited (${code}); see ${path.join(logs, 'engine.log')}`);
        void shutdown(1);
      }
    });

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: config.mode,
      DATABASE_URL: databaseUrl,
      ENGINE_URL: engine.restUrl,
      ENGINE_USER: config.engine.user,
      ENGINE_PASSWORD: config.engine.password,
      ENGINE_DATABASE_URL: engineDatabaseUrl,
      SEED_DEMO: String(config.seedDemo),
    };
    managed.push(supervise('server', () => spawnTsx('server', 'server/main.ts', env, path.join(logs, 'server.log'))));
    const baseUrl = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}`;
    await waitForHttp(`${baseUrl}/health`, 120_000);
    managed.push(supervise('workers', () => spawnTsx('workers', 'workers/index.ts', env, path.join(logs, 'workers.log'))));

    if (config.seedDemo) {
      const created = await createDemoDossiers(baseUrl, log);
      if (created > 0) log(`${created} demo dossiers created`);
    }
    console.log(`
  Hồ sơ trình UBND tỉnh is running.
    Open            ${baseUrl}/
    Demo users      sct.chuyenvien, sct.giamdoc, stc.chuyenvien, vp.chuyenvien, vp.theodoi, ubnd.chutich, thietke, admin …
    Password        ${config.seedDemo ? DEMO_PASSWORD : '(your own users)'}
    Engine REST     ${engine.restUrl} (127.0.0.1 only; basic auth)
    Engine apps     http://127.0.0.1:${config.engine.port}/operaton/app/cockpit/default/ (${config.engine.user})
    Logs            ${path.relative(root, logs)}/
  Press Ctrl-C to stop everything.
`);
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
