import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per user task completed through our API: a double submit or a retry after the engine
 * failed sends the recorded variables again instead of applying the form twice.
 */
export class TaskCompletion1732600000022 implements MigrationInterface {
  name = 'TaskCompletion1732600000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task_completion (
        task_id text PRIMARY KEY,
        form_key text NOT NULL,
        dossier_id text REFERENCES dossier(id),
        completed_by text NOT NULL REFERENCES app_user(id),
        variables jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX task_completion_dossier ON task_completion(dossier_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS task_completion');
  }
}
