import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on a deployment: a designer's new version waits here, with its XML and its difference
 * from the deployed version, until a second person approves it (only then is it deployed) or
 * rejects it. The proposer can never be the one who decides.
 */
export class DeploymentProposals1732600000110 implements MigrationInterface {
  name = 'DeploymentProposals1732600000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployment_proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        file_name text NOT NULL,
        process_keys text[] NOT NULL,
        xml text NOT NULL,
        base_definition_id text,
        diff jsonb NOT NULL,
        status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED')),
        proposed_by text NOT NULL REFERENCES app_user(id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by text REFERENCES app_user(id),
        decided_at timestamptz,
        reason text,
        deployment_id text,
        CHECK (decided_by IS NULL OR decided_by <> proposed_by),
        CHECK ((status = 'PROPOSED') = (decided_by IS NULL))
      );
      CREATE INDEX deployment_proposal_open ON deployment_proposal(proposed_at) WHERE status = 'PROPOSED';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS deployment_proposal');
  }
}
