/** Form office-check (Task_OfficeCheck): the Office accepts the submission, or returns it with a reason. */
import { checkOfficeReturn } from '../../../domain/rules/r30-return-reasons.ts';
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
    await recordOfficeIntake(s.m, s.dossier.id, round, { outcome: 'RETURNED', reason: data.returnReason!, note: data.note ?? null });
    await recordReturn(s.m, { dossierId: s.dossier.id, round, source: 'OFFICE', reason: data.returnReason!, note: data.note, byUserId: s.actor.id, idempotencyKey: stepKey(s) });
    await setRound(s.m, s.dossier.id, round + 1);
    // The state chart's RETURNED is on record before the drafter's revision starts.
    await transition(s.m, s.dossier.id, 'RETURNED', {
      action: 'RETURNED',
      actorUserId: s.actor.id,
      actorRole: s.actor.role,
      ruleId: 'R-30',
      details: { reason: data.returnReason, round },
      idempotencyKey: `${stepKey(s)}:returned`,
    });
    await moveDossier(s, 'REVISION_REQUIRED', 'RETURNED_BY_OFFICE', { ruleId: 'R-30', details: { reason: data.returnReason, note: data.note, round } });
    // The drafter reads why in words: the reason as the form names it, then the Office's note.
    const reason = choiceLabel('office-check', 'returnReason', data.returnReason!);
    return {
      variables: { officeOutcome: 'RETURN', round: round + 1, lastErrorCode: `RETURNED_${data.returnReason}`, lastErrorMessage: data.note ? `${reason}: ${data.note}` : reason },
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
