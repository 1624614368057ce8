/** Form proactive-handling (Task_ProactiveHandling): a co-addressed agency records how it acted on an incoming document. */
import { recordAudit } from '../../../store/audit.ts';
import { incomingDocumentOfInstance, recordProactiveHandled } from '../../../store/incoming.ts';
import { inTransaction } from '../../../store/transaction.ts';
import { ApiError } from '../../errors.ts';
import type { TaskForm } from './step.ts';

export const proactiveHandling: TaskForm<'proactive-handling'> = {
  formKey: 'proactive-handling',
  of: 'own-process',
  async complete(deps, actor, task, data) {
    const now = deps.now?.() ?? new Date();
    await inTransaction(deps.ds, async (m) => {
      const doc = await incomingDocumentOfInstance(m, task.processInstanceId);
      if (!doc) throw new ApiError(409, 'NO_INCOMING_DOCUMENT', 'Văn bản đến của công việc không còn.');
      await recordProactiveHandled(m, doc.id, actor.agencyCode, now);
      await recordAudit(m, {
        dossierId: null,
        action: 'PROACTIVE_HANDLED',
        actorUserId: actor.id,
        actorRole: actor.role,
        ruleId: 'R-23',
        details: { incomingDocumentId: doc.id, action: data.action },
        idempotencyKey: `task:${task.id}`,
      });
    });
    await deps.engine.complete(task.id, {});
  },
};
