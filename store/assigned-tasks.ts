/**
 * Tasks UBND tỉnh or its Chairman assigned to an agency: the one owner of
 * `assigned_task`.
 */
import type { DataSource } from 'typeorm';
import type { AssignedTask } from './entities/organisation.ts';
import { recordAudit } from './audit.ts';

export type AssignedTaskInput = Pick<AssignedTask, 'sourceRef' | 'assignedBy' | 'assignedByName' | 'assigneeAgencyCode' | 'toUbndMemberHead' | 'content' | 'dueAt'>;

/**
 * Records an assignment and its audit event (`details` as the request gave them); null when the
 * assignee agency does not exist.
 */
export async function createAssignedTask(
  ds: DataSource,
  input: AssignedTaskInput,
  audit: { userId: string; role: string; details: Record<string, unknown> },
): Promise<string | null> {
  const rows = (await ds.query(
    `INSERT INTO assigned_task (source_ref, assigned_by, assigned_by_name, assignee_agency_code, to_ubnd_member_head, content, due_at)
     SELECT $1,$2,$3,$4,$5,$6,$7 WHERE EXISTS (SELECT 1 FROM agency WHERE code = $4) RETURNING id`,
    [input.sourceRef, input.assignedBy, input.assignedByName, input.assigneeAgencyCode, input.toUbndMemberHead, input.content, input.dueAt],
  )) as { id: string }[];
  const id = rows[0]?.id;
  if (!id) return null;
  await recordAudit(ds.manager, { dossierId: null, action: 'TASK_ASSIGNED', actorUserId: audit.userId, actorRole: audit.role, ruleId: 'R-22', details: { id, ...audit.details } });
  return id;
}

/** An assignment as the Office's list shows it (the API's field names). */
export type AssignedTaskRow = {
  id: string;
  source_ref: string;
  assigned_by: AssignedTask['assignedBy'];
  assigned_by_name: string;
  assignee_agency_code: string;
  to_ubnd_member_head: boolean;
  content: string;
  due_at: Date;
  status: AssignedTask['status'];
  completed_at: Date | null;
  /** Still open after its deadline, at `now`. */
  overdue: boolean;
};

/** Up to 500 assignments by deadline: all of them, or one agency's. */
export async function listAssignedTasks(ds: DataSource, scope: { all: boolean; agencyCode: string }, now: Date): Promise<AssignedTaskRow[]> {
  return (await ds.query(
    `SELECT id, source_ref, assigned_by, assigned_by_name, assignee_agency_code, to_ubnd_member_head, content, due_at, status, completed_at,
       (completed_at IS NULL AND due_at < $3) AS overdue
     FROM assigned_task WHERE $1 OR assignee_agency_code = $2 ORDER BY due_at LIMIT 500`,
    [scope.all, scope.agencyCode, now],
  )) as AssignedTaskRow[];
}
