/**
 * Tasks UBND tỉnh or its Chairman assigned to an agency: the one owner of
 * `assigned_task` and its progress reports. Registration with its deadline,
 * reminder and overdue marks, the agency's progress reports, the dossier that carries a task out,
 * and completion, whose on-time status the R-22 rule decides (domain/assigned-task.ts).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { completionStatus, type AssignedTask, type Assigner, type CompletionKind } from '../domain/assigned-task.ts';

type Db = DataSource | EntityManager;

const COLUMNS = `t.id, t.source_ref, t.source_date::text AS source_date, t.assigned_by, t.assigned_by_name, t.assignee_agency_code,
  t.to_ubnd_member_head, t.content, t.working_days, t.due_at, t.reminder_at, t.reminded_at, t.overdue, t.overdue_at, t.status,
  t.completed_at, t.completion_kind, t.completed_by_dossier_id, t.completion_report, t.accountable_user_id, t.process_instance_id, t.created_at`;

type Row = {
  id: string;
  source_ref: string;
  source_date: string | null;
  assigned_by: Assigner;
  assigned_by_name: string;
  assignee_agency_code: string;
  to_ubnd_member_head: boolean;
  content: string;
  working_days: number | null;
  due_at: Date;
  reminder_at: Date | null;
  reminded_at: Date | null;
  overdue: boolean;
  overdue_at: Date | null;
  status: AssignedTask['status'];
  completed_at: Date | null;
  completion_kind: CompletionKind | null;
  completed_by_dossier_id: string | null;
  completion_report: string | null;
  accountable_user_id: string | null;
  process_instance_id: string | null;
  created_at: Date;
};

function toTask(r: Row): AssignedTask {
  return {
    id: r.id,
    sourceRef: r.source_ref,
    sourceDate: r.source_date,
    assignedBy: r.assigned_by,
    assignedByName: r.assigned_by_name,
    assigneeAgencyCode: r.assignee_agency_code,
    toUbndMemberHead: r.to_ubnd_member_head,
    content: r.content,
    workingDays: r.working_days,
    dueAt: r.due_at,
    reminderAt: r.reminder_at,
    remindedAt: r.reminded_at,
    overdue: r.overdue,
    overdueAt: r.overdue_at,
    status: r.status,
    completedAt: r.completed_at,
    completionKind: r.completion_kind,
    completedByDossierId: r.completed_by_dossier_id,
    completionReport: r.completion_report,
    accountableUserId: r.accountable_user_id,
    processInstanceId: r.process_instance_id,
    createdAt: r.created_at,
  };
}

export async function loadAssignedTask(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<AssignedTask | null> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM assigned_task t WHERE t.id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id])) as Row[];
  return rows[0] ? toTask(rows[0]) : null;
}

export type AssigneeAgency = { code: string; name: string; headUserId: string | null; headIsUbndMember: boolean };

export async function assigneeAgency(db: Db, code: string): Promise<AssigneeAgency | null> {
  const rows = (await db.query('SELECT code, name, head_user_id, head_is_ubnd_member FROM agency WHERE code = $1', [code])) as {
    code: string;
    name: string;
    head_user_id: string | null;
    head_is_ubnd_member: boolean;
  }[];
  const a = rows[0];
  return a ? { code: a.code, name: a.name, headUserId: a.head_user_id, headIsUbndMember: a.head_is_ubnd_member } : null;
}

export type Registration = {
  sourceRef: string;
  sourceDate: string;
  assignedBy: Assigner;
  assignedByName: string;
  assigneeAgencyCode: string;
  toUbndMemberHead: boolean;
  content: string;
  workingDays: number | null;
  dueAt: Date;
  reminderAt: Date;
  registeredBy: string;
};

/**
 * Stores a registration once: the same UBND document, agency and content again answers the task
 * already registered (fresh false). The agency's head at registration answers for the task.
 */
export async function registerAssignedTask(m: EntityManager, r: Registration): Promise<{ id: string; fresh: boolean }> {
  const rows = (await m.query(
    `INSERT INTO assigned_task (source_ref, source_date, assigned_by, assigned_by_name, assignee_agency_code, to_ubnd_member_head, content,
       working_days, due_at, reminder_at, registered_by, accountable_user_id)
     VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, (SELECT head_user_id FROM agency WHERE code = $5))
     ON CONFLICT DO NOTHING RETURNING id`,
    [r.sourceRef, r.sourceDate, r.assignedBy, r.assignedByName, r.assigneeAgencyCode, r.toUbndMemberHead, r.content, r.workingDays, r.dueAt, r.reminderAt, r.registeredBy],
  )) as { id: string }[];
  if (rows[0]) return { id: rows[0].id, fresh: true };
  const existing = (await m.query('SELECT id FROM assigned_task WHERE source_ref = $1 AND assignee_agency_code = $2 AND md5(content) = md5($3)', [
    r.sourceRef,
    r.assigneeAgencyCode,
    r.content,
  ])) as { id: string }[];
  return { id: existing[0]!.id, fresh: false };
}

