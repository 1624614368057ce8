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

/**
 * R-30, issue 16: a return costs what its reason needs. A return for the form of the tờ trình (its
 * type, its format, its signature or stamp) goes back to redrafting and signing it: the opinions,
 * appraisal and chosen option already recorded still hold. Every other reason is about content and
 * goes to revision, re-consulting only the agencies the Office names.
 */
export const FORMAT_RETURN_REASONS: readonly ReturnReason[] = ['WRONG_DOC_TYPE', 'FORMAT', 'INVALID_SIGNATURE'];

export type ReturnRoute = 'REDRAFT' | 'REVISE';

/** where an Office return sends the dossier: REDRAFT (tờ trình and signature only) or REVISE (content). */
export function returnRoute(reason: ReturnReason): ReturnRoute {
  return FORMAT_RETURN_REASONS.includes(reason) ? 'REDRAFT' : 'REVISE';
}

/**
 * the agencies a content return re-consults, named by the Office among those the dossier
 * consulted; none named is none re-consulted. A name outside the list is refused, not dropped.
 */
export function checkReconsultAgencies(reason: ReturnReason, named: readonly string[], consulted: readonly string[]): RuleViolation | null {
  if (named.length === 0) return null;
  if (returnRoute(reason) === 'REDRAFT') return violation('ERR_RECONSULT_NOT_CONTENT', { returnReason: reason });
  const unknown = [...new Set(named)].filter((a) => !consulted.includes(a)).sort();
  return unknown.length === 0 ? null : violation('ERR_RECONSULT_NOT_CONSULTED', { agencies: unknown });
}
