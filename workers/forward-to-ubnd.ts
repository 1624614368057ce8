/**
 * Topic forward-to-ubnd: the gates that hold whatever the diagram says (R-10 no opinion pending,
 * R-20 appraisal done, R-17 complete, R-05 valid signature, R-19 secret ⇒ paper), then one
 * submission per dossier and round, electronic or on paper.
 */
import { checkForwardGates } from '../domain/rules/index.ts';
import { errorsOnly, returnReasonOf } from '../domain/errors.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { recordReturn } from '../store/returns.ts';
import { transition } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { violationsError } from './runtime/vars.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'forward-to-ubnd';

/** The pure decision: gates broken, or the channel to use. */
export function decide(facts: DossierFacts, rules: RulesConfig) {
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
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const { errors, channel } = decide(facts, policy.rules);
      if (errors.length > 0) {
        const reason = returnReasonOf(errors[0]!.code);
        if (reason) await recordReturn(m, { dossierId, round, source: 'GATE', reason, note: errors[0]!.message, idempotencyKey: key });
        await transition(m, dossierId, 'REVISION_REQUIRED', {
          action: 'FORWARD_REFUSED',
          actorRole: 'SYSTEM',
          ruleId: errors[0]!.rule,
          errorCode: errors[0]!.code,
          details: { errors: errors.map((e) => e.code) },
          idempotencyKey: key,
        });
        return violationsError(errors);
      }
      await m.query(
        `INSERT INTO submission (dossier_id, round, idempotency_key, channel) VALUES ($1, $2, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [dossierId, round, `${dossierId}:${round}`, channel],
      );
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
        recipientGroup: channel === 'PAPER' ? `${facts.leadAgency.code}_vanthu` : 'VPUBND_chuyenvien',
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
