import { returnReasonOf, violation, type RuleViolation } from '../errors.ts';
import { RETURN_REASONS, type ReturnReason } from '../model.ts';

export interface OfficeReturnInput {
  outcome: string;
  returnReason?: string | null;
  note?: string | null;
}

/** whether a value is one of the fixed return reasons. */
export function isReturnReason(value: unknown): value is ReturnReason {
  return typeof value === 'string' && (RETURN_REASONS as readonly string[]).includes(value);
}

/** the Office's intake outcome is ACCEPT or RETURN, and a RETURN carries a reason from the enum. */
export function checkOfficeReturn(input: OfficeReturnInput): RuleViolation | null {
  if (input.outcome !== 'ACCEPT' && input.outcome !== 'RETURN') return violation('ERR_OFFICE_OUTCOME_INVALID', { outcome: input.outcome });
  if (input.outcome === 'RETURN' && !isReturnReason(input.returnReason)) {
    return violation('ERR_RETURN_REASON_REQUIRED', { returnReason: input.returnReason ?? null, allowed: [...RETURN_REASONS] });
  }
  return null;
}

/** the return reason to record when a gate sends a dossier back: that of the first error that has one. */
export function returnReasonFor(violations: readonly RuleViolation[]): ReturnReason | null {
  for (const v of violations) {
    if (v.severity !== 'error') continue;
    const reason = returnReasonOf(v.code);
    if (reason !== null) return reason;
  }
  return null;
}
