/**
 * Completing a task: the form is validated against its schema and the domain rules, our record
 * is written first (idempotent per task id, so a retry after an engine error is safe), then the
 * engine task is completed with the variables the diagram routes on. Each form's own work is its
 * handler's, in server/tasks/forms/<formKey>.ts.
 */
import { nextDeadlines } from '../../domain/calendar.ts';
import type { PlainValue } from '../../platform/engine/variables.ts';
import { loadDossier } from '../../store/dossiers.ts';
import { recordCompletion, recordedCompletion } from '../../store/task-completions.ts';
import { inTransaction } from '../../store/transaction.ts';
import { signalDossierTaskDone } from '../office/assigned-task-process.ts';
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, conflict } from '../errors.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { fieldOfCode, isFormKey, validateTaskForm, type FormKey, type LoadedForm, type TaskFormData } from '../forms/index.ts';
import { taskFormContext } from '../forms/context.ts';
import { TASK_FORMS, type FormResult, type FormStep, type TaskForm } from './forms/index.ts';
import { visibleTask, assertMaySign } from './service.ts';

/** The task's form: the form id its diagram names (camunda:formRef), one of processes/forms with its handler. */
export function formKeyOf(task: { formKey: string | null; taskDefinitionKey: string }): FormKey {
  if (isFormKey(task.formKey)) return task.formKey;
  throw new ApiError(422, 'UNKNOWN_FORM', `Công việc ${task.taskDefinitionKey} chưa có biểu mẫu.`);
}

/** A domain rule's 422 names the form field it is about, so the page shows it next to that field. */
function onItsField(form: LoadedForm, err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status !== 422 || err.extra.field) return err;
  const field = fieldOfCode(form, err.code);
  if (!field) return err;
  const details = Array.isArray(err.extra.details)
    ? (err.extra.details as { code?: string; field?: string }[]).map((d) => ({ ...d, field: d.field ?? (d.code ? fieldOfCode(form, d.code) : undefined) }))
    : err.extra.details;
  return new ApiError(422, err.code, err.message, { ...err.extra, field, details });
}

/** Thrown inside a dry run's transaction so that everything the handler wrote is rolled back. */
class DryRun extends Error {}

/**
 * Validates the form, records it, completes the engine task. A dry run does all of it but the
 * engine call inside a transaction it then rolls back: the answer a completion would get, nothing changed.
 */
export async function completeTask(
  deps: ServerDeps,
  actor: SessionUser,
  taskId: string,
  body: unknown,
  opts: { dryRun?: boolean } = {},
): Promise<{ dossierId: string | null; dryRun?: true }> {
  const task = await visibleTask(deps, actor, taskId);
  if (task.assignee !== actor.id) {
    throw task.assignee
      ? conflict('TASK_CLAIMED_BY_OTHER', 'Công việc đang do người khác xử lý.')
      : conflict('TASK_NOT_CLAIMED', 'Hãy nhận xử lý công việc trước khi hoàn thành.');
  }
  await assertMaySign(deps, actor, task);
  const form = formKeyOf(task);
  // The form as deployed with the task's diagram first, then the domain rules in the handler: 422 either way, the task stays open.
  const deployed = await deps.taskForms.formOf(task);
  const data = validateTaskForm(deployed, body, await taskFormContext(deps, actor, task));
  const handler = TASK_FORMS[form] as TaskForm<FormKey>;
  if (handler.of === 'own-process') {
    if (opts.dryRun) return { dossierId: null, dryRun: true };
    await handler.complete(deps, actor, task, data as TaskFormData[FormKey]);
    return { dossierId: null };
  }
  if (!task.dossierId) throw new ApiError(409, 'NO_DOSSIER', 'Công việc không gắn với hồ sơ nào.');
  const now = deps.now?.() ?? new Date();
  // What the handlers read of the engine's variables: the round, and the agency of an opinion instance.
  const vars = await deps.engineDb.taskVariables(taskId, ['round', 'opinionAgency']);
  let variables: Record<string, PlainValue | undefined>;
  try {
    variables = await inTransaction(deps.ds, async (m) => {
      // The dossier's row lock serialises completions on one dossier, so a double submit sees the first.
      const dossier = await loadDossier(m, task.dossierId!, { forUpdate: true });
      if (!dossier) throw new ApiError(409, 'NO_DOSSIER', 'Hồ sơ của công việc không còn.');
      const recorded = await recordedCompletion(m, taskId);
      if (recorded) return recorded;
      const round = typeof vars.round === 'number' ? vars.round : dossier.round;
      const step: FormStep = { deps, m, actor, taskId, dossier, vars, now, round };
      const result: FormResult = await handler.complete(step, data as TaskFormData[FormKey]).catch((err: unknown) => {
        throw onItsField(deployed, err);
      });
      const toSend = { ...(result.refreshDeadlines ? nextDeadlines(now, deps.policy.calendar, deps.policy.deadlines) : {}), ...result.variables };
      await recordCompletion(m, { taskId, formKey: form, dossierId: dossier.id, completedBy: actor.id, variables: toSend });
      if (opts.dryRun) throw new DryRun();
      return toSend;
    });
  } catch (err) {
    if (err instanceof DryRun) return { dossierId: task.dossierId, dryRun: true };
    throw err;
  }
  // A task recorded by an earlier completion answers from its record, without a rollback: still no engine call.
  if (opts.dryRun) return { dossierId: task.dossierId, dryRun: true };
  try {
    await deps.engine.complete(taskId, variables);
  } catch (err) {
    // Completed by an earlier attempt whose answer was lost: the task is gone, the work is done.
    if (!(err instanceof EngineError && (err.status === 404 || /Cannot find task/i.test(err.message)))) throw err;
  }
  if (form === 'office-check') await signalDossierTaskDone(deps, task.dossierId);
  deps.events.publish({ type: 'task', taskId, dossierId: task.dossierId, action: 'COMPLETED' });
  deps.events.publish({ type: 'dossier', dossierId: task.dossierId, action: 'MOVED' });
  return { dossierId: task.dossierId };
}
