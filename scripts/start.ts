/**
 * `npm start`: the whole system on this machine, with demo data. Builds the engine and the web app if needed,
 * finds or starts PostgreSQL, starts the engine, the server and the workers (restarted if they
 * crash), creates a few demo dossiers, and says where to open it. Ctrl-C stops everything.
 *
 * Stopping: the first SIGINT, SIGTERM or SIGHUP stops the system, and from then on nothing starts or
 * restarts. The engine, the server and the workers run in process groups of their own, so Ctrl-C
 * reaches this supervisor alone, which stops them in order: workers and server first (they finish
 * what they were doing and report it to the engine), then the engine, then a private PostgreSQL. It
 * exits only once no process it started is left. `--skip-ui-build` leaves ui/dist as it is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, loadEnvFile } from '../config/index.ts';
import { poolEnv, poolSizes } from '../config/connection-budget.ts';
import { buildEngine, localEnginePassword, startEngine, stopProcess, type EngineHandle } from './engine.ts';
import { buildUiIfStale } from './ui-build.ts';
import { ensureDatabase, freeConnections, portOpen, resolvePostgres, withDatabase, type PostgresServer } from '../store/postgres.ts';
import { DEMO_PASSWORD } from '../store/seed.ts';
import { createDemoDossiers } from './demo-data.ts';
import { waitForHttp } from './lib/ports.ts';
import { childrenOf } from './lib/processes.ts';

const root = path.resolve(import.meta.dirname, '..');
const log = (msg: string) => console.log(`[start] ${msg}`);
/** A path as the user would type it: relative inside the project, whole outside it. */
const shown = (p: string) => (path.relative(root, p).startsWith('..') ? p : path.relative(root, p));
const argv = process.argv.slice(2);
const args = new Set(argv);

