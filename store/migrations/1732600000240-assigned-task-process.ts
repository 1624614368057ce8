import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * a task UBND assigns is followed by its own process (processes/nhiem-vu-duoc-giao.bpmn):
 * the UBND document it comes from, its deadline in working days and reminder, the overdue state and
 * its escalation, the agency's progress reports and how it was completed (by a dossier or a report).
 * refused out-of-authority submissions are recorded, so they can be counted per head.
 */
export class AssignedTaskProcess1732600000240 implements MigrationInterface {
  name = 'AssignedTaskProcess1732600000240';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE assigned_task
        ADD COLUMN source_date date,
        ADD COLUMN working_days integer CHECK (working_days IS NULL OR working_days BETWEEN 1 AND 365),
        ADD COLUMN reminder_at timestamptz,
        ADD COLUMN reminded_at timestamptz,
        ADD COLUMN overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN overdue_at timestamptz,
        ADD COLUMN registered_by text REFERENCES app_user(id),
        ADD COLUMN accountable_user_id text REFERENCES app_user(id),
        ADD COLUMN process_instance_id text UNIQUE,
        ADD COLUMN completion_kind text CHECK (completion_kind IN ('DOSSIER', 'REPORT')),
        ADD COLUMN completed_by_dossier_id text REFERENCES dossier(id),
        ADD COLUMN completion_report text,
        ADD COLUMN completed_by text REFERENCES app_user(id);
      UPDATE assigned_task SET status = 'OPEN' WHERE status NOT IN ('OPEN', 'DONE', 'DONE_LATE');
      ALTER TABLE assigned_task ADD CONSTRAINT assigned_task_status CHECK (status IN ('OPEN', 'DONE', 'DONE_LATE'));
      ALTER TABLE assigned_task ADD CONSTRAINT assigned_task_completion CHECK ((completed_at IS NULL) = (status = 'OPEN'));
      -- One registration per UBND document, agency and content: a double click creates no twin.
      CREATE UNIQUE INDEX assigned_task_registration ON assigned_task (source_ref, assignee_agency_code, md5(content));
      CREATE INDEX assigned_task_agency_due ON assigned_task (assignee_agency_code, due_at);
      CREATE INDEX assigned_task_created ON assigned_task (created_at);
      CREATE INDEX dossier_assigned_task ON dossier (assigned_task_id) WHERE assigned_task_id IS NOT NULL;

      CREATE TABLE assigned_task_progress (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assigned_task_id uuid NOT NULL REFERENCES assigned_task(id),
        agency_code text NOT NULL REFERENCES agency(code),
        reported_by text NOT NULL REFERENCES app_user(id),
        content text NOT NULL,
        percent integer CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
        reported_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX assigned_task_progress_task ON assigned_task_progress (assigned_task_id, reported_at);

      CREATE TABLE out_of_authority_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_code text NOT NULL REFERENCES agency(code),
        accountable_user_id text REFERENCES app_user(id),
        actor_user_id text NOT NULL REFERENCES app_user(id),
        matter_category text NOT NULL,
        decision_authority text NOT NULL,
        codes text[] NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX out_of_authority_attempt_at ON out_of_authority_attempt (at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE out_of_authority_attempt;
      DROP TABLE assigned_task_progress;
      DROP INDEX dossier_assigned_task;
      DROP INDEX assigned_task_created;
      DROP INDEX assigned_task_agency_due;
      DROP INDEX assigned_task_registration;
      ALTER TABLE assigned_task DROP CONSTRAINT assigned_task_completion;
      ALTER TABLE assigned_task DROP CONSTRAINT assigned_task_status;
      ALTER TABLE assigned_task
        DROP COLUMN source_date, DROP COLUMN working_days, DROP COLUMN reminder_at, DROP COLUMN reminded_at,
        DROP COLUMN overdue, DROP COLUMN overdue_at, DROP COLUMN registered_by, DROP COLUMN accountable_user_id,
        DROP COLUMN process_instance_id, DROP COLUMN completion_kind, DROP COLUMN completed_by_dossier_id,
        DROP COLUMN completion_report, DROP COLUMN completed_by;
    `);
  }
}
