/** Form choose-option (Task_ChooseOption): opinions differ, the lead agency chooses one option and says why. */
import { checkChoice } from '../../../domain/rules/r12-chosen-option.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { recordChosenOption } from '../../../store/dossiers.ts';
import { ruleError, ruleErrorOn } from '../../errors.ts';
import { dossierForm, moveDossier } from './step.ts';

export const chooseOption = dossierForm('choose-option', async (s, data) => {
  // The task exists because opinions differ: the choice is checked whatever the number of options.
  // a secret dossier's rationale is on paper (the step has refused it), only the choice is recorded.
  const v = checkChoice({ options: s.dossier.options, chosenOptionId: data.chosenOptionId, choiceRationale: data.rationale }, { secret: isConfidential(s.dossier.secrecyLevel) });
  if (v) throw (v.details as { problems?: string[] }).problems?.join() === 'NO_RATIONALE' ? ruleErrorOn('rationale', [v]) : ruleError([v]);
  await recordChosenOption(s.m, s.dossier.id, data.chosenOptionId, data.rationale ?? '');
  await moveDossier(s, s.dossier.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION', 'OPTION_CHOSEN', { ruleId: 'R-12', details: { chosenOptionId: data.chosenOptionId } });
  return { variables: { chosenOptionId: data.chosenOptionId }, refreshDeadlines: true };
});
