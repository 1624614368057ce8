/** Form follow-up-assigned-task (Task_FollowUpAssignedTask): the Office records how it chased an overdue assigned task; the task itself stays open. */
import { recordAudit } from '../../../store/audit.ts';
import { inTransaction } from '../../../store/transaction.ts';
import { ApiError } from '../../errors.ts';
import type { TaskForm } from './step.ts';

export const followUpAssignedTask: TaskForm<'follow-up-assigned-task'> = {
  formKey: 'follow-up-assigned-task',
  of: 'own-process',
  async complete(deps, actor, task, data) {
    const vars = await deps.engineDb.taskVariables(task.id, ['assignedTaskId']);
    const assignedTaskId = typeof vars.assignedTaskId === 'string' ? vars.assignedTaskId : null;
    if (!assignedTaskId) throw new ApiError(409, 'NO_ASSIGNED_TASK', 'Công việc không gắn với nhiệm vụ được giao nào.');
    await inTransaction(deps.ds, (m) =>
      recordAudit(m, {
        dossierId: null,
        action: 'ASSIGNED_TASK_FOLLOWED_UP',
        actorUserId: actor.id,
        actorRole: actor.role,
        ruleId: 'R-22',
        details: { assignedTaskId, note: data.note },
        idempotencyKey: `task:${task.id}`,
      }),
    );
    await deps.engine.complete(task.id, {});
  },
};
