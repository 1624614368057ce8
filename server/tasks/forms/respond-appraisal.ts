/** Form respond-appraisal (Task_RespondAppraisal): the lead agency answers the appraisal, with its explanation. */
import { LEAD_AGENCY_DOOR, saveDocuments } from '../../dossiers/documents.ts';
import { dossierForm, moveDossier } from './step.ts';

export const respondAppraisal = dossierForm('respond-appraisal', async (s, data) => {
  if (data.document) {
    await saveDocuments(s.m, s.dossier, s.actor, [{ ...data.document, role: 'RECEIPT_EXPLANATION' }], s.now, LEAD_AGENCY_DOOR);
  }
  await moveDossier(s, 'DRAFTING_SUBMISSION', 'APPRAISAL_ANSWERED', { ruleId: 'R-21', details: { note: data.note } });
  return { variables: {}, refreshDeadlines: true };
});
