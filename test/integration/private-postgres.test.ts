import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, resolvePostgres, withDatabase } from '../../store/postgres.ts';
import { openDatabase } from '../../store/data-source.ts';
import { freePort } from '../../scripts/lib/ports.ts';

describe('the private PostgreSQL default', () => {
  it('should start a private server under the data folder and serve our migrated schema when no server is given', async () => {
    // given an empty data folder (traversable by the postgres user when we run as root)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hst-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = await freePort();

    // when we ask for a server without DATABASE_URL and without the local one
    const pg = await resolvePostgres({ databaseUrl: null, dataDir: dir, forcePrivate: true, privatePort: port });
    try {
      expect(pg.origin).toBe('private');
      expect(fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'))).toBe(true);
      await ensureDatabase(pg.serverUrl, 'hosotrinh');
      const ds = await openDatabase(withDatabase(pg.serverUrl, 'hosotrinh'), { poolSize: 2 });
      try {
        // then migrations ran and the server answers
        const tables = (await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('dossier', 'audit_event', 'user_session')`)) as { n: number }[];
        expect(tables[0]!.n).toBe(3);
        const version = (await ds.query('SHOW server_version')) as { server_version: string }[];
        expect(version[0]!.server_version).toMatch(/^\d+/);
      } finally {
        await ds.destroy();
      }
    } finally {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
