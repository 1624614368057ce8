/** Every external-task topic the processes use, one worker each. */
import type { WorkerDefinition } from './runtime/run-worker.ts';
import { validateDossier } from './validate-dossier.ts';
import { requestOpinions } from './request-opinions.ts';
import { opinionReminder } from './opinion-reminder.ts';
import { opinionOverdue } from './opinion-overdue.ts';
import { consolidateOpinions } from './consolidate-opinions.ts';
import { appraisal } from './appraisal.ts';
import { headSignature } from './head-signature.ts';
import { forwardToUbnd } from './forward-to-ubnd.ts';
import { sendReminder } from './send-reminder.ts';
import { reportDelay } from './report-delay.ts';
import { proactiveOverdue } from './proactive-overdue.ts';
import { assignedTaskReminder } from './assigned-task-reminder.ts';
import { assignedTaskOverdue } from './assigned-task-overdue.ts';
import { assignedTaskCompleted } from './assigned-task-completed.ts';

export const ALL_WORKERS: readonly WorkerDefinition[] = [
  validateDossier,
  requestOpinions,
  opinionReminder,
  opinionOverdue,
  consolidateOpinions,
  appraisal,
  headSignature,
  forwardToUbnd,
  sendReminder,
  reportDelay,
  proactiveOverdue,
  assignedTaskReminder,
  assignedTaskOverdue,
  assignedTaskCompleted,
];
