import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Warnings the rules raise are kept, not only computed: on the dossier (the latest intake
 * check's), R-14 on the opinion that departed from the agency's earlier position.
 */
export class RuleWarnings1732600000220 implements MigrationInterface {
  name = 'RuleWarnings1732600000220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossier ADD COLUMN rule_warnings jsonb NOT NULL DEFAULT '[]'::jsonb;
      ALTER TABLE opinion ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE opinion DROP COLUMN warnings;
      ALTER TABLE dossier DROP COLUMN rule_warnings;
    `);
  }
}
