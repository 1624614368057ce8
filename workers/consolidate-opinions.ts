/**
 * Topic consolidate-opinions: marks late opinions, refreshes the opinion summary the
 * submission must carry and decides whether opinions differ, so the lead agency must
 * choose one option; when they agree on one of several options, that option is recorded.
 */
import { agreedOption, agreedOptionRationale, decideOpinionsDiffer } from '../domain/rules/r12-chosen-option.ts';
import { refreshOpinionSummary, summariseOpinions } from '../domain/rules/r11-opinion-summary.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { DossierStatus } from '../domain/model.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { transition } from '../store/audit.ts';
import { markLateOpinions } from '../store/opinions.ts';
import { recordChosenOption, writeOpinionSummary } from '../store/dossiers.ts';
import { complete } from './runtime/outcome.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'consolidate-opinions';

/**
 * The pure decision on the opinions that answer each agency's latest request: this round's, and
 * for an agency this round did not ask again (R-30: a content return re-consults only the agencies
 * the Office named) the opinion of the round that last asked it.
 */
export function decide(facts: DossierFacts, round: number, rules: RulesConfig) {
  const askedIn = new Map(facts.opinionRequests.map((r) => [r.agencyCode, r.round]));
  const opinions = facts.opinions.filter((o) => o.round === (askedIn.get(o.agencyCode) ?? round));
  const computed = summariseOpinions({ ...facts, opinions }, rules);
  const summary = refreshOpinionSummary(
    facts.opinionSummary,
    computed.map(({ agencyCode, position, summary: text }) => ({ agencyCode, position, summary: text })),
    [...new Set(opinions.filter((o) => o.round === round).map((o) => o.agencyCode))],
  );
  const opinionsDiffer = decideOpinionsDiffer(opinions);
  // options alone are no difference; an option every agency agreed on is the lead agency's proposal.
  const agreed = opinionsDiffer ? undefined : agreedOption(opinions, facts.options);
  const chosen = agreed === undefined ? undefined : { optionId: agreed, rationale: agreedOptionRationale(agreed, opinions.map((o) => o.agencyCode)) };
  const next: DossierStatus = opinionsDiffer ? 'CHOOSING_OPTION' : facts.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION';
  return { summary, opinionsDiffer, chosen, next, lateOpinionCount: computed.filter((s) => s.late).length };
}

export const consolidateOpinions: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy } = ctx;
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const { summary, opinionsDiffer, chosen, next, lateOpinionCount } = decide(facts, round, policy.rules);
      // The state chart's CONSOLIDATING is on record, however briefly the dossier stays in it.
      await transition(m, dossierId, 'CONSOLIDATING', { action: 'OPINIONS_CONSOLIDATING', actorRole: 'SYSTEM', ruleId: 'R-11', details: { round }, idempotencyKey: `${key}:consolidating` });
      await markLateOpinions(m, dossierId, round);
      await writeOpinionSummary(m, dossierId, summary);
      if (chosen) await recordChosenOption(m, dossierId, chosen.optionId, chosen.rationale);
      await transition(m, dossierId, next, {
        action: 'OPINIONS_CONSOLIDATED',
        actorRole: 'SYSTEM',
        ruleId: opinionsDiffer || chosen ? 'R-12' : 'R-11',
        details: { opinionsDiffer, lateOpinionCount, round, ...(chosen ? { agreedOptionId: chosen.optionId } : {}) },
        idempotencyKey: key,
      });
      return complete({ opinionsDiffer, lateOpinionCount, ...(chosen ? { chosenOptionId: chosen.optionId } : {}) });
    }, { signatures: false });
  },
};
