/** The process of a task UBND assigned: its start at registration and the signal that it is done. */
import { toIsoLocal } from '../../domain/calendar.ts';
import { ASSIGNED_TASK_PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { loadAssignedTask, setAssignedTaskInstance, taskCompletedByDossier } from '../../store/assigned-tasks.ts';
import type { ServerDeps } from '../deps.ts';

/** The message the diagram's "Cơ quan thực hiện, báo cáo tiến độ" waits for. */
export const ASSIGNED_TASK_DONE_MESSAGE = 'AssignedTaskDone';

/** Starts the task's process once (business key = its id); a repeated call finds it running. */
export async function startAssignedTaskProcess(deps: ServerDeps, id: string): Promise<void> {
  await deps.ds.transaction(async (m) => {
    const t = await loadAssignedTask(m, id, { forUpdate: true });
    if (!t || t.processInstanceId || t.completedAt) return;
    const existing = await deps.engine.listProcessInstances({ businessKey: id, processDefinitionKey: ASSIGNED_TASK_PROCESS_KEY });
    const instanceId =
      existing[0]?.id ??
      (
        await deps.engine.startProcess(ASSIGNED_TASK_PROCESS_KEY, id, {
          assignedTaskId: id,
          assigneeAgency: t.assigneeAgencyCode,
          taskDueAt: toIsoLocal(t.dueAt),
          taskReminderAt: toIsoLocal(t.reminderAt ?? t.dueAt),
        })
      ).id;
    await setAssignedTaskInstance(m, id, instanceId);
  });
}

/**
 * Tells the task's process that the completion the server recorded happened. Idempotent: an
 * instance no longer waiting (already told, or never started) is not an error; the record in our
 * database is what the reports read.
 */
export async function signalAssignedTaskDone(deps: ServerDeps, id: string): Promise<void> {
  try {
    await deps.engine.correlateMessage({ messageName: ASSIGNED_TASK_DONE_MESSAGE, businessKey: id });
  } catch (err) {
    if (err instanceof EngineError && err.status >= 400 && err.status < 500) {
      deps.log.info(`assigned task ${id}: no process waiting for its completion (${err.message})`);
      return;
    }
    throw err;
  }
}

/** After the Office accepted a dossier: tells the process of the task the dossier completed, if any. */
export async function signalDossierTaskDone(deps: ServerDeps, dossierId: string): Promise<void> {
  const id = await taskCompletedByDossier(deps.ds, dossierId);
  if (id) await signalAssignedTaskDone(deps, id);
}
