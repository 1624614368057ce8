import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free-text search of the dossier list (`ILIKE '%…%'` on id and subject) was the slowest query at
 * 100,000 dossiers (a full scan, measured by npm run bench): trigram indexes make it an index scan.
 * Where pg_trgm cannot be installed (no rights), the search still works, as a scan.
 */
export class TextSearch1732600000031 implements MigrationInterface {
  name = 'TextSearch1732600000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS dossier_id_trgm ON dossier USING gin (id gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS dossier_subject_trgm ON dossier USING gin (subject gin_trgm_ops) WHERE secrecy_level = 'NONE';
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%): free-text search of dossiers stays a scan', SQLERRM;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS dossier_subject_trgm; DROP INDEX IF EXISTS dossier_id_trgm;');
  }
}
