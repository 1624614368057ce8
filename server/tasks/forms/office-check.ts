/** Form office-check (Task_OfficeCheck): the Office accepts the submission, or returns it with a reason. */
import { checkOfficeReturn, checkReconsultAgencies, returnRoute } from '../../../domain/rules/r30-return-reasons.ts';
import { recordOfficeIntake, recordReturn } from '../../../store/submissions.ts';
import { setRound } from '../../../store/dossiers.ts';
import { completeTaskOfAcceptedDossier } from '../../../store/assigned-tasks.ts';
import { recordAudit, transition } from '../../../store/audit.ts';
import { ruleError } from '../../errors.ts';
import { choiceLabel } from '../../forms/index.ts';
import { dossierForm, moveDossier, stepKey } from './step.ts';

export const officeCheck = dossierForm('office-check', async (s, data) => {
  const v = checkOfficeReturn(data);
  if (v) throw ruleError([v]);
  const round = s.round;
  if (data.outcome === 'RETURN') {
    const reason = data.returnReason!;
    // R-30 (issue 16): a format or signature return goes back to the tờ trình and its signature only;
    // a content return to revision, re-consulting only the agencies the Office names (none: nobody).
    const route = returnRoute(reason);
    const reconsult = [...(data.reconsultAgencies ?? [])].sort();
    const wrongAgencies = checkReconsultAgencies(reason, reconsult, s.dossier.consultedAgencyCodes);
    if (wrongAgencies) throw ruleError([wrongAgencies]);
    await recordOfficeIntake(s.m, s.dossier.id, round, { outcome: 'RETURNED', reason, note: data.note ?? null });
    await recordReturn(s.m, { dossierId: s.dossier.id, round, source: 'OFFICE', reason, note: data.note, byUserId: s.actor.id, idempotencyKey: stepKey(s) });
    await setRound(s.m, s.dossier.id, round + 1);
    // The state chart's RETURNED is on record before the drafter's work starts.
    await transition(s.m, s.dossier.id, 'RETURNED', {
      action: 'RETURNED',
      actorUserId: s.actor.id,
      actorRole: s.actor.role,
      ruleId: 'R-30',
      details: { reason, round, route, ...(route === 'REVISE' ? { reconsultAgencies: reconsult } : {}) },
      idempotencyKey: `${stepKey(s)}:returned`,
    });
    const to = route === 'REDRAFT' ? 'DRAFTING_SUBMISSION' : 'REVISION_REQUIRED';
    await moveDossier(s, to, 'RETURNED_BY_OFFICE', { ruleId: 'R-30', details: { reason, note: data.note, round, route } });
    // The drafter reads why in words: the reason as the form names it, then the Office's note.
    const label = choiceLabel('office-check', 'returnReason', reason);
    return {
      variables: {
        officeOutcome: 'RETURN',
        officeReturnRoute: route,
        round: round + 1,
        // The next round consults only these agencies (validate-dossier's needsOpinions, request-opinions).
        ...(route === 'REVISE' ? { reconsultRound: round + 1, reconsultAgenciesCsv: reconsult.join(',') } : {}),
        lastErrorCode: `RETURNED_${reason}`,
        lastErrorMessage: data.note ? `${label}: ${data.note}` : label,
      },
      refreshDeadlines: true,
    };
  }
  await recordOfficeIntake(s.m, s.dossier.id, round, { outcome: 'ACCEPTED', note: data.note ?? null });
  await moveDossier(s, 'ACCEPTED', 'ACCEPTED_BY_OFFICE', { details: { note: data.note } });
  // the task UBND assigned that this dossier carries out is done by the submission the Office accepts.
  const task = await completeTaskOfAcceptedDossier(s.m, s.dossier.id);
  if (task) {
    await recordAudit(s.m, {
      dossierId: s.dossier.id,
      action: 'ASSIGNED_TASK_DONE_BY_DOSSIER',
      actorUserId: s.actor.id,
      actorRole: s.actor.role,
      ruleId: 'R-22',
      details: { assignedTaskId: task.id, status: task.status },
      idempotencyKey: `${stepKey(s)}:assigned-task`,
    });
  }
  return { variables: { officeOutcome: 'ACCEPT' }, refreshDeadlines: true };
});
