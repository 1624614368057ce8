/**
 * Form send-paper (Task_SendPaper): the lead agency's clerk, who holds a confidential dossier's
 * paper original, records that it carries the handwritten signature and that they stamped it,
 * its số, ký hiệu, and its registration at the Office. On paper the signer's own "stamped" is only a
 * declaration (workers/head-signature.ts): this record, with the clerk's id and the time, is what
 * attests it, and the dossier reaches the Office only with it.
 */
import { violation } from '../../../domain/errors.ts';
import { recordPaperDelivery } from '../../../store/submissions.ts';
import { ApiError } from '../../errors.ts';
import { dossierForm, moveDossier } from './step.ts';

export const sendPaper = dossierForm('send-paper', async (s, data) => {
  if (!data.signatureChecked) {
    throw new ApiError(422, 'ERR_SIGNATURE_INVALID', violation('ERR_SIGNATURE_INVALID').message, { rule: 'R-05', field: 'signatureChecked' });
  }
  if (!data.stamped) throw new ApiError(422, 'ERR_STAMP_MISSING', violation('ERR_STAMP_MISSING').message, { rule: 'R-05', field: 'stamped' });
  await recordPaperDelivery(s.m, s.dossier.id, s.round, {
    officeRegistrationNo: data.officeRegistrationNo,
    note: data.note ?? null,
    paperReference: data.paperReference,
    clerkUserId: s.actor.id,
    at: s.now,
  });
  await moveDossier(s, 'SUBMITTED', 'PAPER_DELIVERED', {
    ruleId: 'R-19',
    details: { officeRegistrationNo: data.officeRegistrationNo, paperReference: data.paperReference, signatureChecked: true, stampedBy: s.actor.id },
  });
  return { variables: {}, refreshDeadlines: true };
});
