/**
 * Every task form's handler, one file per formKey (server/tasks/forms/<formKey>.ts), as every
 * worker topic has its file under workers/. The form's fields are defined once, in
 * processes/forms/<formKey>.form: the server validates against it (server/forms/index.ts) and the
 * handler's data type is written from it (server/forms/form-data.ts).
 */
import type { FormKey } from '../../forms/index.ts';
import type { TaskForm } from './step.ts';
import { revise } from './revise.ts';
import { giveOpinion } from './give-opinion.ts';
import { approveOpinion } from './approve-opinion.ts';
import { chooseOption } from './choose-option.ts';
import { appraise } from './appraise.ts';
import { respondAppraisal } from './respond-appraisal.ts';
import { draftSubmission } from './draft-submission.ts';
import { sign } from './sign.ts';
import { sendPaper } from './send-paper.ts';
import { officeCheck } from './office-check.ts';
import { leaderDecision } from './leader-decision.ts';
import { followUpDelay } from './follow-up-delay.ts';
import { proactiveHandling } from './proactive-handling.ts';
import { followUpAssignedTask } from './follow-up-assigned-task.ts';

/** The one list of task forms: a formKey without its handler here does not compile. */
export const TASK_FORMS: { readonly [K in FormKey]: TaskForm<K> } = {
  revise,
  'give-opinion': giveOpinion,
  'approve-opinion': approveOpinion,
  'choose-option': chooseOption,
  appraise,
  'respond-appraisal': respondAppraisal,
  'draft-submission': draftSubmission,
  sign,
  'send-paper': sendPaper,
  'office-check': officeCheck,
  'leader-decision': leaderDecision,
  'follow-up-delay': followUpDelay,
  'proactive-handling': proactiveHandling,
  'follow-up-assigned-task': followUpAssignedTask,
};

export type { FormResult, FormStep, OwnTask, TaskForm } from './step.ts';
