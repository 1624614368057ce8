/**
 * Topic validate-dossier: the rules a dossier must meet at intake (R-01/02/03/04, R-10, R-15,
 * ) and before signing. A broken rule is a
 * BPMN error the diagram routes back to the drafter.
 */
import { errorsOnly, warningsOnly, type RuleViolation } from '../domain/errors.ts';
import { recordRuleWarnings } from '../store/dossiers.ts';
import { validateIntake, validatePreSign } from '../domain/rules/index.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { DossierStatus } from '../domain/model.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { transition } from '../store/audit.ts';
import { rulesWithStoredMatrix } from '../store/reference-data.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { reconsultScope } from './request-opinions.ts';
import { DOSSIER_STEP_VARIABLES, rejectStep, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'validate-dossier';

export type Stage = 'INTAKE' | 'PRE_SIGN';

export function parseStage(value: unknown): Stage {
  if (value === 'INTAKE' || value === 'PRE_SIGN') return value;
  throw new WorkerFault(`input "stage" must be INTAKE or PRE_SIGN, got ${JSON.stringify(value)}`);
}

/**
 * The pure decision: which rules are broken at this stage, and where the dossier goes next.
 * `consults`: whether this round asks anyone's opinion (R-30: not after a content return that named nobody).
 */
export function decide(
  stage: Stage,
  facts: DossierFacts,
  rules: RulesConfig,
  consults = facts.consultedAgencyCodes.length > 0,
): { errors: RuleViolation[]; warnings: RuleViolation[]; nextStatus: DossierStatus } {
  const all = stage === 'INTAKE' ? validateIntake(facts, rules) : validatePreSign(facts, rules);
  const errors = errorsOnly(all);
  const warnings = all.filter((v) => v.severity === 'warning');
  if (errors.length > 0) return { errors, warnings, nextStatus: stage === 'INTAKE' ? 'REVISION_REQUIRED' : 'DRAFTING_SUBMISSION' };
  if (stage === 'PRE_SIGN') return { errors, warnings, nextStatus: 'AWAITING_SIGNATURE' };
  if (consults) return { errors, warnings, nextStatus: 'CONSULTING' };
  return { errors, warnings, nextStatus: facts.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION' };
}

export const validateDossier: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: [...DOSSIER_STEP_VARIABLES, 'stage', 'reconsultRound', 'reconsultAgenciesCsv'],
  async handle(ctx) {
    const { policy } = ctx;
    const stage = parseStage(ctx.vars.stage);
    return withDossierFacts(ctx, async (step) => {
      const { facts, round } = step;
      const scope = reconsultScope({ reconsultRound: ctx.vars.reconsultRound, reconsultAgenciesCsv: ctx.vars.reconsultAgenciesCsv }, round);
      const consults = facts.consultedAgencyCodes.some((a) => scope === null || scope.includes(a));
      const { errors, warnings, nextStatus } = decide(stage, facts, await rulesWithStoredMatrix(step.m, policy.rules), consults);
      // warn and never block: the latest intake check's are kept with the dossier and shown.
      if (stage === 'INTAKE') await recordRuleWarnings(step.m, step.dossierId, warningsOnly(warnings));
      if (errors.length > 0) {
        return rejectStep(step, errors, {
          round,
          to: nextStatus,
          action: `VALIDATION_FAILED_${stage}`,
          returnSource: 'GATE',
          details: { errors: errors.map((e) => e.code), warnings: warnings.map((w) => w.code) },
        });
      }
      await transition(step.m, step.dossierId, nextStatus, {
        action: `VALIDATED_${stage}`,
        actorRole: 'SYSTEM',
        details: { errors: [], warnings: warnings.map((w) => w.code) },
        idempotencyKey: step.key,
      });
      return complete({ needsOpinions: consults, lastWarnings: warnings.map((w) => `[${w.rule}] ${w.message}`).join('\n') });
    }, { signatures: stage === 'PRE_SIGN' });
  },
};
