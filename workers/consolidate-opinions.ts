/**
 * Topic consolidate-opinions: marks late opinions, pre-fills the opinion summary the
 * submission must carry and decides whether opinions differ, so the lead agency must
 * choose one option.
 */
import { decideOpinionsDiffer } from '../domain/rules/r12-chosen-option.ts';
import { summariseOpinions } from '../domain/rules/r11-opinion-summary.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { DossierStatus } from '../domain/model.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { transition } from '../store/audit.ts';
import { markLateOpinions } from '../store/opinions.ts';
import { prefillOpinionSummary } from '../store/dossiers.ts';
import { complete } from './runtime/outcome.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'consolidate-opinions';

/** The pure decision on the current round's opinions. */
export function decide(facts: DossierFacts, round: number, rules: RulesConfig) {
  const opinions = facts.opinions.filter((o) => o.round === round);
  const summary = summariseOpinions({ ...facts, opinions }, rules);
  const opinionsDiffer = decideOpinionsDiffer(opinions, facts.options);
  const next: DossierStatus = opinionsDiffer ? 'CHOOSING_OPTION' : facts.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION';
  return { summary, opinionsDiffer, next, lateOpinionCount: summary.filter((s) => s.late).length };
}

export const consolidateOpinions: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy } = ctx;
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const { summary, opinionsDiffer, next, lateOpinionCount } = decide(facts, round, policy.rules);
      await markLateOpinions(m, dossierId, round);
      await prefillOpinionSummary(m, dossierId, summary.map(({ agencyCode, position, summary: text }) => ({ agencyCode, position, summary: text })));
      await transition(m, dossierId, next, {
        action: 'OPINIONS_CONSOLIDATED',
        actorRole: 'SYSTEM',
        ruleId: opinionsDiffer ? 'R-12' : 'R-11',
        details: { opinionsDiffer, lateOpinionCount, round },
        idempotencyKey: key,
      });
      return complete({ opinionsDiffer, lateOpinionCount });
    }, { signatures: false });
  },
};
