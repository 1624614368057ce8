import { violation, type RuleViolation } from '../errors.ts';
import { APPRAISAL_CONCLUSIONS } from '../model.ts';
import type { RulesConfig } from './config.ts';
import { findVaguePhrases, isBlank } from './vague-text.ts';

export interface AppraisalResultInput {
  conclusion?: string | null;
  lawful?: boolean | null;
  reasons?: string | null;
}

/**
 * the appraisal states its own position: a conclusion from the enum and whether issuance is
 * lawful (structural, the hard rule), with reasons. Vague phrases only add detail to the message, so a
 * clear conclusion that also says "cân nhắc" is accepted.
 */
export function checkAppraisalResult(input: AppraisalResultInput, config: RulesConfig, opts: { secret?: boolean } = {}): RuleViolation[] {
  const missing: string[] = [];
  if (!(APPRAISAL_CONCLUSIONS as readonly (string | null | undefined)[]).includes(input.conclusion)) missing.push('conclusion');
  if (typeof input.lawful !== 'boolean') missing.push('lawful');
  if (missing.length > 0) {
    return [violation('ERR_APPRAISAL_VAGUE', { missing, vaguePhrases: findVaguePhrases(input.reasons, config.vaguePhrases) })];
  }
  // a secret dossier's appraisal reasons are in the paper report; conclusion and lawfulness are its metadata.
  if (isBlank(input.reasons) && !opts.secret) return [violation('ERR_APPRAISAL_INCOMPLETE')];
  if (input.conclusion === 'ELIGIBLE' && input.lawful === false) {
    return [violation('ERR_APPRAISAL_CONTRADICTORY', { conclusion: input.conclusion, lawful: input.lawful })];
  }
  return [];
}
