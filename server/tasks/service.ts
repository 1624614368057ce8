/** Tasks people work on: listing by my groups, claiming, completing through the task's form. */
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { canWorkOnTask, groupsOf } from '../../domain/access.ts';
import { EngineError, type Task } from '../../platform/engine/client.ts';
import type { CappedCount, ListedTask, TaskFilter } from '../../store/engine-read-model.ts';
import { PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { ApiError, conflict, forbidden, notFound } from '../errors.ts';
import { violation } from '../../domain/errors.ts';
import { isHeadRole } from '../../domain/access.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import { presentDossier, presentTaskPage } from '../present/dossier.ts';
import { assignedToUbndMember, dossierSecrecy, loadDossiers, openDossierIdsLedBy } from '../../store/dossiers.ts';
import { agencyNames, userNames } from '../../store/organisation.ts';

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

/** The filter of the tasks a user may see: assigned to them, or claimable by them or one of their groups. */
export function taskFilterFor(actor: SessionUser, q: TaskListQuery, now: Date): TaskFilter {
  const groups = q.group ? groupsOf(actor).filter((g) => g === q.group) : groupsOf(actor);
  const dueBefore = Math.min(q.dueBefore ? Date.parse(q.dueBefore) : Infinity, q.overdue === 'true' ? now.getTime() : Infinity);
  const dueAfter = Math.max(q.dueAfter ? Date.parse(q.dueAfter) : -Infinity, q.overdue === 'false' ? now.getTime() : -Infinity);
  return {
    scope: q.scope,
    userId: actor.id,
    groups,
    taskDefinitionKey: q.step,
    dueBefore: Number.isFinite(dueBefore) ? new Date(dueBefore) : undefined,
    dueAfter: Number.isFinite(dueAfter) ? new Date(dueAfter) : undefined,
    businessKeys: q.dossier ? [q.dossier] : undefined,
  };
}

/**
 * The dossier of a task: its instance's business key, for an instance of the dossier process
 * (startDossierProcess starts every one with the dossier's id; other processes, such as the
 * handling of incoming documents, have keys of their own).
 */
function dossierIdOf(task: ListedTask): string | null {
  return task.processDefinitionKey === PROCESS_KEY ? task.businessKey : null;
}

function taskView(task: ListedTask, now: Date): TaskView {
  const view: TaskView & Partial<ListedTask> = { ...task, dossierId: dossierIdOf(task), overdue: !!task.due && Date.parse(task.due) < now.getTime(), candidateGroups: [] };
  // The engine's keys stay inside: the dossier id says what they would.
  delete view.businessKey;
  delete view.processDefinitionKey;
  return view;
}

/** What people tell tasks apart by, from the task's dossier; the subject as the presenter shows it to this user. */
export type TaskDossierFacts = {
  subject: string | null;
  leadAgencyCode: string | null;
  leadAgencyName: string | null;
  /** Who drew up the dossier and asks for this step. */
  requestedBy: string | null;
};

/** The tasks with their dossier's facts, read in three queries whatever the page size. */
export async function withDossierFacts<T extends TaskView>(deps: ServerDeps, actor: SessionUser, tasks: T[]): Promise<(T & TaskDossierFacts)[]> {
  const ids = [...new Set(tasks.map((t) => t.dossierId).filter((id): id is string => !!id))];
  const dossiers = new Map((await loadDossiers(deps.ds, ids)).map((d) => [d.id, presentDossier(actor, d)]));
  const agencies = [...new Set([...dossiers.values()].map((d) => d.leadAgencyCode))];
  const users = [...new Set([...dossiers.values()].map((d) => d.createdBy).filter((u): u is string => !!u))];
  const [agencyName, userName] = await Promise.all([agencyNames(deps.ds, agencies), userNames(deps.ds, users)]);
  return tasks.map((t) => {
    const d = t.dossierId ? dossiers.get(t.dossierId) : undefined;
    return {
      ...t,
      subject: d?.subject ?? null,
      leadAgencyCode: d?.leadAgencyCode ?? null,
      leadAgencyName: d ? (agencyName.get(d.leadAgencyCode) ?? d.leadAgencyCode) : null,
      requestedBy: d?.createdBy ? (userName.get(d.createdBy) ?? d.createdBy) : null,
    };
  });
}

/** Beyond this many tasks a count says "more than" (counting every open task of a big group cost more than the page). */
export const TASK_COUNT_CAP = 100;

/** My tasks and my groups' claimable ones, filtered, by due date ascending, one page, with the counts per scope on request. */
export async function listTasks(deps: ServerDeps, actor: SessionUser, q: TaskListQuery) {
  const now = deps.now?.() ?? new Date();
  const keys = q.agency ? await openDossierIdsLedBy(deps.ds, q.agency) : null;
  const filterFor = (scope: TaskListQuery['scope'], extra: Partial<TaskListQuery> = {}): TaskFilter => {
    const f = taskFilterFor(actor, { ...q, ...extra, scope }, now);
    if (keys === null) return f;
    return { ...f, businessKeys: f.businessKeys ? keys.filter((k) => f.businessKeys!.includes(k)) : keys };
  };
  const page = await deps.engineDb.taskPage(
    filterFor(q.scope),
    { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
    TASK_COUNT_CAP,
    q.counts === 'true' ? { mine: filterFor('mine'), claimable: filterFor('group'), overdue: filterFor(q.scope, { overdue: 'true' }) } : {},
  );
  const c = page.counts as Partial<Record<'mine' | 'claimable' | 'overdue', CappedCount>>;
  const items = await withDossierFacts(deps, actor, page.tasks.map((t) => taskView(t, now)));
  return presentTaskPage(actor, {
    /** Exact up to TASK_COUNT_CAP; past it the cap, with `totalCapped`. */
    total: page.total.count,
    totalCapped: page.total.capped,
    page: q.page,
    pageSize: q.pageSize,
    ...(c.mine && c.claimable && c.overdue
      ? {
          counts: {
            mine: c.mine.count,
            claimable: c.claimable.count,
            overdue: c.overdue.count,
            capped: { mine: c.mine.capped, claimable: c.claimable.capped, overdue: c.overdue.capped },
          },
        }
      : {}),
  }, items, await secrecyOf(deps, items));
}

/** Lead agency and secrecy of the dossiers of tasks that carry a text of their own (a description), for the presenter. */
async function secrecyOf(deps: ServerDeps, tasks: readonly TaskView[]): Promise<Map<string, Pick<Dossier, 'leadAgencyCode' | 'secrecyLevel'>>> {
  const ids = [...new Set(tasks.filter((t) => t.description && t.dossierId).map((t) => t.dossierId!))];
  return dossierSecrecy(deps.ds, ids);
}

/** A task the user may work on, with its candidate groups and form; 404 for anyone else. */
export async function visibleTask(deps: ServerDeps, actor: SessionUser, taskId: string): Promise<TaskView & { candidateUsers: string[] }> {
  const task = await deps.engineDb.task(taskId);
  if (!task || !canWorkOnTask(actor, task)) throw notFound(`công việc ${taskId}`);
  const view = taskView(task, deps.now?.() ?? new Date());
  return { ...view, formKey: await deps.taskForms.keyOf(task), candidateGroups: task.candidateGroups, candidateUsers: task.candidateUsers };
}

/** a deputy never takes the signing of what UBND assigned to a head who is a UBND member. */
async function assertMaySign(deps: ServerDeps, actor: SessionUser, task: TaskView): Promise<void> {
  if (task.taskDefinitionKey !== 'Task_Sign' || !task.dossierId) return;
  if ((await assignedToUbndMember(deps.ds, task.dossierId)) && !isHeadRole(actor.role)) {
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
    const now = await deps.engineDb.task(taskId).catch(() => null);
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
  if (task.assignee !== actor.id) throw forbidden('Chỉ người đang nhận xử lý mới bỏ nhận được công việc.');
  await deps.engine.unclaim(taskId);
  deps.events.publish({ type: 'task', taskId, dossierId: task.dossierId ?? undefined, action: 'UNCLAIMED' });
}

export { assertMaySign };
