import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A designer's proposal carries the diagram's forms (issue 14): each user task binds its form by
 * deployment, so the diagram and every form it names are proposed, approved and deployed together.
 * Each element is { name, content }, the form's file name and text as proposed.
 */
export class ProposalForms1732600000400 implements MigrationInterface {
  name = 'ProposalForms1732600000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deployment_proposal ADD COLUMN forms jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(forms) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deployment_proposal DROP COLUMN IF EXISTS forms');
  }
}
