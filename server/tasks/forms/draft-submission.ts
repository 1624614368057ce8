/**
 * Form draft-submission (Task_DraftSubmission): the drafter completes the tờ trình and the dossier's
 * other documents, and records the option it proposes when nobody's opinions led to a choice.
 */
import { checkChoice } from '../../../domain/rules/r12-chosen-option.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { recordChosenOption } from '../../../store/dossiers.ts';
import { ruleError, ruleErrorOn } from '../../errors.ts';
import { assertNoUbndWhileConsulting, LEAD_AGENCY_DOOR, saveDocuments } from '../../dossiers/documents.ts';
import { applyDossierChanges } from '../../dossiers/service.ts';
import { dossierForm, moveDossier } from './step.ts';

export const draftSubmission = dossierForm('draft-submission', async (s, data) => {
  if (data.changes) await applyDossierChanges(s.m, s.dossier, data.changes, s.deps.policy.rules);
  if (data.chosenOptionId !== undefined || data.rationale !== undefined) {
    const options = data.changes?.options ?? s.dossier.options;
    const v = checkChoice({ options, chosenOptionId: data.chosenOptionId, choiceRationale: data.rationale }, { secret: isConfidential(s.dossier.secrecyLevel) });
    if (v) throw (v.details as { problems?: string[] }).problems?.join() === 'NO_RATIONALE' ? ruleErrorOn('rationale', [v]) : ruleError([v]);
    await recordChosenOption(s.m, s.dossier.id, data.chosenOptionId!, data.rationale ?? '');
  }
  if (data.documents.length > 0) {
    assertNoUbndWhileConsulting(data.documents, s.deps.policy.rules);
    await saveDocuments(s.m, s.dossier, s.actor, data.documents, s.now, LEAD_AGENCY_DOOR);
  }
  await moveDossier(s, 'VALIDATING', 'SUBMISSION_DRAFTED', { details: { note: data.note, ...(data.chosenOptionId ? { chosenOptionId: data.chosenOptionId } : {}) } });
  return { variables: {}, refreshDeadlines: true };
});
