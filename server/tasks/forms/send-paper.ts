/** Form send-paper (Task_SendPaper): a confidential dossier's paper original reached the Office. */
import { recordPaperDelivery } from '../../../store/submissions.ts';
import { dossierForm, moveDossier } from './step.ts';

export const sendPaper = dossierForm('send-paper', async (s, data) => {
  await recordPaperDelivery(s.m, s.dossier.id, s.round, data.officeRegistrationNo, data.note ?? null);
  await moveDossier(s, 'SUBMITTED', 'PAPER_DELIVERED', { ruleId: 'R-19', details: { officeRegistrationNo: data.officeRegistrationNo } });
  return { variables: {}, refreshDeadlines: true };
});
