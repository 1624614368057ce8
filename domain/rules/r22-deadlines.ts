import { violation, type RuleViolation } from '../errors.ts';

/** ON_TIME / LATE: finished before / after dueAt; OVERDUE: unfinished past dueAt; OPEN: unfinished, not yet due. */
export type DeadlineStatus = 'ON_TIME' | 'LATE' | 'OVERDUE' | 'OPEN';

export interface DeadlineInput {
  dueAt: Date;
  completedAt?: Date | null;
  now: Date;
}

/** classifies a task or dossier against its deadline for the on-time / late / overdue report. */
export function classifyDeadline(input: DeadlineInput): DeadlineStatus {
  const due = input.dueAt.getTime();
  if (input.completedAt !== undefined && input.completedAt !== null) return input.completedAt.getTime() <= due ? 'ON_TIME' : 'LATE';
  return input.now.getTime() > due ? 'OVERDUE' : 'OPEN';
}

/** whether a reminder is due: unfinished, and now within [reminderAt, dueAt]. */
export function isReminderDue(input: DeadlineInput & { reminderAt: Date }): boolean {
  if (input.completedAt !== undefined && input.completedAt !== null) return false;
  const now = input.now.getTime();
  return now >= input.reminderAt.getTime() && now <= input.dueAt.getTime();
}

/** a warning (sets the `overdue` flag, notifies the Office) when unfinished work is past its deadline. */
export function checkOverdue(input: DeadlineInput): RuleViolation | null {
  if (classifyDeadline(input) !== 'OVERDUE') return null;
  const hoursLate = Math.floor((input.now.getTime() - input.dueAt.getTime()) / 3_600_000);
  return violation('WARN_DOSSIER_OVERDUE', { dueAt: input.dueAt.toISOString(), hoursLate });
}
