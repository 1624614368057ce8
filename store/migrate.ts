/** `npm run migrate`: applies pending migrations to DATABASE_URL (the server also does it at start). */
import { loadConfig } from '../config/index.ts';
import { openDatabase } from './data-source.ts';
import { businessDatabaseUrl } from './urls.ts';

async function run(): Promise<void> {
  const ds = await openDatabase(businessDatabaseUrl(loadConfig()), { poolSize: 2 });
  const applied = (await ds.query('SELECT name FROM schema_migration ORDER BY id')) as { name: string }[];
  console.log(`schema up to date: ${applied.map((m) => m.name).join(', ')}`);
  await ds.destroy();
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
