/** Topic opinion-reminder: the reminder (đôn đốc) to a consulted agency before its deadline. */
import { candidateGroup } from '../domain/access.ts';
import { notify } from '../store/notifications.ts';
import { recordOpinionReminder } from '../store/opinions.ts';
import { complete } from './runtime/outcome.ts';
import { requireInt, requireString } from './runtime/vars.ts';
import { withDossier } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'opinion-reminder';

export const opinionReminder: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'opinionAgency', 'round'],
  async handle(ctx) {
    const agency = requireString(ctx.vars, 'opinionAgency');
    const round = requireInt(ctx.vars, 'round');
    await withDossier(ctx, async ({ m, dossierId }) => {
      const fresh = await notify(m, {
        dossierId,
        kind: 'OPINION_REMINDER',
        recipientGroup: candidateGroup(agency, 'chuyenvien'),
        message: `Nhắc: sắp đến hạn tham gia ý kiến hồ sơ ${dossierId} (lần ${round}).`,
        idempotencyKey: `opinion-reminder:${dossierId}:${agency}:${round}`,
      });
      if (fresh) await recordOpinionReminder(m, dossierId, agency, round, ctx.now);
    });
    return complete();
  },
};
