/**
 * Topic forward-to-ubnd: the gates that hold whatever the diagram says (R-10 no opinion pending,
 * R-20 appraisal done, R-17 complete, R-05 valid signature, R-19 secret ⇒ paper), then one
 * submission per dossier and round, electronic or on paper.
 */
import { checkForwardGates } from '../domain/rules/index.ts';
import { errorsOnly } from '../domain/errors.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { Channel } from '../domain/model.ts';
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { recordSubmission } from '../store/submissions.ts';
import { transition } from '../store/audit.ts';
import { rulesWithStoredMatrix } from '../store/reference-data.ts';
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { DOSSIER_STEP_VARIABLES, rejectStep, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'forward-to-ubnd';

/** The pure decision: gates broken, or the channel to use. */
export function decide(facts: DossierFacts, rules: RulesConfig): { errors: ReturnType<typeof errorsOnly>; channel: Channel } {
  const errors = errorsOnly(checkForwardGates(facts, rules));
  const channel = facts.secrecyLevel !== 'NONE' && rules.confidential.paperOnly ? 'PAPER' : facts.channel;
  return { errors, channel };
}

export const forwardToUbnd: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy } = ctx;
    return withDossierFacts(ctx, async (step) => {
      const { m, facts, dossierId, round, key } = step;
      const { errors, channel } = decide(facts, await rulesWithStoredMatrix(m, policy.rules));
      if (errors.length > 0) return rejectStep(step, errors, { round, to: 'REVISION_REQUIRED', action: 'FORWARD_REFUSED', returnSource: 'GATE' });
      await recordSubmission(m, { dossierId, round, channel });
      await transition(m, dossierId, channel === 'PAPER' ? 'PAPER_PENDING' : 'SUBMITTED', {
        action: 'FORWARDED',
        actorRole: 'SYSTEM',
        ruleId: channel === 'PAPER' ? 'R-19' : 'R-24',
        details: { channel, round },
        idempotencyKey: key,
      });
      await notify(m, {
        dossierId,
        kind: 'SUBMITTED',
        recipientGroup: channel === 'PAPER' ? candidateGroup(facts.leadAgency.code, 'vanthu') : candidateGroup(OFFICE_AGENCY, 'chuyenvien'),
        message:
          channel === 'PAPER'
            ? `Hồ sơ ${dossierId} có nội dung mật: gửi bản giấy đến Văn phòng UBND tỉnh.`
            : `Hồ sơ ${dossierId} đã được trình UBND tỉnh (lần ${round}).`,
        idempotencyKey: `submitted:${dossierId}:${round}`,
      });
      return complete({ channel });
    });
  },
};
