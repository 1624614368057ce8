/**
 * `npm start` stops on Ctrl-C whatever it is doing, and leaves nothing behind: the test runs the real
 * `npm start` (supervisor, engine, server, workers) on free ports, with databases and a data folder of
 * its own and a .env file, sends SIGINT to its whole process group (what a terminal's Ctrl-C does) at
 * several moments, and then looks at the operating system and at the engine's database: no process
 * of the run is left, and no external task stays locked to a worker that is gone.
 *
 * The three runs share their databases (the second and third start on what the first left), so the
 * engine's schema is created once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, withDatabase } from '../../store/postgres.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { descendantsOf, listProcesses, type ProcessInfo } from '../../scripts/lib/processes.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { validDossierInput } from '../support/dossiers.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const suffix = randomBytes(4).toString('hex');
const businessDb = `hst_start_${suffix}`;
const engineDbName = `hst_start_engine_${suffix}`;
/** Lock duration of the run's workers; retries come back within a few seconds (WORKER_RETRY_TIMEOUT_MS below). */
const LOCK_MS = 30_000;
const RETRY_SLACK_MS = 5_000;
/** A run starts a real engine (one to two minutes of a busy 2-core machine), then stops it all. */
const RUN_TIMEOUT_MS = 420_000;

let dir: string;
let engineDb: pg.Pool;
const runs: Run[] = [];

type Run = {
  npm: ChildProcess;
  output: string[];
  /** Every process seen below npm during the run, by pid and start time (a reused pid is another process). */
  seen: Map<string, ProcessInfo>;
  exited: Promise<void>;
  waitFor(pattern: RegExp, timeoutMs: number, after?: number): Promise<{ match: RegExpMatchArray; index: number }>;
};

