/**
 * Topic appraisal: the appraising agency's report must state a clear conclusion and whether
 * issuing is lawful; a vague one goes back to the appraiser. NOT_ELIGIBLE returns the
 * dossier to the drafter (R-20 routing in the diagram).
 */
import { checkAppraisalResult, isConfidential } from '../domain/rules/index.ts';
import { errorsOnly, returnReasonOf, violation, type RuleViolation } from '../domain/errors.ts';
import type { DossierStatus } from '../domain/model.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { latestAppraisal, setAppraisalStatus, type StoredAppraisal } from '../store/appraisals.ts';
import { recordReturn } from '../store/submissions.ts';
import { transition } from '../store/audit.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireInt } from './runtime/vars.ts';
import { DOSSIER_STEP_VARIABLES, rejectStep, withDossier } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'appraisal';

export type AppraisalDecision =
  | { accepted: false; errors: RuleViolation[] }
  /** `notEligible`: R-30, the appraisal sends the dossier back to the drafter, a return counted like any other. */
  | { accepted: true; next: DossierStatus; notEligible: RuleViolation | null };

/** The pure decision on the appraisal report and where its conclusion sends the dossier. */
export function decide(appraisal: StoredAppraisal, rules: RulesConfig, opts: { secret?: boolean } = {}): AppraisalDecision {
  // a secret dossier's appraisal reasons are on paper; its conclusion and lawfulness are checked all the same.
  const errors = errorsOnly(
    checkAppraisalResult({ conclusion: appraisal.conclusion ?? undefined, lawful: appraisal.lawful ?? undefined, reasons: appraisal.reasons ?? undefined }, rules, opts),
  );
  if (errors.length > 0) return { accepted: false, errors };
  if (appraisal.conclusion === 'NOT_ELIGIBLE') {
    return { accepted: true, next: 'REVISION_REQUIRED', notEligible: violation('ERR_APPRAISAL_NOT_ELIGIBLE', { conclusion: appraisal.conclusion }) };
  }
  return { accepted: true, next: appraisal.conclusion === 'ELIGIBLE_AFTER_REVISION' ? 'REVISING_AFTER_APPRAISAL' : 'DRAFTING_SUBMISSION', notEligible: null };
}

export const appraisal: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const round = requireInt(ctx.vars, 'round');
    return withDossier(ctx, async (step) => {
      const { m, dossierId, key } = step;
      const stored = await latestAppraisal(m, dossierId, round);
      if (!stored) throw new WorkerFault(`no appraisal recorded for dossier ${dossierId} round ${round}`);
      const decision = decide(stored, ctx.policy.rules, { secret: isConfidential(step.dossier.secrecyLevel) });
      if (!decision.accepted) {
        await setAppraisalStatus(m, stored.id, 'RETURNED_INCOMPLETE');
        return rejectStep(step, decision.errors, { round, to: 'APPRAISING', action: 'APPRAISAL_REJECTED', details: {} });
      }
      await setAppraisalStatus(m, stored.id, 'COMPLETED');
      await transition(m, dossierId, decision.next, {
        action: 'APPRAISAL_ACCEPTED',
        actorRole: 'SYSTEM',
        ruleId: 'R-21',
        details: { conclusion: stored.conclusion, lawful: stored.lawful },
        idempotencyKey: key,
      });
      const { notEligible } = decision;
      if (!notEligible) return complete({ appraisalConclusion: stored.conclusion });
      const reason = returnReasonOf(notEligible.code);
      if (reason) await recordReturn(m, { dossierId, round, source: 'APPRAISAL', reason, note: stored.reasons, idempotencyKey: key });
      return complete({ appraisalConclusion: stored.conclusion, lastErrorCode: notEligible.code, lastErrorMessage: `${notEligible.message} ${stored.reasons ?? ''}`.trim() });
    });
  },
};
