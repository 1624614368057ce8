import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the dossier list needs at volume (measured by npm run bench): an agency sees the
 * dossiers it leads, is consulted on or appraises, so the visibility predicate ORs three columns;
 * with these the count and the page become bitmap scans instead of a scan of the whole table.
 */
export class ListIndexes1732600000010 implements MigrationInterface {
  name = 'ListIndexes1732600000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX IF NOT EXISTS dossier_consulted_agencies ON dossier USING gin (consulted_agency_codes);
      CREATE INDEX IF NOT EXISTS dossier_appraiser ON dossier(appraiser_agency_code) WHERE appraiser_agency_code IS NOT NULL;
      CREATE INDEX IF NOT EXISTS dossier_created_id ON dossier(created_at DESC, id DESC);
      CREATE INDEX IF NOT EXISTS dossier_overdue_created ON dossier(created_at DESC) WHERE overdue;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS dossier_consulted_agencies;
      DROP INDEX IF EXISTS dossier_appraiser;
      DROP INDEX IF EXISTS dossier_created_id;
      DROP INDEX IF EXISTS dossier_overdue_created;
    `);
  }
}
