/** Worker process entry: wiring only. */
import { loadConfig } from '../config/index.ts';
import { loadPolicy, refreshPolicy } from '../config/policy.ts';
import { openDatabase } from '../store/data-source.ts';
import { businessDatabaseUrl } from '../store/urls.ts';
import { startWorkers } from './start.ts';
import { consoleLogger } from '../platform/log.ts';
import { serveMetrics } from '../platform/observability/metrics-server.ts';
import { workerMetrics } from '../platform/observability/metrics.ts';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = consoleLogger('workers', config.observability.logLevel);
  const ds = await openDatabase(businessDatabaseUrl(config), { applicationName: 'ho-so-trinh-workers', poolSize: config.databasePoolSize ?? config.worker.maxTasks });
  // The calendar from the database, read again every few minutes: an administrator's change reaches new deadlines.
  const policy = await loadPolicy(ds);
  refreshPolicy(policy, log);
  const workers = startWorkers({ config, policy, ds, log });
  if (config.observability.workerMetricsPort !== null) {
    const { registry } = workerMetrics();
    const { metricsHost: host, workerMetricsPort: port } = config.observability;
    (await serveMetrics({ host, port, source: async () => ({ contentType: registry.contentType, text: await registry.metrics() }), log })).unref();
  }
  log.info(`workers ${workers.workerId} polling ${config.engine.restUrls.join(', ')}`);
  // Let the handlers already running finish, so their tasks are reported rather than left locked;
  // half the lock duration bounds the wait, so a handler that overruns it loses no more than its lock.
  const drainMs = Math.min(Math.max(15_000, config.worker.asyncResponseTimeoutMs + 5_000), Math.floor(config.worker.lockDurationMs / 2));
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${why}: stopping: no new polls; waiting at most ${drainMs} ms for the poll in flight and the handlers running`);
    void workers
      .drain(drainMs)
      .then(({ unfinished }) => {
        if (unfinished > 0) log.warn(`${unfinished} handlers still running after ${drainMs} ms: their tasks go back to the engine when their locks expire`);
        else log.info('stopped: every task fetched was reported or given back');
      })
      .then(() => ds.destroy())
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
