/** Topic send-reminder: the dossier's deadline is near: remind the lead agency. */
import { candidateGroup } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import { withDossier } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'send-reminder';

export const sendReminder: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'leadAgency', 'dossierDueAt'],
  async handle(ctx) {
    const leadAgency = requireString(ctx.vars, 'leadAgency');
    const dueAt = typeof ctx.vars.dossierDueAt === 'string' ? ctx.vars.dossierDueAt : '';
    await withDossier(ctx, async ({ m, dossierId }) => {
      for (const group of [candidateGroup(leadAgency, 'lanhdao'), candidateGroup(leadAgency, 'chuyenvien')]) {
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
