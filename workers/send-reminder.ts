/** Topic send-reminder: the dossier's deadline is near: remind the lead agency. */
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'send-reminder';

export const sendReminder: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'leadAgency', 'dossierDueAt'],
  async handle({ vars, ds }) {
    const dossierId = requireString(vars, 'dossierId');
    const leadAgency = requireString(vars, 'leadAgency');
    const dueAt = typeof vars.dossierDueAt === 'string' ? vars.dossierDueAt : '';
    await ds.transaction(async (m) => {
      for (const group of [`${leadAgency}_lanhdao`, `${leadAgency}_chuyenvien`]) {
        await notify(m, {
          dossierId,
          kind: 'DOSSIER_REMINDER',
          recipientGroup: group,
          message: `Nhắc: hồ sơ ${dossierId} sắp đến hạn xử lý (${dueAt}).`,
          idempotencyKey: `dossier-reminder:${dossierId}:${dueAt}:${group}`,
        });
      }
    });
    return complete();
  },
};
