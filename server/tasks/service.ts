/** Tasks people work on: listing by my groups, claiming, completing through the task's form. */
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { canWorkOnTask, groupsOf } from '../../domain/access.ts';
import { EngineError, type Task, type TaskQuery } from '../engine/client.ts';
import { engineDate } from '../engine/variables.ts';
import { ApiError, conflict, forbidden, notFound } from '../errors.ts';
import { violation } from '../../domain/errors.ts';
import { isHeadRole } from '../../domain/access.ts';

export type TaskView = Task & {
  dossierId: string | null;
  overdue: boolean;
  candidateGroups: string[];
};

export type TaskListQuery = {
  scope: 'mine' | 'group' | 'all';
  dossier?: string;
  step?: string;
  dueBefore?: string;
  dueAfter?: string;
  overdue?: 'true' | 'false';
  group?: string;
  counts?: 'true' | 'false';
  /** Only the tasks of dossiers led by this agency. */
  agency?: string;
  page: number;
  pageSize: number;
};

/** The engine query for the tasks a user may see: assigned to them, or claimable by one of their groups. */
export function taskQueryFor(actor: SessionUser, q: TaskListQuery, now: Date): TaskQuery & { orQueries?: unknown[] } {
  const groups = q.group ? groupsOf(actor).filter((g) => g === q.group) : groupsOf(actor);
  const base: TaskQuery = { sorting: [{ sortBy: 'dueDate', sortOrder: 'asc' }] };
  if (q.step) base.taskDefinitionKey = q.step;
  const dueBefore = Math.min(q.dueBefore ? Date.parse(q.dueBefore) : Infinity, q.overdue === 'true' ? now.getTime() : Infinity);
  const dueAfter = Math.max(q.dueAfter ? Date.parse(q.dueAfter) : -Infinity, q.overdue === 'false' ? now.getTime() : -Infinity);
  if (Number.isFinite(dueBefore)) base.dueBefore = engineDate(new Date(dueBefore));
  if (Number.isFinite(dueAfter)) base.dueAfter = engineDate(new Date(dueAfter));
  if (q.dossier) base.processInstanceBusinessKey = q.dossier;
  // Within one nested query the engine ORs the predicates; a candidate match is unassigned by default.
  const candidate = { candidateGroups: groups.length ? groups : ['__none__'], candidateUser: actor.id };
  if (q.scope === 'mine') return { ...base, assignee: actor.id };
  if (q.scope === 'group') return { ...base, orQueries: [candidate] };
  return { ...base, orQueries: [{ ...candidate, assignee: actor.id }] };
}

async function withDossiers(deps: ServerDeps, tasks: Task[], now: Date): Promise<TaskView[]> {
  const instanceIds = [...new Set(tasks.map((t) => t.processInstanceId))];
  const rows = instanceIds.length
    ? ((await deps.ds.query('SELECT id, process_instance_id FROM dossier WHERE process_instance_id = ANY($1)', [instanceIds])) as { id: string; process_instance_id: string }[])
    : [];
  const byInstance = new Map(rows.map((r) => [r.process_instance_id, r.id]));
  return tasks.map((t) => ({
    ...t,
    dossierId: byInstance.get(t.processInstanceId) ?? null,
    overdue: !!t.due && Date.parse(t.due) < now.getTime(),
    candidateGroups: [],
  }));
}