export async function setAssignedTaskInstance(m: EntityManager, id: string, processInstanceId: string): Promise<void> {
  await m.query('UPDATE assigned_task SET process_instance_id = $2 WHERE id = $1 AND process_instance_id IS NULL', [id, processInstanceId]);
}

export type AssignedTaskListItem = AssignedTask & {
  assigneeAgencyName: string;
  dossierIds: string[];
  lastProgress: { content: string; percent: number | null; reportedAt: Date } | null;
};

/** The tasks one may see (every agency's, or one agency's), soonest deadline first. */
export async function listAssignedTasks(ds: DataSource, q: { agencyCode: string | null; limit?: number }): Promise<AssignedTaskListItem[]> {
  const rows = (await ds.query(
    `SELECT ${COLUMNS}, a.name AS agency_name,
       COALESCE((SELECT array_agg(d.id ORDER BY d.created_at) FROM dossier d WHERE d.assigned_task_id = t.id), '{}') AS dossier_ids,
       p.content AS progress_content, p.percent AS progress_percent, p.reported_at AS progress_at
     FROM assigned_task t JOIN agency a ON a.code = t.assignee_agency_code
     LEFT JOIN LATERAL (SELECT content, percent, reported_at FROM assigned_task_progress WHERE assigned_task_id = t.id ORDER BY reported_at DESC LIMIT 1) p ON true
     WHERE $1::text IS NULL OR t.assignee_agency_code = $1
     ORDER BY (t.completed_at IS NOT NULL), t.due_at LIMIT $2`,
    [q.agencyCode, q.limit ?? 500],
  )) as (Row & { agency_name: string; dossier_ids: string[]; progress_content: string | null; progress_percent: number | null; progress_at: Date | null })[];
  return rows.map((r) => ({
    ...toTask(r),
    assigneeAgencyName: r.agency_name,
    dossierIds: r.dossier_ids,
    lastProgress: r.progress_at ? { content: r.progress_content ?? '', percent: r.progress_percent, reportedAt: r.progress_at } : null,
  }));
}

export type ProgressReport = { id: string; agencyCode: string; reportedBy: string; content: string; percent: number | null; reportedAt: Date };

