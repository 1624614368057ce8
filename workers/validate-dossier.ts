/**
 * Topic validate-dossier: the rules a dossier must meet at intake (R-01/02/03/04, R-10, R-15,
 * ) and before signing. A broken rule is a
 * BPMN error the diagram routes back to the drafter.
 */
import { errorsOnly, returnReasonOf, type RuleViolation } from '../domain/errors.ts';
import { validateIntake, validatePreSign } from '../domain/rules/index.ts';
import type { DossierFacts } from '../domain/facts.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { recordReturn } from '../store/returns.ts';
import { transition } from '../store/audit.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { violationsError } from './runtime/vars.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'validate-dossier';

export type Stage = 'INTAKE' | 'PRE_SIGN';

export function parseStage(value: unknown): Stage {
  if (value === 'INTAKE' || value === 'PRE_SIGN') return value;
  throw new WorkerFault(`input "stage" must be INTAKE or PRE_SIGN, got ${JSON.stringify(value)}`);
}

/** The pure decision: which rules are broken at this stage, and where the dossier goes next. */
export function decide(stage: Stage, facts: DossierFacts, rules: RulesConfig): { errors: RuleViolation[]; warnings: RuleViolation[]; nextStatus: string } {
  const all = stage === 'INTAKE' ? validateIntake(facts, rules) : validatePreSign(facts, rules);
  const errors = errorsOnly(all);
  const warnings = all.filter((v) => v.severity === 'warning');
  if (errors.length > 0) return { errors, warnings, nextStatus: stage === 'INTAKE' ? 'REVISION_REQUIRED' : 'DRAFTING_SUBMISSION' };
  if (stage === 'PRE_SIGN') return { errors, warnings, nextStatus: 'AWAITING_SIGNATURE' };
  if (facts.consultedAgencyCodes.length > 0) return { errors, warnings, nextStatus: 'CONSULTING' };
  return { errors, warnings, nextStatus: facts.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION' };
}

export const validateDossier: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: [...DOSSIER_STEP_VARIABLES, 'stage'],
  async handle(ctx) {
    const { policy } = ctx;
    const stage = parseStage(ctx.vars.stage);
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const { errors, warnings, nextStatus } = decide(stage, facts, policy.rules);
      await transition(m, dossierId, nextStatus, {
        action: errors.length > 0 ? `VALIDATION_FAILED_${stage}` : `VALIDATED_${stage}`,
        actorRole: 'SYSTEM',
        ruleId: errors[0]?.rule ?? null,
        errorCode: errors[0]?.code ?? null,
        details: { errors: errors.map((e) => e.code), warnings: warnings.map((w) => w.code) },
        idempotencyKey: key,
      });
      if (errors.length > 0) {
        const reason = returnReasonOf(errors[0]!.code);
        if (reason) await recordReturn(m, { dossierId, round, source: 'GATE', reason, note: errors[0]!.message, idempotencyKey: key });
        return violationsError(errors);
      }
      return complete({ needsOpinions: facts.consultedAgencyCodes.length > 0, lastWarnings: warnings.map((w) => `[${w.rule}] ${w.message}`).join('\n') });
    }, { signatures: stage === 'PRE_SIGN' });
  },
};
