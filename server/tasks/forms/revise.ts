/** Form revise (Task_Revise): the drafter resubmits the revised dossier, or withdraws it. */
import { roundHasOpinionRequests } from '../../../store/opinions.ts';
import { roundHasSubmission } from '../../../store/submissions.ts';
import { setRound } from '../../../store/dossiers.ts';
import { dossierForm, moveDossier } from './step.ts';

export const revise = dossierForm('revise', async (s, data) => {
  if (data.outcome === 'WITHDRAW') {
    await moveDossier(s, 'WITHDRAWN', 'WITHDRAWN', { details: { note: data.note }, closed: true });
    return { variables: { reviseOutcome: data.outcome }, refreshDeadlines: false };
  }
  // A round is one pass through consultation and submission: a dossier that already consulted or
  // was submitted in this round (returned by appraisal or a gate) is consulted again in a new one.
  const used = (await roundHasOpinionRequests(s.m, s.dossier.id, s.round)) || (await roundHasSubmission(s.m, s.dossier.id, s.round));
  const round = used ? s.round + 1 : s.round;
  if (round !== s.round) await setRound(s.m, s.dossier.id, round);
  await moveDossier(s, 'VALIDATING', 'RESUBMITTED', { details: { note: data.note, round } });
  return { variables: { reviseOutcome: data.outcome, round }, refreshDeadlines: true };
});
