/** Form leader-decision (Task_LeaderDecision): UBND's leader approves or not; the dossier is closed. */
import { recordLeaderDecision } from '../../../store/submissions.ts';
import { dossierForm, moveDossier } from './step.ts';

export const leaderDecision = dossierForm('leader-decision', async (s, data) => {
  await recordLeaderDecision(s.m, s.dossier.id, s.round, data.decision);
  await moveDossier(s, data.decision === 'APPROVED' ? 'DECIDED_APPROVED' : 'DECIDED_NOT_APPROVED', 'LEADER_DECIDED', { details: { note: data.note }, closed: true });
  return { variables: { leaderDecision: data.decision }, refreshDeadlines: false };
});