/** The environment of a run: the developer's own settings for this app never leak in. */
function runEnv(ports: { engine: number; server: number }): NodeJS.ProcessEnv {
  const ours = new Set(
    [...fs.readFileSync(path.join(root, '.env.example'), 'utf8').matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!ours.has(k) && !k.startsWith('VITEST') && !k.startsWith('npm_')) env[k] = v;
  return {
    ...env,
    NODE_ENV: 'development',
    DATA_DIR: path.join(dir, 'data'),
    ENV_FILE: path.join(dir, 'settings.env'),
    DATABASE_URL: withDatabase(inject('pgServerUrl'), businessDb),
    ENGINE_DB_NAME: engineDbName,
    ENGINE_PORT: String(ports.engine),
    ENGINE_PASSWORD: randomBytes(12).toString('hex'),
    PORT: String(ports.server),
  };
}

async function startSupervisor(): Promise<Run> {
  const ports = { engine: await freePort(), server: await freePort() };
  // detached: npm leads a process group of its own, as a terminal's foreground job does.
  const npm = spawn('npm', ['start', '--', '--skip-ui-build'], { cwd: root, env: runEnv(ports), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
  npm.stdout!.on('data', collect);
  npm.stderr!.on('data', collect);
  const seen = new Map<string, ProcessInfo>();
  const look = () => {
    for (const p of descendantsOf(npm.pid!)) seen.set(`${p.pid}:${p.start}`, p);
  };
  const watcher = setInterval(look, 150);
  const exited = new Promise<void>((resolve) =>
    npm.once('exit', () => {
      clearInterval(watcher);
      resolve();
    }),
  );
  const run: Run = {
    npm,
    output,
    seen,
    exited,
    async waitFor(pattern, timeoutMs, after = 0) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (let i = after; i < output.length; i++) {
          const match = output[i]!.match(pattern);
          if (match) return { match, index: i };
        }
        if (npm.exitCode !== null || npm.signalCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`);
    },
  };
  runs.push(run);
  return run;
}

/** Ctrl-C: SIGINT to the whole process group; resolves once npm has exited. */
async function interrupt(run: Run): Promise<Date> {
  const at = new Date();
  process.kill(-run.npm.pid!, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`npm start still running 120 s after SIGINT; output:\n${run.output.join('\n')}`)), 120_000);
  });
  await Promise.race([run.exited, timeout]).finally(() => clearTimeout(timer));
  return at;
}

/** Processes of the run still alive: any seen below npm (same pid, same start), or any in npm's process group. */
function leftovers(run: Run): string[] {
  return listProcesses()
    .filter((p) => (run.seen.has(`${p.pid}:${p.start}`) || p.pgid === run.npm.pid) && !p.state.startsWith('Z'))
    .map((p) => `${p.pid} ${p.command}`);
}

/** UTC without a zone, as the engine (run in UTC) stores its timestamps. */
const engineTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * External tasks that stay locked to a worker although the run is over. A task a worker reported
 * a failure for is held back for a few seconds (its retry time-out), never for a whole lock duration:
 * anything locked beyond the signal plus that slack was fetched and then abandoned.
 */
async function abandonedLocks(signalledAt: Date, exceptWorkerPid?: number): Promise<string[]> {
  const { rows } = await engineDb.query<{ id_: string; topic_name_: string; worker_id_: string; lock_exp_time_: Date }>(
    'SELECT id_, topic_name_, worker_id_, lock_exp_time_ FROM act_ru_ext_task WHERE lock_exp_time_ > $1::timestamp',
    [engineTime(new Date(signalledAt.getTime() + RETRY_SLACK_MS))],
  );
  return rows.filter((r) => exceptWorkerPid === undefined || !r.worker_id_.includes(`-${exceptWorkerPid}-`)).map((r) => `${r.topic_name_} ${r.id_} locked by ${r.worker_id_}`);
}

/** External tasks locked to a worker right now (not ones held back after a failure). */
async function lockedNow(): Promise<number> {
  const { rows } = await engineDb.query<{ n: string }>(
    "SELECT count(*) AS n FROM act_ru_ext_task WHERE lock_exp_time_ > (now() AT TIME ZONE 'utc') AND error_msg_ IS NULL",
  );
  return Number(rows[0]!.n);
}

async function tableExists(): Promise<boolean> {
  const { rows } = await engineDb.query("SELECT to_regclass('act_ru_ext_task') IS NOT NULL AS ok");
  return rows[0]!.ok as boolean;
}

function logOf(name: string): string {
  return fs.readFileSync(path.join(dir, 'data', 'logs', `${name}.log`), 'utf8');
}

describe('npm start and Ctrl-C', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hst-start-'));
    // The run's .env: PORT here must lose to the environment's, or the server could not listen.
    fs.writeFileSync(
      path.join(dir, 'settings.env'),
      `WORKER_LOCK_DURATION_MS=${LOCK_MS}\nWORKER_RETRY_TIMEOUT_MS=500\nWORKER_ASYNC_RESPONSE_TIMEOUT_MS=3000\nPORT=1\n`,
    );
    engineDb = new pg.Pool({ connectionString: withDatabase(inject('pgServerUrl'), engineDbName), max: 2 });
  });

  afterAll(async () => {
    // A failed run must not leave its processes to the next test file.
    for (const run of runs) {
      for (const p of listProcesses()) {
        if (!run.seen.has(`${p.pid}:${p.start}`) && p.pgid !== run.npm.pid) continue;
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    await engineDb?.end();
    await dropDatabase(inject('pgServerUrl'), businessDb).catch(() => {});
    await dropDatabase(inject('pgServerUrl'), engineDbName).catch(() => {});
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should leave no process and no locked task when Ctrl-C comes while the workers handle tasks', async () => {
    // Given npm start, up, with the workers on the demo dossiers (and ours, should the demo end first)
    const run = await startSupervisor();
    await run.waitFor(/\[start\] workers started \(pid \d+/, 240_000);
    let client: ApiClient | null = null;
    let created = 0;
    const deadline = Date.now() + 120_000;
    while (!(await tableExists()) || (await lockedNow()) === 0) {
      if (Date.now() > deadline) throw new Error('no external task was ever locked');
      const banner = run.output.findIndex((l) => l.includes('is running'));
      if (banner >= 0 && created < 20) {
        const port = run.output.join('\n').match(/Open\s+http:\/\/127\.0\.0\.1:(\d+)/)![1];
        client ??= await new ApiClient(`http://127.0.0.1:${port}`).login('sct.chuyenvien', DEMO_PASSWORD);
        await client.post('/api/dossiers', validDossierInput({ subject: `Kế hoạch thử dừng hệ thống ${created++}` }));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    client?.close();

    // When Ctrl-C comes while a task is locked to a worker
    const at = await interrupt(run);

    // Then nothing of the run is left, nothing was restarted, and every task was reported or given back
    expect(leftovers(run)).toEqual([]);
    const text = run.output.join('\n');
    expect(text).toContain('[start] SIGINT: stopping');
    expect(text).toContain('[start] stopped: no process left');
    expect(text).not.toMatch(/restarting/);
    expect(await abandonedLocks(at)).toEqual([]);
    expect(logOf('workers')).toContain('stopped: every task fetched was reported or given back');
    expect(logOf('server')).toMatch(/"msg":"stopped"|\bstopped\b/);
    // And the .env file was read, with the environment winning where both set a variable
    expect(text).toMatch(new RegExp(`\\[start\\] settings: ${path.join(dir, 'settings.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(3 variables\\) and the environment; the environment wins for PORT`));
  }, RUN_TIMEOUT_MS);

  it('should leave no process when Ctrl-C comes right after the supervisor restarted a killed worker', async () => {
    // Given npm start on what the first run left, with its workers killed (kill -9)
    const run = await startSupervisor();
    const first = await run.waitFor(/\[start\] workers started \(pid (\d+)/, 240_000);
    const killed = Number(first.match[1]);
    await new Promise((r) => setTimeout(r, 2000));
    process.kill(killed, 'SIGKILL');
    await run.waitFor(/\[start\] workers exited \(SIGKILL\); restarting \(1\)/, 30_000, first.index + 1);
    const restarted = await run.waitFor(/\[start\] workers started \(pid (\d+)/, 30_000, first.index + 1);

    // When Ctrl-C comes just after the restart
    const at = await interrupt(run);

    // Then the new worker is gone with the rest, and it was not restarted again
    expect(leftovers(run)).toEqual([]);
    expect(listProcesses().some((p) => p.pid === Number(restarted.match[1]) && !p.state.startsWith('Z'))).toBe(false);
    const text = run.output.join('\n');
    expect(text).toContain('[start] stopped: no process left');
    expect(text).not.toMatch(/restarting \(2\)/);
    // (what the killed worker held stays locked until its lock expires: that is kill -9, not the stop)
    expect(await abandonedLocks(at, killed)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('should leave no process when Ctrl-C comes while the engine starts', async () => {
    // Given npm start with the engine's JVM running but not yet ready
    const run = await startSupervisor();
    const starting = await run.waitFor(/\[start\] starting the engine on port/, 120_000);
    const deadline = Date.now() + 30_000;
    while (![...run.seen.values()].some((p) => p.command === 'java')) {
      if (Date.now() > deadline) throw new Error('the engine never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run.output.slice(starting.index).join('\n')).not.toContain('engine ready');

    // When Ctrl-C comes
    await interrupt(run);

    // Then the engine is stopped with the rest, and nothing started after the signal
    expect(leftovers(run)).toEqual([]);
    const text = run.output.join('\n');
    expect(text).toContain('[start] stopped: no process left');
    expect(text).not.toContain('server started');
  }, RUN_TIMEOUT_MS);
});
