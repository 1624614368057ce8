/**
 * Topic assigned-task-overdue: a task UBND assigned reaches its deadline (R-22, R-25). R-22's
 * overdue check decides: an unfinished task is marked overdue and escalated to the Office (its
 * follow-up task opens in the diagram); a task completed in time goes no further.
 */
import { overdueWarning } from '../domain/assigned-task.ts';
import { addWorkingDays, toIsoLocal } from '../domain/calendar.ts';
import { recordAudit } from '../store/audit.ts';
import { loadAssignedTask, markOverdue } from '../store/assigned-tasks.ts';
import { inTransaction } from '../store/transaction.ts';
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'assigned-task-overdue';

export const assignedTaskOverdue: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['assignedTaskId'],
  async handle({ vars, ds, now, policy }) {
    const id = requireString(vars, 'assignedTaskId');
    const escalated = await inTransaction(ds, async (m) => {
      const task = await loadAssignedTask(m, id, { forUpdate: true });
      if (!task) throw new WorkerFault(`assigned task ${id} does not exist`);
      const warning = overdueWarning(task, now);
      if (!warning) return false;
      await markOverdue(m, id, now);
      await recordAudit(m, {
        dossierId: null,
        action: 'ASSIGNED_TASK_OVERDUE',
        actorRole: 'SYSTEM',
        onBehalfOf: task.accountableUserId,
        ruleId: 'R-22',
        errorCode: warning.code,
        details: { assignedTaskId: id, dueAt: task.dueAt.toISOString(), agency: task.assigneeAgencyCode },
        idempotencyKey: `assigned-task-overdue:${id}`,
      });
      for (const group of [candidateGroup(OFFICE_AGENCY, 'theodoi'), candidateGroup(task.assigneeAgencyCode, 'lanhdao')]) {
        await notify(m, {
          dossierId: null,
          kind: 'ASSIGNED_TASK_OVERDUE',
          recipientGroup: group,
          message: `Nhiệm vụ UBND tỉnh giao cho ${task.assigneeAgencyCode} theo văn bản ${task.sourceRef} đã quá hạn mà chưa hoàn thành.`,
          idempotencyKey: `assigned-task-overdue:${id}:${group}`,
        });
      }
      return true;
    });
    return complete({ escalated, followUpDueAt: escalated ? toIsoLocal(addWorkingDays(now, policy.deadlines.followUp, policy.calendar)) : undefined });
  },
};
