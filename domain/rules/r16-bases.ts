import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts, LegalRefFacts } from '../facts.ts';
import type { SecrecyLevel } from '../model.ts';
import { isConfidential } from './r19-confidential-paper.ts';
import { isBlank } from './vague-text.ts';

/** a cited legal document needs at least its type and number/symbol. */
export function isCitedLegalRef(ref: LegalRefFacts): boolean {
  return !isBlank(ref.type) && !isBlank(ref.numberSymbol);
}

/**
 * the submission states its legal basis (at least one cited document, each with type and
 * number/symbol), its practical basis and the agency's proposal. Opinions of agencies are R-11.
 * A secret dossier states its practical basis and proposal on paper only: they are not asked of it.
 */
export function checkBases(d: Pick<DossierFacts, 'legalBasis' | 'practicalBasis' | 'proposal'> & { secrecyLevel?: SecrecyLevel }): RuleViolation[] {
  const out: RuleViolation[] = [];
  const incomplete = d.legalBasis.flatMap((ref, index) => (isCitedLegalRef(ref) ? [] : [index]));
  if (d.legalBasis.length === 0 || incomplete.length > 0) {
    out.push(violation('ERR_MISSING_LEGAL_BASIS', incomplete.length > 0 ? { incompleteEntries: incomplete } : undefined));
  }
  if (d.secrecyLevel !== undefined && isConfidential(d.secrecyLevel)) return out;
  if (isBlank(d.practicalBasis)) out.push(violation('ERR_MISSING_PRACTICAL_BASIS'));
  if (isBlank(d.proposal)) out.push(violation('ERR_MISSING_PROPOSAL'));
  return out;
}
