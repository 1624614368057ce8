import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of a document within a dossier: a new submission document supersedes the current one
 * instead of sitting beside it, so R-17 and signing read the current version while the history
 * stays. The locked-document trigger (…021) leaves these two columns free to change.
 */
export class DocumentVersions1732600000030 implements MigrationInterface {
  name = 'DocumentVersions1732600000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE document ADD COLUMN superseded_at timestamptz, ADD COLUMN superseded_by uuid REFERENCES document(id);
      CREATE INDEX document_current ON document(dossier_id, role) WHERE superseded_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS document_current;
      ALTER TABLE document DROP COLUMN IF EXISTS superseded_by, DROP COLUMN IF EXISTS superseded_at;
    `);
  }
}