export async function recordProgress(
  m: EntityManager,
  p: { assignedTaskId: string; agencyCode: string; reportedBy: string; content: string; percent: number | null; at: Date },
): Promise<string> {
  const rows = (await m.query(
    `INSERT INTO assigned_task_progress (assigned_task_id, agency_code, reported_by, content, percent, reported_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [p.assignedTaskId, p.agencyCode, p.reportedBy, p.content, p.percent, p.at],
  )) as { id: string }[];
  return rows[0]!.id;
}

export async function progressOf(db: Db, assignedTaskId: string): Promise<ProgressReport[]> {
  const rows = (await db.query(
    'SELECT id, agency_code, reported_by, content, percent, reported_at FROM assigned_task_progress WHERE assigned_task_id = $1 ORDER BY reported_at, id',
    [assignedTaskId],
  )) as { id: string; agency_code: string; reported_by: string; content: string; percent: number | null; reported_at: Date }[];
  return rows.map((r) => ({ id: r.id, agencyCode: r.agency_code, reportedBy: r.reported_by, content: r.content, percent: r.percent, reportedAt: r.reported_at }));
}

/** What linking a dossier needs to know of it (locked, so a signature cannot slip in between). */
export async function dossierForLink(
  m: EntityManager,
  dossierId: string,
): Promise<{ id: string; leadAgencyCode: string; status: string; assignedTaskId: string | null; processInstanceId: string | null } | null> {
  const rows = (await m.query('SELECT id, lead_agency_code, status, assigned_task_id, process_instance_id FROM dossier WHERE id = $1 FOR UPDATE', [dossierId])) as {
    id: string;
    lead_agency_code: string;
    status: string;
    assigned_task_id: string | null;
    process_instance_id: string | null;
  }[];
  const d = rows[0];
  return d ? { id: d.id, leadAgencyCode: d.lead_agency_code, status: d.status, assignedTaskId: d.assigned_task_id, processInstanceId: d.process_instance_id } : null;
}

/** Links a dossier to the task it carries out, with R-07's consequence for who signs it. */
export async function linkDossier(m: EntityManager, l: { dossierId: string; assignedTaskId: string; assignedToUbndMember: boolean }): Promise<void> {
  await m.query('UPDATE dossier SET assigned_task_id = $2, assigned_to_ubnd_member = $3, updated_at = now() WHERE id = $1', [l.dossierId, l.assignedTaskId, l.assignedToUbndMember]);
}

/**
 * Completes an open task at `at` (a dossier's accepted submission or the agency's report); its
 * status, on time or late, is R-22's classification. Null when it was already completed.
 */
export async function completeAssignedTask(
  m: EntityManager,
  c: { id: string; at: Date; kind: CompletionKind; dossierId?: string | null; report?: string | null; by?: string | null },
): Promise<AssignedTask | null> {
  const t = await loadAssignedTask(m, c.id, { forUpdate: true });
  if (!t || t.completedAt) return null;
  const status = completionStatus(t.dueAt, c.at);
  await m.query(
    `UPDATE assigned_task SET status = $2, completed_at = $3, completion_kind = $4, completed_by_dossier_id = $5, completion_report = $6, completed_by = $7 WHERE id = $1`,
    [c.id, status, c.at, c.kind, c.dossierId ?? null, c.report ?? null, c.by ?? null],
  );
  return { ...t, status, completedAt: c.at, completionKind: c.kind, completedByDossierId: c.dossierId ?? null, completionReport: c.report ?? null };
}

/**
 * The task a dossier carries out, and when the dossier's accepted submission went up (its latest
 * submission, which the Office has just accepted): that is when the agency did the task.
 */
export async function acceptedSubmissionOfTask(m: EntityManager, dossierId: string): Promise<{ assignedTaskId: string; submittedAt: Date } | null> {
  const rows = (await m.query(
    `SELECT d.assigned_task_id, s.submitted_at FROM dossier d
     JOIN LATERAL (SELECT submitted_at FROM submission WHERE dossier_id = d.id ORDER BY round DESC LIMIT 1) s ON true
     WHERE d.id = $1 AND d.assigned_task_id IS NOT NULL`,
    [dossierId],
  )) as { assigned_task_id: string; submitted_at: Date }[];
  return rows[0] ? { assignedTaskId: rows[0].assigned_task_id, submittedAt: rows[0].submitted_at } : null;
}

export async function markReminded(m: EntityManager, id: string, at: Date): Promise<boolean> {
  const rows = (await m.query('UPDATE assigned_task SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL RETURNING id', [id, at])) as unknown[];
  return rows.length > 0;
}

export async function markOverdue(m: EntityManager, id: string, at: Date): Promise<boolean> {
  const rows = (await m.query('UPDATE assigned_task SET overdue = true, overdue_at = $2 WHERE id = $1 AND NOT overdue RETURNING id', [id, at])) as unknown[];
  return rows.length > 0;
}

/** Tasks stored but whose process never started (the engine was away at registration). */
export async function assignedTasksWithoutInstance(ds: DataSource, limit = 100): Promise<string[]> {
  const rows = (await ds.query('SELECT id FROM assigned_task WHERE process_instance_id IS NULL AND completed_at IS NULL ORDER BY created_at LIMIT $1', [limit])) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * the task a dossier carries out is done when the Office accepts the dossier, at the time its
 * accepted submission went up (docs/RULES.md decision 8). Returns the task completed now, if any.
 */
export async function completeTaskOfAcceptedDossier(m: EntityManager, dossierId: string): Promise<AssignedTask | null> {
  const accepted = await acceptedSubmissionOfTask(m, dossierId);
  if (!accepted) return null;
  return completeAssignedTask(m, { id: accepted.assignedTaskId, at: accepted.submittedAt, kind: 'DOSSIER', dossierId });
}

/** The task a dossier carries out, when that dossier completed it. */
export async function taskCompletedByDossier(db: Db, dossierId: string): Promise<string | null> {
  const rows = (await db.query('SELECT id FROM assigned_task WHERE completed_by_dossier_id = $1', [dossierId])) as { id: string }[];
  return rows[0]?.id ?? null;
}
