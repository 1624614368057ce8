/** Topic proactive-overdue: a co-addressed agency has not acted on an incoming document in time. */
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'proactive-overdue';

export const proactiveOverdue: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['incomingDocumentId', 'agency'],
  async handle({ vars, ds }) {
    const incomingDocumentId = requireString(vars, 'incomingDocumentId');
    const agency = requireString(vars, 'agency');
    await ds.transaction(async (m) => {
      await m.query(
        `UPDATE proactive_handling SET status = 'OVERDUE' WHERE incoming_document_id = $1 AND agency_code = $2 AND status = 'OPEN'`,
        [incomingDocumentId, agency],
      );
      for (const group of [`${agency}_lanhdao`, 'VPUBND_theodoi']) {
        await notify(m, {
          dossierId: null,
          kind: 'PROACTIVE_OVERDUE',
          recipientGroup: group,
          message: `${agency} chưa chủ động xử lý văn bản đến đồng gửi (${incomingDocumentId}) đúng hạn.`,
          idempotencyKey: `proactive-overdue:${incomingDocumentId}:${agency}:${group}`,
        });
      }
    });
    return complete();
  },
};
