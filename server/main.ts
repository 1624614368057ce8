/** Server process entry: wiring only. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '../config/index.ts';
import { loadPolicy, refreshPolicy } from '../config/policy.ts';
import { openDatabase } from '../store/data-source.ts';
import { businessDatabaseUrl, engineDatabaseUrl } from '../store/urls.ts';
import { seedOrganisation } from '../store/seed.ts';
import { EngineClient } from '../platform/engine/client.ts';
import { EngineReadModel } from '../store/engine-read-model.ts';
import { TaskForms } from './engine/task-forms.ts';
import { deployProcesses } from '../platform/engine/deploy.ts';
import { createApp } from './app.ts';
import { EventHub } from './events.ts';
import { consoleLogger } from '../platform/log.ts';
import { serveMetrics } from '../platform/observability/metrics-server.ts';
import { serverMetricsText } from './observability/http.ts';
import { startPendingDossiers } from './dossiers/reconcile.ts';
import { FULL_POOLS } from '../config/connection-budget.ts';

/** How long requests in progress may take to finish once the server stops. */
const DRAIN_MS = 10_000;

async function run(): Promise<void> {
  const config = loadConfig();
  const log = consoleLogger('server', config.observability.logLevel);
  const ds = await openDatabase(businessDatabaseUrl(config), { applicationName: 'ho-so-trinh-server', poolSize: config.databasePoolSize ?? FULL_POOLS.server });
  if (config.seedDemo) {
    const { users } = await seedOrganisation(ds);
    log.info(`demo organisation ready (${users} users)`);
  }
  const engine = new EngineClient({ baseUrl: config.engine.restUrls, user: config.engine.user, password: config.engine.password });
  const deployed = await deployProcesses(engine);
  log.info(`processes deployed: ${deployed.join(', ') || 'unchanged'}`);
  const engineDb = new EngineReadModel(engineDatabaseUrl(config), { applicationName: 'ho-so-trinh-server-engine-reader', poolSize: config.engine.readerPoolSize });
  await engineDb.ensureIndexes(log);
  if (await engineDb.autovacuumOff().catch(() => false)) {
    log.warn('the engine database runs without autovacuum: its tables get no statistics and its variable lookups slow down as instances pile up; turn autovacuum on (or ANALYZE regularly)');
  }
  // The calendar from the database; this server reads it again on its own change, and every few minutes for the others'.
  const policy = await loadPolicy(ds);
  refreshPolicy(policy, log);
  const deps = { config, policy, ds, engine, engineDb, taskForms: new TaskForms(engine), log, events: new EventHub() };
  const app = createApp(deps);
  if (config.observability.serverMetricsPort !== null) {
    const { metricsHost: host, serverMetricsPort: port } = config.observability;
    (await serveMetrics({ host, port, source: () => serverMetricsText(deps), log })).unref();
  }
  const reconcile = () =>
    startPendingDossiers(deps).then(
      (n) => n > 0 && log.info(`started ${n} dossiers stored while the engine was away`),
      (err: unknown) => log.warn(`reconciliation: ${(err as Error).message}`),
    );
  void reconcile();
  const reconciler = setInterval(() => void reconcile(), 60_000);
  const server = app.listen(config.server.port, config.server.host, () => {
    log.info(`listening on http://${config.server.host}:${config.server.port}`);
  });
  // Responses in progress: the ones to wait for, and the live streams (server-sent events) to end.
  const open = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(reconciler);
    const streams = [...open].filter((res) => String(res.getHeader('content-type') ?? '').startsWith('text/event-stream'));
    log.info(`${why}: stopping: no new connections; ${open.size - streams.length} requests to finish (at most ${DRAIN_MS} ms), ${streams.length} live streams closed`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Browsers reconnect a closed stream by themselves, to whichever server answers next.
    for (const res of streams) res.end();
    // Kept-alive connections with no request in progress are closed as soon as they are idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    void Promise.race([closed.then(() => true), late.then(() => false)])
      .then((drained) => {
        clearInterval(idle);
        clearTimeout(timer);
        if (!drained) {
          log.warn(`${open.size} requests still running after ${DRAIN_MS} ms: their connections are closed`);
          server.closeAllConnections();
        }
        return Promise.allSettled([ds.destroy(), engineDb.close()]);
      })
      .then(() => log.info('stopped'))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by `npm start`'s supervisor: never outlive it.
  if (process.send) process.on('disconnect', () => shutdown('supervisor gone'));
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