/** `--engines 2` or `--engines=2`: how many of a kind to run (1 when not given). */
function countArg(name: string, max: number): number {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return 1;
  const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} takes a number from 1 to ${max}, got "${raw ?? ''}"`);
  return n;
}

/** Set once, by the first signal or a failure: from then on nothing starts or restarts. */
let stopping = false;
const stopped = new AbortController();

/** Ends the start-up at its next step once the system is stopping. */
class Stopping extends Error {}
function checkNotStopping(): void {
  if (stopping) throw new Stopping('stopping');
}

type Managed = { name: string; child: ChildProcess | null; restartTimer: NodeJS.Timeout | null; graceMs: number };

function spawnTsx(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  checkNotStopping();
  const out = fs.openSync(logFile, 'a');
  // Detached: a process group of its own, out of reach of the terminal's Ctrl-C (see above). The
  // IPC channel closes when this supervisor goes away, however it goes, and the child then stops.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', out, out, 'ipc'], detached: true });
  fs.closeSync(out);
  child.on('error', (err) => log(`${name}: ${err.message}`));
  log(`${name} started (pid ${child.pid}, log ${shown(logFile)})`);
  return child;
}

/** Keeps a process running: a crash is logged and the process restarted after a short pause, unless the system is stopping. */
function supervise(name: string, graceMs: number, start: () => ChildProcess): Managed {
  const m: Managed = { name, child: null, restartTimer: null, graceMs };
  let restarts = 0;
  const launch = () => {
    m.restartTimer = null;
    // A child that exits while the system stops is never restarted, whatever its exit code.
    if (stopping) return;
    const child = start();
    m.child = child;
    child.on('exit', (code, signal) => {
      if (stopping) {
        log(`${name} exited (${signal ?? code})`);
        return;
      }
      restarts++;
      log(`${name} exited (${signal ?? code}); restarting (${restarts})`);
      m.restartTimer = setTimeout(launch, Math.min(5000, 500 * restarts));
    });
  };
  launch();
  return m;
}

async function stopManaged(m: Managed): Promise<void> {
  if (m.restartTimer) clearTimeout(m.restartTimer);
  m.restartTimer = null;
  if (m.child) await stopProcess(m.child, m.graceMs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the start-up has given up and no child process is left, whoever spawned it (our code,
 * Maven, PostgreSQL's launcher): each gets SIGTERM, then SIGKILL if it is still there after `graceMs`.
 */
async function waitForNoChildren(startup: Promise<unknown>, graceMs: number): Promise<void> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  startup.then(done, done);
  const signalled = new Map<number, number>();
  const giveUpOnStartup = Date.now() + 60_000;
  for (;;) {
    const children = childrenOf(process.pid);
    if (children.length === 0 && (settled || Date.now() > giveUpOnStartup)) return;
    for (const c of children) {
      const since = signalled.get(c.pid);
      try {
        if (since === undefined) {
          log(`stopping ${c.command} (pid ${c.pid})`);
          process.kill(c.pid, 'SIGTERM');
          signalled.set(c.pid, Date.now());
        } else if (Date.now() - since > graceMs) {
          log(`${c.command} (pid ${c.pid}) did not stop within ${graceMs / 1000} s: killing it`);
          process.kill(c.pid, 'SIGKILL');
          signalled.set(c.pid, Infinity);
        }
      } catch {
        // gone meanwhile
      }
    }
    await sleep(100);
  }
}

async function main(): Promise<void> {
  let pg: PostgresServer | null = null;
  const engines: EngineHandle[] = [];
  const managed: Managed[] = [];
  let startup: Promise<void> = Promise.resolve();
  let exiting: Promise<void> | null = null;
  let stopBegan = 0;
  const stop = (code: number, why: string): Promise<void> => {
    if (exiting) return exiting;
    stopping = true;
    stopBegan = Date.now();
    stopped.abort();
    log(`${why}: stopping (workers and server first, then the engine)…`);
    exiting = (async () => {
      await Promise.all(managed.map(stopManaged));
      if (engines.length > 0) {
        log(engines.length > 1 ? `stopping the ${engines.length} engine nodes` : 'stopping the engine');
        await Promise.all(engines.map((e) => e.stop()));
      }
      if (pg) await pg.stop();
      await waitForNoChildren(startup, 15_000);
      log('stopped: no process left');
      process.exit(code);
    })();
    return exiting;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // The same Ctrl-C also reaches us relayed by npm and tsx: only a later one is worth a line.
      if (!stopping) void stop(0, signal);
      else if (Date.now() - stopBegan > 1000) log(`${signal}: already stopping; waiting for ${childrenOf(process.pid).length} processes`);
    });
  }

  startup = (async () => {
    const settings = loadEnvFile(root);
    if (settings.file) {
      const wins = settings.fromEnvironment.length ? `; the environment wins for ${settings.fromEnvironment.join(', ')}` : '';
      const n = settings.fromFile.length;
      log(`settings: ${shown(settings.file)} (${n} variable${n === 1 ? '' : 's'}) and the environment${wins}`);
    } else {
      log('settings: the environment only (no .env file)');
    }
    const config = loadConfig();
    // Never admin/admin: without ENGINE_PASSWORD the engine gets a random one kept under the data directory.
    const enginePassword = config.engine.password === 'admin' ? localEnginePassword(path.resolve(root, config.dataDir)) : config.engine.password;
    const logs = path.join(path.resolve(root, config.dataDir), 'logs');
    fs.mkdirSync(logs, { recursive: true });

    await buildEngine(log);
    checkNotStopping();
    if (args.has('--skip-ui-build')) log('web app: not built (--skip-ui-build)');
    else await buildUiIfStale(log);
    checkNotStopping();
    pg = await resolvePostgres({ databaseUrl: config.databaseUrl, dataDir: path.resolve(root, config.dataDir), log });
    checkNotStopping();
    log(`PostgreSQL: ${pg.origin}`);
    const businessDb = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) || 'hosotrinh' : 'hosotrinh';
    await ensureDatabase(pg.serverUrl, businessDb);
    const databaseUrl = config.databaseUrl ?? withDatabase(pg.serverUrl, businessDb);
    // The engine's own database: ENGINE_DATABASE_URL, else ENGINE_DB_NAME next to ours.
    const engineDatabaseUrl = config.engine.databaseUrl ?? withDatabase(pg.serverUrl, config.engine.databaseName);
    if (!config.engine.databaseUrl) await ensureDatabase(pg.serverUrl, config.engine.databaseName);

    const engineCount = countArg('--engines', 4);
    const serverCount = countArg('--servers', 4);
    // Every process's pool shares the server's max_connections: what is free is divided here, so scaling out never runs into "too many clients".
    const pools = poolSizes((await freeConnections(pg.serverUrl)).free, { engines: engineCount, servers: serverCount, workerProcesses: 1 });
    // A pool the operator sized himself stays as he set it.
    const unlessSet = (vars: Record<string, string>) => Object.fromEntries(Object.entries(vars).filter(([k]) => !process.env[k]));
    const poolVars = { server: unlessSet(poolEnv(pools).server), workers: unlessSet(poolEnv(pools).workers) };
    log(`connections: engine ${pools.engine} per node, server ${pools.server} + ${pools.serverEngineReader} per process, workers ${pools.worker}; ${pools.total} at most`);
    const enginePorts = Array.from({ length: engineCount }, (_, k) => config.engine.port + k);
    for (const port of enginePorts) if (await portOpen(port)) throw new Error(`port ${port} is taken: set ENGINE_PORT to a free port (--engines ${engineCount} uses ${enginePorts.join(', ')})`);
    if (await portOpen(config.server.port, config.server.host)) throw new Error(`port ${config.server.port} is taken: set PORT to a free port`);
    checkNotStopping();
    // One after the other: the first creates the engine's tables, the others find them.
    for (const [k, port] of enginePorts.entries()) {
      const name = engineCount > 1 ? `engine node ${k + 1}` : 'engine';
      const logFile = path.join(logs, engineCount > 1 ? `engine-${k + 1}.log` : 'engine.log');
      const startNode = async (): Promise<EngineHandle> => {
        const started = Date.now();
        log(`starting the ${name} on port ${port}…`);
        const handle = await startEngine({
          port,
          bind: config.engine.bind,
          databaseUrl: engineDatabaseUrl,
          user: config.engine.user,
          password: enginePassword,
          logFile,
          webapps: config.engine.webapps,
          dbPool: process.env.ENGINE_DB_POOL ? undefined : pools.engine,
          detached: true,
        });
        log(`${name} ready at ${handle.restUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        handle.process.on('exit', (code, signal) => {
          if (stopping) return;
          log(`${name} exited (${signal ?? code}); see ${shown(logFile)}`);
          // One node of several: the others carry on while it is started again.
          if (engineCount > 1) {
            setTimeout(() => {
              if (stopping) return;
              startNode().then(
                (again) => engines.splice(engines.indexOf(handle), 1, again),
                (err: unknown) => log(`${name}: ${(err as Error).message}`),
              );
            }, 2000);
          } else void stop(1, 'the engine exited');
        });
        return handle;
      };
      engines.push(await startNode());
      checkNotStopping();
    }
    const engineUrls = engines.map((e) => e.restUrl);
    checkNotStopping();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: config.mode,
      DATABASE_URL: databaseUrl,
      ENGINE_URL: undefined,
      ENGINE_URLS: engineUrls.join(','),
      ENGINE_USER: config.engine.user,
      ENGINE_PASSWORD: enginePassword,
      ENGINE_DATABASE_URL: engineDatabaseUrl,
      SEED_DEMO: String(config.seedDemo),
    };
    // Beyond their own bounded drains (server/main.ts, workers/index.ts), SIGKILL is the last resort.
    // Several server processes share the port through Node's cluster module (server/cluster.ts).
    const serverEntry = serverCount > 1 ? 'server/cluster.ts' : 'server/main.ts';
    const serverEnv = { ...env, ...poolVars.server, ...(serverCount > 1 ? { SERVER_PROCESSES: String(serverCount) } : {}) };
    managed.push(supervise(serverCount > 1 ? `server (${serverCount} processes)` : 'server', 30_000, () => spawnTsx('server', serverEntry, serverEnv, path.join(logs, 'server.log'))));
    const baseUrl = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}`;
    await waitForHttp(`${baseUrl}/health`, 120_000, stopped.signal);
    checkNotStopping();
    const workersGraceMs = config.worker.asyncResponseTimeoutMs + config.worker.lockDurationMs;
    managed.push(supervise('workers', workersGraceMs, () => spawnTsx('workers', 'workers/index.ts', { ...env, ...poolVars.workers }, path.join(logs, 'workers.log'))));

    if (config.seedDemo) {
      const created = await createDemoDossiers(baseUrl, log);
      checkNotStopping();
      if (created > 0) log(`${created} demo dossiers created`);
    }
    console.log(`
  Hồ sơ trình UBND tỉnh is running.
    Open            ${baseUrl}/
    Demo users      sct.chuyenvien, sct.giamdoc, stc.chuyenvien, vp.chuyenvien, vp.theodoi, ubnd.chutich, thietke, admin …
    Password        ${config.seedDemo ? DEMO_PASSWORD : '(your own users)'}
    Engine REST     ${engineUrls.join(', ')} (127.0.0.1 only; basic auth)
    Engine apps     ${config.engine.webapps ? `http://127.0.0.1:${config.engine.port}/operaton/app/cockpit/default/ (${config.engine.user})` : 'off (ENGINE_WEBAPPS=true to turn them on)'}
    Logs            ${shown(logs)}/
  Press Ctrl-C to stop everything.
`);
  })();
  try {
    await startup;
  } catch (err) {
    // Once stopping, a step that fails because its process was stopped is no news.
    if (stopping) return;
    console.error(`[start] ${(err as Error).message}`);
    await stop(1, 'start-up failed');
  }
}

void main();
