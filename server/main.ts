/** Server process entry: wiring only. */
import { loadConfig } from '../config/index.ts';
import { loadPolicy } from '../config/policy.ts';
import { openDatabase } from '../store/data-source.ts';
import { businessDatabaseUrl, engineDatabaseUrl } from '../store/urls.ts';
import { seedOrganisation } from '../store/seed.ts';
import { EngineClient } from './engine/client.ts';
import { EngineReadModel } from './engine/read-model.ts';
import { FormKeys } from './engine/form-keys.ts';
import { deployProcesses } from './deploy.ts';
import { createApp } from './app.ts';
import { EventHub } from './events.ts';
import { consoleLogger } from './log.ts';
import { startPendingDossiers } from './dossiers/reconcile.ts';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = consoleLogger('server');
  const ds = await openDatabase(businessDatabaseUrl(config), { applicationName: 'ho-so-trinh-server', poolSize: 20 });
  if (config.seedDemo) {
    const { users } = await seedOrganisation(ds);
    log.info(`demo organisation ready (${users} users)`);
  }
  const engine = new EngineClient({ baseUrl: config.engine.restUrl, user: config.engine.user, password: config.engine.password });
  const deployed = await deployProcesses(engine);
  log.info(`processes deployed: ${deployed.join(', ') || 'unchanged'}`);
  const engineDb = new EngineReadModel(engineDatabaseUrl(config), { applicationName: 'ho-so-trinh-server-engine-reader' });
  await engineDb.ensureIndexes(log);
  if (await engineDb.autovacuumOff().catch(() => false)) {
    log.warn('the engine database runs without autovacuum: its tables get no statistics and its variable lookups slow down as instances pile up; turn autovacuum on (or ANALYZE regularly)');
  }
  const deps = { config, policy: loadPolicy(config), ds, engine, engineDb, formKeys: new FormKeys(engine), log, events: new EventHub() };
  const app = createApp(deps);
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
  const shutdown = () => {
    clearInterval(reconciler);
    server.close();
    void Promise.allSettled([ds.destroy(), engineDb.close()]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
