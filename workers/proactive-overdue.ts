/** Topic proactive-overdue: a co-addressed agency has not acted on an incoming document in time. */
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { markProactiveOverdue } from '../store/incoming.ts';
import { inTransaction } from '../store/transaction.ts';
import { complete } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'proactive-overdue';

/** Not a dossier step: an incoming document's instance, in one transaction of its own. */
export const proactiveOverdue: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['incomingDocumentId', 'agency'],
  async handle({ vars, ds }) {
    const incomingDocumentId = requireString(vars, 'incomingDocumentId');
    const agency = requireString(vars, 'agency');
    await inTransaction(ds, async (m) => {
      await markProactiveOverdue(m, incomingDocumentId, agency);
      for (const group of [candidateGroup(agency, 'lanhdao'), candidateGroup(OFFICE_AGENCY, 'theodoi')]) {
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
