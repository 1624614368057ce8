/**
 * Topic assigned-task-completed: a task UBND assigned was completed (by a dossier the Office
 * accepted, or by the agency's report), as the server recorded it; the Office is told whether it
 * was done on time, and the diagram ends the task's process.
 */
import { recordAudit } from '../store/audit.ts';
import { loadAssignedTask } from '../store/assigned-tasks.ts';
import { inTransaction } from '../store/transaction.ts';
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'assigned-task-completed';

export const assignedTaskCompleted: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['assignedTaskId'],
  async handle({ vars, ds }) {
    const id = requireString(vars, 'assignedTaskId');
    await inTransaction(ds, async (m) => {
      const task = await loadAssignedTask(m, id);
      if (!task) throw new WorkerFault(`assigned task ${id} does not exist`);
      // The server records the completion before it signals the process: no record is a fault.
      if (!task.completedAt) throw new WorkerFault(`assigned task ${id} was signalled done but no completion is recorded`);
      const late = task.status === 'DONE_LATE';
      await recordAudit(m, {
        dossierId: null,
        action: 'ASSIGNED_TASK_COMPLETED',
        actorRole: 'SYSTEM',
        onBehalfOf: task.accountableUserId,
        ruleId: 'R-22',
        details: { assignedTaskId: id, status: task.status, kind: task.completionKind, dossierId: task.completedByDossierId },
        idempotencyKey: `assigned-task-completed:${id}`,
      });
      await notify(m, {
        dossierId: null,
        kind: 'ASSIGNED_TASK_DONE',
        recipientGroup: candidateGroup(OFFICE_AGENCY, 'theodoi'),
        message: `${task.assigneeAgencyCode} đã hoàn thành nhiệm vụ theo văn bản ${task.sourceRef}${late ? ' (trễ hạn)' : ' (đúng hạn)'}.`,
        idempotencyKey: `assigned-task-completed:${id}`,
      });
    });
    return complete();
  },
};