/** The open dossiers of a lead agency (business keys of their instances), for the `agency` filter. */
async function dossiersLedBy(deps: ServerDeps, agency: string): Promise<string[]> {
  const rows = (await deps.ds.query(
    `SELECT id FROM dossier WHERE lead_agency_code = $1 AND process_instance_id IS NOT NULL AND status NOT IN ('DECIDED_APPROVED', 'DECIDED_NOT_APPROVED', 'WITHDRAWN')`,
    [agency],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** My tasks and my groups' claimable ones, filtered, by due date ascending, one page, with the counts per scope. */
export async function listTasks(deps: ServerDeps, actor: SessionUser, q: TaskListQuery) {
  const now = deps.now?.() ?? new Date();
  const restrict = (query: TaskQuery & { orQueries?: unknown[] }, keys: string[] | null) => {
    if (keys === null) return query;
    const allowed = query.processInstanceBusinessKey ? keys.filter((k) => k === query.processInstanceBusinessKey) : keys;
    return { ...query, processInstanceBusinessKey: undefined, processInstanceBusinessKeyIn: allowed.length ? allowed : ['__none__'] };
  };
  const keys = q.agency ? await dossiersLedBy(deps, q.agency) : null;
  const query = restrict(taskQueryFor(actor, q, now), keys);
  const counted = (scope: TaskListQuery['scope'], extra: Partial<TaskListQuery> = {}) => deps.engine.countTasks(restrict(taskQueryFor(actor, { ...q, ...extra, scope }, now), keys));
  const [tasks, total, counts] = await Promise.all([
    deps.engine.listTasks(query, { firstResult: (q.page - 1) * q.pageSize, maxResults: q.pageSize }),
    deps.engine.countTasks(query),
    q.counts === 'true'
      ? Promise.all([counted('mine'), counted('group'), counted(q.scope, { overdue: 'true' })]).then(([mine, claimable, overdue]) => ({ mine, claimable, overdue }))
      : Promise.resolve(undefined),
  ]);
  return { total, page: q.page, pageSize: q.pageSize, ...(counts ? { counts } : {}), items: await withDossiers(deps, tasks, now) };
}

/** A task the user may work on, with its candidate groups; 404 for anyone else. */
export async function visibleTask(deps: ServerDeps, actor: SessionUser, taskId: string): Promise<TaskView & { candidateUsers: string[] }> {
  let task: Task;
  try {
    task = await deps.engine.getTask(taskId);
  } catch (err) {
    if (err instanceof EngineError && (err.status === 404 || err.status === 400)) throw notFound(`công việc ${taskId}`);
    throw err;
  }
  const links = await deps.engine.taskIdentityLinks(taskId);
  const candidateGroups = links.filter((l) => l.type === 'candidate' && l.groupId).map((l) => l.groupId!);
  const candidateUsers = links.filter((l) => l.type === 'candidate' && l.userId).map((l) => l.userId!);
  if (!canWorkOnTask(actor, { candidateGroups, candidateUsers, assignee: task.assignee })) throw notFound(`công việc ${taskId}`);
  const [view] = await withDossiers(deps, [task], deps.now?.() ?? new Date());
  return { ...view!, candidateGroups, candidateUsers };
}

/** a deputy never takes the signing of what UBND assigned to a head who is a UBND member. */
async function assertMaySign(deps: ServerDeps, actor: SessionUser, task: TaskView): Promise<void> {
  if (task.taskDefinitionKey !== 'Task_Sign' || !task.dossierId) return;
  const rows = (await deps.ds.query('SELECT assigned_to_ubnd_member, lead_agency_code FROM dossier WHERE id = $1', [task.dossierId])) as {
    assigned_to_ubnd_member: boolean;
    lead_agency_code: string;
  }[];
  const d = rows[0];
  if (d?.assigned_to_ubnd_member && !isHeadRole(actor.role)) {
    const v = violation('ERR_HEAD_SIGNATURE_REQUIRED');
    throw new ApiError(403, v.code, v.message, { rule: v.rule });
  }
}

export async function claimTask(deps: ServerDeps, actor: SessionUser, taskId: string): Promise<void> {
  const task = await visibleTask(deps, actor, taskId);
  await assertMaySign(deps, actor, task);
  if (task.assignee === actor.id) return;
  if (task.assignee) throw conflict('TASK_ALREADY_CLAIMED', 'Công việc đã được người khác nhận xử lý.');
  try {
    await deps.engine.claim(taskId, actor.id);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    // Two claims at once: the engine refuses the loser (already claimed, or an optimistic-locking conflict).
    const now = await deps.engine.getTask(taskId).catch(() => null);
    if (now?.assignee === actor.id) return;
    if (now?.assignee || /TaskAlreadyClaimed|already claimed|OptimisticLocking/i.test(`${err.type} ${err.message}`)) {
      throw conflict('TASK_ALREADY_CLAIMED', 'Công việc đã được người khác nhận xử lý.');
    }
    throw err;
  }
  deps.events.publish({ type: 'task', taskId, dossierId: task.dossierId ?? undefined, action: 'CLAIMED' });
}

export async function unclaimTask(deps: ServerDeps, actor: SessionUser, taskId: string): Promise<void> {
  const task = await visibleTask(deps, actor, taskId);
  if (task.assignee !== actor.id) throw forbidden('Chỉ người đang nhận xử lý mới trả lại được công việc.');
  await deps.engine.unclaim(taskId);
  deps.events.publish({ type: 'task', taskId, dossierId: task.dossierId ?? undefined, action: 'UNCLAIMED' });
}

export { assertMaySign };
