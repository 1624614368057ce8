/**
 * Per-file integration environment: a fresh business database (migrated and seeded), the real
 * server listening on a free port, and the real workers, all against the shared real engine.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../config/index.ts';
import { loadPolicy, type Policy } from '../../config/policy.ts';
import { openDatabase } from '../../store/data-source.ts';
import { dropDatabase, ensureDatabase, withDatabase } from '../../store/postgres.ts';
import { seedOrganisation, DEMO_PASSWORD } from '../../store/seed.ts';
import { EngineClient, EngineError } from '../../platform/engine/client.ts';
import { EngineReadModel } from '../../store/engine-read-model.ts';
import { TaskForms } from '../../server/engine/task-forms.ts';
import type { ServerDeps } from '../../server/deps.ts';
import { createApp } from '../../server/app.ts';
import { deployProcesses } from '../../platform/engine/deploy.ts';
import { EventHub } from '../../server/events.ts';
import { memoryLogger } from '../../platform/log.ts';
import { startWorkers, type RunningWorkers } from '../../workers/start.ts';
import type { WorkerDefinition } from '../../workers/runtime/run-worker.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';

export type TestEnv = {
  config: Config;
  ds: DataSource;
  engine: EngineClient;
  engineDb: EngineReadModel;
  /** What the test's server was built with. */
  deps: ServerDeps;
  baseUrl: string;
  log: ReturnType<typeof memoryLogger>;
  workers: RunningWorkers | null;
  as(username: string): Promise<ApiClient>;
  startWorkers(defs?: readonly WorkerDefinition[]): RunningWorkers;
  close(): Promise<void>;
};

export async function createTestEnv(opts: { workers?: boolean; policy?: Policy; now?: () => Date } = {}): Promise<TestEnv> {
  const pgServerUrl = inject('pgServerUrl');
  const dbName = `hst_test_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(pgServerUrl, dbName);
  const dbUrl = withDatabase(pgServerUrl, dbName);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    ENGINE_URL: inject('engineRestUrl'),
    ENGINE_USER: inject('engineUser'),
    ENGINE_PASSWORD: inject('enginePassword'),
    ENGINE_DATABASE_URL: inject('engineDatabaseUrl'),
    WORKER_ASYNC_RESPONSE_TIMEOUT_MS: '2000',
    WORKER_RETRY_TIMEOUT_MS: '200',
    WORKER_LOCK_DURATION_MS: '10000',
  });
  const ds = await openDatabase(dbUrl, { poolSize: 8 });
  await seedOrganisation(ds);
  const engine = new EngineClient({ baseUrl: config.engine.restUrl, user: config.engine.user, password: config.engine.password });
  await deployProcesses(engine);
  const log = memoryLogger();
  // The calendar from the database, as the server and the workers read it (store/calendar.ts).
  const policy = opts.policy ?? (await loadPolicy(ds));
  const engineDb = new EngineReadModel(inject('engineDatabaseUrl'), { poolSize: 4 });
  const deps: ServerDeps = { config, policy, ds, engine, engineDb, taskForms: new TaskForms(engine), log, events: new EventHub(), now: opts.now };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const running: RunningWorkers[] = [];
  const env: TestEnv = {
    config,
    ds,
    engine,
    engineDb,
    deps,
    baseUrl,
    log,
    workers: null,
    as: (username) => new ApiClient(baseUrl).login(username, DEMO_PASSWORD),
    startWorkers(defs) {
      const w = startWorkers({ config, policy, ds, log, workers: defs, now: opts.now });
      running.push(w);
      return w;
    },
    async close() {
      // Drained, not just stopped: a long poll still open at the engine would otherwise lock the
      // next file's first task to workers that are gone, for a whole lock duration.
      const drained = Promise.all(running.map((w) => w.drain(5_000)));
      // Server errors (5xx) and worker failures say why a test failed: show them.
      for (const line of log.lines.filter((l) => l.startsWith('ERROR'))) console.error(line.slice(0, 1000));
      // Leave no running instance behind for the next file's workers.
      const ids = (await ds.query(
        'SELECT process_instance_id FROM dossier WHERE process_instance_id IS NOT NULL UNION SELECT process_instance_id FROM incoming_document WHERE process_instance_id IS NOT NULL',
      )) as { process_instance_id: string }[];
      // Dossier numbers start again in every file's database: an instance left running here would be
      // taken by the next file's dossier of the same number. A delete that loses a race is tried again.
      for (const { process_instance_id } of ids) {
        for (let attempt = 0; attempt < 5; attempt++) {
          const gone = await engine
            .request('DELETE', `/process-instance/${process_instance_id}`, undefined, { skipCustomListeners: true, skipIoMappings: true })
            .then(() => true)
            .catch((err: unknown) => err instanceof EngineError && err.status === 404);
          if (gone) break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      await drained;
      await new Promise((r) => server.close(() => r(null)));
      server.closeAllConnections?.();
      await ds.destroy();
      await engineDb.close();
      await dropDatabase(pgServerUrl, dbName).catch(() => {});
    },
  };
  if (opts.workers !== false) env.workers = env.startWorkers();
  return env;
}

/** Polls until `fn` returns a value (not undefined/false), or fails with the last state. */
export async function eventually<T>(fn: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
