/**
 * Form sign (Task_Sign): the head, or a deputy under a delegation covering this dossier (R-05,
 * R-06), signs the current tờ trình; the head-signature worker then checks the signature.
 */
import { violation } from '../../../domain/errors.ts';
import { isHeadRole } from '../../../domain/access.ts';
import { authorizationProblems } from '../../../domain/rules/r06-deputy-delegation.ts';
import { currentSubmissionDocument, recordDocumentSigning } from '../../../store/documents.ts';
import { delegationsGrantedTo } from '../../../store/organisation.ts';
import { recordSignature, signStoredDocument, signingCapacityFacts } from '../../../store/signatures.ts';
import { signingCapacity } from '../../../domain/signature-block.ts';
import { setUrgentReason } from '../../../store/dossiers.ts';
import { ApiError, ruleError } from '../../errors.ts';
import { auditStep, dossierForm } from './step.ts';

export const sign = dossierForm('sign', async (s, data) => {
  const doc = await currentSubmissionDocument(s.m, s.dossier.id);
  if (!doc) throw ruleError([violation('ERR_DOSSIER_INCOMPLETE', { missing: ['SUBMISSION_DOC'] })]);
  const role = isHeadRole(s.actor.role) ? 'HEAD' : s.actor.role === 'DEPUTY' ? 'DEPUTY' : null;
  if (!role) throw new ApiError(403, 'ERR_SIGNATURE_INVALID', violation('ERR_SIGNATURE_INVALID').message, { rule: 'R-05' });
  let authorizationId: string | null = null;
  if (role === 'DEPUTY') {
    // The rule decides which delegation covers this dossier, not a second copy of it in SQL.
    const delegations = await delegationsGrantedTo(s.m, s.actor.id, s.dossier.leadAgencyCode);
    const covering = delegations.find(
      (d) =>
        authorizationProblems(d, {
          dossier: { id: s.dossier.id, matterCategory: s.dossier.matterCategory, leadAgency: { code: s.dossier.leadAgencyCode, headUserId: d.agencyHeadUserId ?? '', fields: [], headIsUbndMember: false } },
          granteeUserId: s.actor.id,
          signedAt: s.now,
        }).length === 0,
    );
    authorizationId = covering?.id ?? null;
    if (data.urgentReason && !s.dossier.urgentReason) await setUrgentReason(s.m, s.dossier.id, data.urgentReason);
  }
  if (doc.medium === 'ELECTRONIC') {
    await signStoredDocument(s.m, { documentId: doc.id, kind: 'PERSON', subjectId: s.actor.id, signedAt: s.now });
    if (data.stamped) await signStoredDocument(s.m, { documentId: doc.id, kind: 'ORGANISATION', subjectId: s.dossier.leadAgencyCode, signedAt: s.now });
  }
  // The capacity is taken from the records as they are now and kept with the signature: a later
  // change of position does not change what was signed (domain/signature-block.ts).
  const capacityFacts = await signingCapacityFacts(s.m, s.actor.id, s.dossier.leadAgencyCode);
  if (!capacityFacts) throw new ApiError(403, 'ERR_SIGNATURE_INVALID', violation('ERR_SIGNATURE_INVALID').message, { rule: 'R-05' });
  const capacity = signingCapacity({ signerRole: s.actor.role === 'ACTING_HEAD' ? 'ACTING_HEAD' : role, ...capacityFacts });
  const { signingForm } = capacity;
  await recordDocumentSigning(s.m, doc.id, { stamped: data.stamped, signerUserId: s.actor.id, signingForm, signerPosition: capacity.signerPosition });
  await recordSignature(s.m, {
    dossierId: s.dossier.id,
    documentId: doc.id,
    round: s.round,
    signerUserId: s.actor.id,
    signerRole: role,
    ...capacity,
    authorizationId,
    urgentReason: data.urgentReason ?? s.dossier.urgentReason,
    stamped: data.stamped,
    signedAt: s.now,
    accountableUserId: s.dossier.accountableUserId,
    taskId: s.taskId,
  });
  await auditStep(s, 'SIGNATURE_SUBMITTED', { ruleId: role === 'DEPUTY' ? 'R-06' : 'R-05', details: { documentId: doc.id, role, authorizationId, signingForm } });
  return { variables: {}, refreshDeadlines: true };
});
