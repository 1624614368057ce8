import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import type { SigningForm, UserRole } from '../model.ts';
import { isHeadRole } from './r05-head-signature.ts';

/**
 * a matter assigned to a UBND member who heads the lead agency is signed by the head (or acting head)
 * in person, whatever authorization exists. Also usable when a user claims the signing task.
 */
export function checkUbndMemberHead(d: Pick<DossierFacts, 'assignedToUbndMember'>, signerRole: UserRole): RuleViolation | null {
  if (!d.assignedToUbndMember || isHeadRole(signerRole)) return null;
  return violation('ERR_HEAD_SIGNATURE_REQUIRED', { signerRole });
}

/** Signing forms by which someone other than the head signs for him (KT., TL., TUQ.). */
const ON_BEHALF_OF_HEAD: readonly SigningForm[] = ['KT', 'TL', 'TUQ'];

/**
 * R-07 (docs/RULES.md decision 6): every document the lead agency issues to carry out a matter assigned
 * to a UBND member head (opinion requests, explanations, the submission) is signed by the head in
 * person, never KT./TL./TUQ. by someone else.
 */
export function checkUbndMemberHeadDocuments(d: Pick<DossierFacts, 'assignedToUbndMember' | 'leadAgency' | 'documents'>): RuleViolation | null {
  if (!d.assignedToUbndMember) return null;
  const documents = d.documents
    .filter((doc) => doc.issuerAgencyCode === d.leadAgency.code && doc.signingForm !== undefined && ON_BEHALF_OF_HEAD.includes(doc.signingForm))
    .map((doc) => doc.symbol);
  return documents.length === 0 ? null : violation('ERR_HEAD_SIGNATURE_REQUIRED', { documents, list: documents });
}
