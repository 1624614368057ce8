import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';

/** legal-normative content always needs appraisal; other content when the dossier says so. */
export function needsAppraisal(d: Pick<DossierFacts, 'isLegalNormative' | 'requiresAppraisal'>): boolean {
  return d.isLegalNormative || d.requiresAppraisal;
}

/**
 * R-20 (forward gate): a dossier that needs appraisal has a COMPLETED one, and its conclusion is not
 * NOT_ELIGIBLE.
 */
export function checkAppraisalRequired(d: Pick<DossierFacts, 'isLegalNormative' | 'requiresAppraisal' | 'appraisal'>): RuleViolation | null {
  if (!needsAppraisal(d)) return null;
  const a = d.appraisal;
  if (a === undefined || a.status !== 'COMPLETED') return violation('ERR_APPRAISAL_MISSING', { status: a?.status ?? null });
  if (a.conclusion === 'NOT_ELIGIBLE') return violation('ERR_APPRAISAL_NOT_ELIGIBLE', { conclusion: a.conclusion });
  return null;
}
