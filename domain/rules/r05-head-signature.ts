import { violation, type RuleViolation } from '../errors.ts';
import type { DocumentFacts, DossierFacts, SignatureFacts, SignatureInput } from '../facts.ts';
import type { Medium, UserRole } from '../model.ts';

/** an acting head (Q. Giám đốc) counts as the head (docs/RULES.md decision 3). */
export function isHeadRole(role: UserRole): boolean {
  return role === 'HEAD' || role === 'ACTING_HEAD';
}

/** the submission document (role SUBMISSION_DOC), if there is exactly one. */
export function submissionDocument(d: Pick<DossierFacts, 'documents'>): DocumentFacts | null {
  const docs = d.documents.filter((doc) => doc.role === 'SUBMISSION_DOC');
  return docs.length === 1 ? (docs[0] ?? null) : null;
}

/** the medium the submission document is signed on: its own, else the dossier's channel. */
export function submissionMedium(d: Pick<DossierFacts, 'documents' | 'channel'>): Medium {
  return submissionDocument(d)?.medium ?? d.channel;
}

/**
 * the submission document is signed by someone of the lead agency in a signing role (deputies are
 * then judged by ), with a valid personal signature, and stamped on paper or carrying the
 * organisation's digital signature when electronic. On paper, `personalSignatureValid` and `stamped` are
 * what the signer declared; the clerk's paper step records the handwritten signature and the stamp afterwards.
 */
export function checkHeadSignature(input: SignatureInput): RuleViolation[] {
  const { dossier: d, signer } = input;
  const reasons: string[] = [];
  if (signer.agencyCode !== d.leadAgency.code) reasons.push('SIGNER_NOT_IN_LEAD_AGENCY');
  if (!isHeadRole(signer.role) && signer.role !== 'DEPUTY') reasons.push('ROLE_NOT_ALLOWED');
  if (signer.role === 'HEAD' && signer.userId !== d.leadAgency.headUserId) reasons.push('NOT_THE_HEAD');
  if (!input.personalSignatureValid) reasons.push('PERSONAL_SIGNATURE_INVALID');

  const out: RuleViolation[] = [];
  if (reasons.length > 0) {
    out.push(
      violation('ERR_SIGNATURE_INVALID', {
        reasons,
        signerUserId: signer.userId,
        signerRole: signer.role,
        signerAgencyCode: signer.agencyCode,
        leadAgencyCode: d.leadAgency.code,
      }),
    );
  }
  const medium = submissionMedium(d);
  const sealed = medium === 'ELECTRONIC' ? input.orgSignatureValid : input.stamped;
  if (!sealed) out.push(violation('ERR_STAMP_MISSING', { medium }));
  return out;
}

/** R-05 (forward gate): a signature was recorded, verified, and made for the lead agency. */
export function checkSignatureRecorded(
  d: Pick<DossierFacts, 'leadAgency' | 'assignedToUbndMember' | 'documents' | 'channel'> & { signature?: SignatureFacts },
): RuleViolation | null {
  const s = d.signature;
  if (s === undefined) return violation('ERR_SIGNATURE_INVALID', { reasons: ['NOT_SIGNED'] });
  const reasons: string[] = [];
  if (!s.verification.ok) reasons.push('VERIFICATION_FAILED');
  if (s.signerAgencyCode !== d.leadAgency.code) reasons.push('SIGNER_NOT_IN_LEAD_AGENCY');
  if (!s.personalSigOk) reasons.push('PERSONAL_SIGNATURE_INVALID');
  if (!(submissionMedium(d) === 'ELECTRONIC' ? s.orgSigOk : s.stamped)) reasons.push('NOT_STAMPED');
  if (s.signerRole === 'DEPUTY' && (d.assignedToUbndMember || s.authorizationId === undefined)) reasons.push('DEPUTY_NOT_ALLOWED');
  if (reasons.length === 0) return null;
  return violation('ERR_SIGNATURE_INVALID', { reasons, errorCodes: s.verification.errorCodes });
}
