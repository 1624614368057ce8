/**
 * The checks the workers and the server call, one per stage of the dossier. Each returns every
 * violation found (errors and warnings); callers block on `errorsOnly(...)`.
 */
import { type RuleViolation } from '../errors.ts';
import type { DossierFacts, SignatureInput } from '../facts.ts';
import type { RulesConfig } from './config.ts';
import { checkAuthority } from './r01-authority.ts';
import { checkConcreteProposal } from './r03-concrete-proposal.ts';
import { checkAgencyField } from './r04-agency-field.ts';
import { checkHeadSignature, checkSignatureRecorded } from './r05-head-signature.ts';
import { checkDeputyDelegation } from './r06-deputy-delegation.ts';
import { checkUbndMemberHead, checkUbndMemberHeadDocuments } from './r07-ubnd-member-head.ts';
import { checkDraftSignatures } from './r09-draft-signature.ts';
import { checkOpinionRequestRecipients, checkOpinionsGate } from './r10-opinions-gate.ts';
import { checkOpinionSummary, checkSummaryMatchesOpinions } from './r11-opinion-summary.ts';
import { checkChosenOption } from './r12-chosen-option.ts';
import { checkSubmissionDocType } from './r15-submission-doc-type.ts';
import { checkBases } from './r16-bases.ts';
import { checkComponents } from './r17-components.ts';
import { checkDocumentFormat } from './r18-document-format.ts';
import { checkConfidentialPaper, isConfidential } from './r19-confidential-paper.ts';
import { checkAppraisalRequired } from './r20-appraisal-required.ts';
import { isBlank } from './vague-text.ts';

export * from './config.ts';
export * from './categories.ts';
export * from './vague-text.ts';
export * from './symbols.ts';
export * from './r01-authority.ts';
export * from './r03-concrete-proposal.ts';
export * from './r04-agency-field.ts';
export * from './r05-head-signature.ts';
export * from './r06-deputy-delegation.ts';
export * from './r07-ubnd-member-head.ts';
export * from './r09-draft-signature.ts';
export * from './r10-opinions-gate.ts';
export * from './r11-opinion-summary.ts';
export * from './r12-chosen-option.ts';
export * from './r13-opinion-deadline.ts';
export * from './r14-opinion-consistency.ts';
export * from './r15-submission-doc-type.ts';
export * from './r16-bases.ts';
export * from './r17-components.ts';
export * from './r18-document-format.ts';
export * from './r19-confidential-paper.ts';
export * from './r20-appraisal-required.ts';
export * from './r21-appraisal-explicit.ts';
export * from './r22-deadlines.ts';
export * from './r23-co-addressed.ts';
export * from './r27-head-attendance.ts';
export * from './r30-return-reasons.ts';
export { errorsOnly, violation, type RuleViolation, type ErrorCode } from '../errors.ts';

type Found = RuleViolation | null | readonly RuleViolation[];

function collect(...found: Found[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    for (const v of f === null ? [] : Array.isArray(f) ? f : [f as RuleViolation]) {
      const key = `${v.code}|${JSON.stringify(v.details ?? null)}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(v);
      }
    }
  }
  return out;
}

/**
 * Stage INTAKE (`validate-dossier`, and the server on POST /api/dossiers): R-01/02, R-03 (warning),
 * R-04, R-10 (recipients of opinion requests), R-15, R-16, R-17 first pass, R-18, R-19.
 */
export function validateIntake(d: DossierFacts, config: RulesConfig): RuleViolation[] {
  return collect(
    checkAuthority(d, config),
    checkConcreteProposal(d, config),
    isBlank(d.matterCategory) ? null : checkAgencyField(d, config),
    checkSubmissionDocType(d.documents),
    checkBases(d),
    checkComponents(d, 'INTAKE'),
    checkDocumentFormat(d),
    checkConfidentialPaper(d, config),
    checkOpinionRequestRecipients(d.documents, config),
  );
}

/**
 * Stage PRE_SIGN (`validate-dossier` after "Hoàn thiện tờ trình"): R-11 (every agency, as it answered),
 * R-12 when opinions differ or several options are offered, R-07 (no document signed for a UBND member head), R-15, R-16, R-17 complete, R-18, R-09 on every draft.
 */
export function validatePreSign(d: DossierFacts, config: RulesConfig): RuleViolation[] {
  return collect(
    checkOpinionSummary(d),
    checkSummaryMatchesOpinions(d, config),
    // a secret dossier's rationale is argued on paper.
    checkChosenOption(d, { secret: isConfidential(d.secrecyLevel) }),
    checkUbndMemberHeadDocuments(d),
    checkSubmissionDocType(d.documents),
    checkBases(d),
    checkComponents(d, 'COMPLETE'),
    checkDocumentFormat(d),
    checkDraftSignatures(d.documents),
  );
}

/**
 * `head-signature`: R-05 (lead agency's head or acting head, signed and stamped / organisation-signed),
 * R-06 (a deputy only when urgent and under a valid authorization in scope at signedAt), R-07 (no
 * deputy at all for a matter assigned to a UBND member head), R-09 (drafts).
 */
export function checkSignature(input: SignatureInput, _config: RulesConfig): RuleViolation[] {
  return collect(
    checkHeadSignature(input),
    checkUbndMemberHead(input.dossier, input.signer.role),
    checkUbndMemberHeadDocuments(input.dossier),
    checkDeputyDelegation(input),
    checkDraftSignatures(input.dossier.documents),
  );
}

/**
 * `forward-to-ubnd`: gates that hold whatever the diagram says: R-10 (no opinion pending), R-20
 * (appraisal completed and not NOT_ELIGIBLE), R-17 complete, R-05 (a verified signature), R-19.
 */
export function checkForwardGates(d: DossierFacts, config: RulesConfig): RuleViolation[] {
  return collect(
    checkOpinionsGate(d, config),
    checkAppraisalRequired(d),
    checkComponents(d, 'COMPLETE'),
    checkSignatureRecorded(d),
    checkConfidentialPaper(d, config),
  );
}
