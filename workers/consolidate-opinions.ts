/**
 * Topic consolidate-opinions: marks late opinions, pre-fills the opinion summary the
 * submission must carry and decides whether opinions differ, so the lead agency must
 * choose one option.
 */
import { decideOpinionsDiffer } from '../domain/rules/r12-chosen-option.ts';
import { summariseOpinions } from '../domain/rules/r11-opinion-summary.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { transition } from '../store/audit.ts';
import { complete } from './runtime/outcome.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'consolidate-opinions';

/** The pure decision on the current round's opinions. */
export function decide(facts: DossierFacts, round: number, rules: RulesConfig) {
  const opinions = facts.opinions.filter((o) => o.round === round);
  const summary = summariseOpinions({ ...facts, opinions }, rules);
  const opinionsDiffer = decideOpinionsDiffer(opinions, facts.options);
  return { summary, opinionsDiffer, lateOpinionCount: summary.filter((s) => s.late).length };
}

export const consolidateOpinions: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy } = ctx;
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const { summary, opinionsDiffer, lateOpinionCount } = decide(facts, round, policy.rules);
      await m.query(
        `UPDATE opinion SET late = (o.received_at > r.due_at) FROM opinion o JOIN opinion_request r ON r.id = o.request_id
         WHERE opinion.id = o.id AND o.dossier_id = $1 AND o.round = $2`,
        [dossierId, round],
      );
      // Pre-filled only: the drafter's own summary is never overwritten.
      await m.query(`UPDATE dossier SET opinion_summary = $2 WHERE id = $1 AND opinion_summary = '[]'::jsonb`, [
        dossierId,
        JSON.stringify(summary.map(({ agencyCode, position, summary: text }) => ({ agencyCode, position, summary: text }))),
      ]);
      const next = opinionsDiffer ? 'CHOOSING_OPTION' : facts.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION';
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
