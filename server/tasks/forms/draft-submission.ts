/** Form draft-submission (Task_DraftSubmission): the drafter completes the tờ trình and the dossier's other documents. */
import { assertNoUbndWhileConsulting, LEAD_AGENCY_DOOR, saveDocuments } from '../../dossiers/documents.ts';
import { applyDossierChanges } from '../../dossiers/service.ts';
import { dossierForm, moveDossier } from './step.ts';

export const draftSubmission = dossierForm('draft-submission', async (s, data) => {
  if (data.changes) await applyDossierChanges(s.m, s.dossier.id, data.changes);
  if (data.documents.length > 0) {
    assertNoUbndWhileConsulting(data.documents, s.deps.policy.rules);
    await saveDocuments(s.m, s.dossier, s.actor, data.documents, s.now, LEAD_AGENCY_DOOR);
  }
  await moveDossier(s, 'VALIDATING', 'SUBMISSION_DRAFTED', { details: { note: data.note } });
  return { variables: {}, refreshDeadlines: true };
});
