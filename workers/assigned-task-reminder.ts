/**
 * Topic assigned-task-reminder: a task UBND assigned nears its deadline (R-22). R-22's rule decides
 * whether to remind: a task already completed, or a timer that fires past the deadline, reminds nobody.
 */
import { shouldRemind } from '../domain/assigned-task.ts';
import { recordAudit } from '../store/audit.ts';
import { loadAssignedTask, markReminded } from '../store/assigned-tasks.ts';
import { inTransaction } from '../store/transaction.ts';
import { candidateGroup } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'assigned-task-reminder';

export const assignedTaskReminder: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['assignedTaskId'],
  async handle({ vars, ds, now }) {
    const id = requireString(vars, 'assignedTaskId');
    await inTransaction(ds, async (m) => {
      const task = await loadAssignedTask(m, id, { forUpdate: true });
      if (!task) throw new WorkerFault(`assigned task ${id} does not exist`);
      if (!shouldRemind(task, now)) return;
      await markReminded(m, id, now);
      await recordAudit(m, { dossierId: null, action: 'ASSIGNED_TASK_REMINDED', actorRole: 'SYSTEM', ruleId: 'R-22', details: { assignedTaskId: id }, idempotencyKey: `assigned-task-reminder:${id}` });
      const agency = task.assigneeAgencyCode;
      for (const group of [candidateGroup(agency, 'lanhdao'), candidateGroup(agency, 'chuyenvien')]) {
        await notify(m, {
          dossierId: null,
          kind: 'ASSIGNED_TASK_REMINDER',
          recipientGroup: group,
          message: `Nhắc: nhiệm vụ UBND tỉnh giao theo văn bản ${task.sourceRef} sắp đến hạn (${task.dueAt.toISOString()}).`,
          idempotencyKey: `assigned-task-reminder:${id}:${group}`,
        });
      }
    });
    return complete();
  },
};
