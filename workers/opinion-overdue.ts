/**
 * Topic opinion-overdue: an agency missed its opinion deadline. The request becomes
 * OVERDUE and the lead agency and the Office are told; the task stays open, a late opinion is
 * still accepted.
 */
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import { recordAudit } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { markOpinionRequestOverdue } from '../store/opinions.ts';
import { complete } from './runtime/outcome.ts';
import { requireInt, requireString } from './runtime/vars.ts';
import { withDossier } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'opinion-overdue';

export const opinionOverdue: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'opinionAgency', 'leadAgency', 'round'],
  async handle(ctx) {
    const agency = requireString(ctx.vars, 'opinionAgency');
    const leadAgency = requireString(ctx.vars, 'leadAgency');
    const round = requireInt(ctx.vars, 'round');
    await withDossier(ctx, async ({ m, dossierId }) => {
      await markOpinionRequestOverdue(m, dossierId, agency, round);
      // One notice per agency and round, whichever delivery of the timer's task writes it.
      const key = `opinion-overdue:${dossierId}:${agency}:${round}`;
      await recordAudit(m, { dossierId, action: 'OPINION_OVERDUE', actorRole: 'SYSTEM', ruleId: 'R-13', details: { agency, round }, idempotencyKey: key });
      for (const group of [candidateGroup(leadAgency, 'lanhdao'), candidateGroup(leadAgency, 'chuyenvien'), candidateGroup(OFFICE_AGENCY, 'theodoi')]) {
        await notify(m, {
          dossierId,
          kind: 'OPINION_OVERDUE',
          recipientGroup: group,
          message: `${agency} chưa gửi ý kiến về hồ sơ ${dossierId} (lần ${round}) đúng hạn.`,
          idempotencyKey: `${key}:${group}`,
        });
      }
    });
    return complete();
  },
};
