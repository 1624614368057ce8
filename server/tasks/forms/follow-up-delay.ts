/** Form follow-up-delay (Task_FollowUpDelay): the Office records how it chased an overdue dossier. */
import { auditStep, dossierForm } from './step.ts';

export const followUpDelay = dossierForm('follow-up-delay', async (s, data) => {
  await auditStep(s, 'DELAY_FOLLOWED_UP', { ruleId: 'R-25', details: { note: data.note } });
  return { variables: {}, refreshDeadlines: false };
});
