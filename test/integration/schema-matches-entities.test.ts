/**
 * The migrations are the schema's truth and the entities (store/entities/) describe it to typeorm:
 * after migrating a fresh database, typeorm's own schema diff against the entities must be empty.
 * A column, default, key, check or index added to one and not the other fails here.
 */
import { randomBytes } from 'node:crypto';
import { inject, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/data-source.ts';
import { dropDatabase, ensureDatabase, withDatabase } from '../../store/postgres.ts';

describe('the entities and the migrations', () => {
  it('should agree: typeorm finds nothing to change in a freshly migrated database', async () => {
    const serverUrl = inject('pgServerUrl');
    const name = `hst_schema_${randomBytes(5).toString('hex')}`;
    await ensureDatabase(serverUrl, name);
    const ds = await openDatabase(withDatabase(serverUrl, name), { poolSize: 2 });
    try {
      const { upQueries } = await ds.driver.createSchemaBuilder().log();
      expect(upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await dropDatabase(serverUrl, name);
    }
  });
});
