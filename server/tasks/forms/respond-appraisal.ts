/** Form respond-appraisal (Task_RespondAppraisal): the lead agency answers the appraisal, with its explanation. */
import { violation } from '../../../domain/errors.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { isBlank } from '../../../domain/rules/vague-text.ts';
import { ruleErrorOn } from '../../errors.ts';
import { LEAD_AGENCY_DOOR, saveDocuments } from '../../dossiers/documents.ts';
import { dossierForm, moveDossier } from './step.ts';

export const respondAppraisal = dossierForm('respond-appraisal', async (s, data) => {
  // the lead agency explains how it took the appraisal in; on a secret dossier the explanation is on paper.
  if (isBlank(data.note) && !isConfidential(s.dossier.secrecyLevel)) throw ruleErrorOn('note', [violation('ERR_APPRAISAL_RESPONSE_INCOMPLETE')]);
  if (data.document) {
    await saveDocuments(s.m, s.dossier, s.actor, [{ ...data.document, role: 'RECEIPT_EXPLANATION' }], s.now, LEAD_AGENCY_DOOR);
  }
  await moveDossier(s, 'DRAFTING_SUBMISSION', 'APPRAISAL_ANSWERED', { ruleId: 'R-21', details: { note: data.note } });
  return { variables: {}, refreshDeadlines: true };
});
