import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who takes part in a dossier (lead, consulted, appraiser agencies), one row per agency, kept by a
 * trigger. An agency's staff see exactly these dossiers (domain/access.ts); their list used to test
 * `lead = $1 OR $1 = ANY(consulted) OR appraiser = $1` row by row, and with a status filter the
 * planner walked the creation-date index past 10,000 newer dossiers of another status (10 ms at
 * 100,000 dossiers, npm run bench). Here each agency's dossiers are in index order, by status too.
 */
export class DossierParties1732600000033 implements MigrationInterface {
  name = 'DossierParties1732600000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_party (
        agency_code text NOT NULL,
        dossier_id text NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
        status text NOT NULL,
        overdue boolean NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (agency_code, dossier_id)
      );
      CREATE INDEX dossier_party_created ON dossier_party (agency_code, created_at DESC, dossier_id DESC);
      CREATE INDEX dossier_party_status_created ON dossier_party (agency_code, status, created_at DESC, dossier_id DESC);
      CREATE INDEX dossier_party_overdue_created ON dossier_party (agency_code, created_at DESC, dossier_id DESC) WHERE overdue;
      CREATE INDEX dossier_party_dossier ON dossier_party (dossier_id);

      CREATE FUNCTION dossier_party_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM dossier_party WHERE dossier_id = NEW.id;
        INSERT INTO dossier_party (agency_code, dossier_id, status, overdue, created_at)
          SELECT DISTINCT a, NEW.id, NEW.status, NEW.overdue, NEW.created_at
          FROM unnest(ARRAY[NEW.lead_agency_code] || NEW.consulted_agency_codes || ARRAY[NEW.appraiser_agency_code]) AS a
          WHERE a IS NOT NULL;
        RETURN NEW;
      END $$;
      CREATE TRIGGER dossier_party_on_insert AFTER INSERT ON dossier FOR EACH ROW EXECUTE FUNCTION dossier_party_sync();
      CREATE TRIGGER dossier_party_on_update AFTER UPDATE OF lead_agency_code, consulted_agency_codes, appraiser_agency_code, status, overdue, created_at ON dossier
        FOR EACH ROW EXECUTE FUNCTION dossier_party_sync();

      INSERT INTO dossier_party (agency_code, dossier_id, status, overdue, created_at)
        SELECT DISTINCT a, d.id, d.status, d.overdue, d.created_at
        FROM dossier d CROSS JOIN LATERAL unnest(ARRAY[d.lead_agency_code] || d.consulted_agency_codes || ARRAY[d.appraiser_agency_code]) AS a
        WHERE a IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS dossier_party_on_update ON dossier;
      DROP TRIGGER IF EXISTS dossier_party_on_insert ON dossier;
      DROP FUNCTION IF EXISTS dossier_party_sync();
      DROP TABLE IF EXISTS dossier_party;
    `);
  }
}
