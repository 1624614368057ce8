/** Worker process entry: wiring only. */
import { loadConfig } from '../config/index.ts';
import { loadPolicy } from '../config/policy.ts';
import { openDatabase } from '../store/data-source.ts';
import { businessDatabaseUrl } from '../store/urls.ts';
import { startWorkers } from './start.ts';
import { consoleLogger } from '../server/log.ts';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = consoleLogger('workers');
  const ds = await openDatabase(businessDatabaseUrl(config), { applicationName: 'ho-so-trinh-workers', poolSize: config.worker.maxTasks });
  const workers = startWorkers({ config, policy: loadPolicy(config), ds, log });
  log.info(`workers ${workers.workerId} polling ${config.engine.restUrl}`);
  // Let the handlers already running finish, so their tasks are reported rather than left locked.
  const shutdown = () => {
    void workers
      .drain(10_000)
      .then(() => ds.destroy())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
