/**
 * Tasks UBND tỉnh or its Chairman assign to an agency (nhiệm vụ được giao, R-22/R-25/R-07): their
 * vocabulary and the decisions their process steps take, through the R-22 deadline rules.
 */
import { checkOverdue, classifyDeadline, isReminderDue, type DeadlineStatus } from './rules/r22-deadlines.ts';
import type { RuleViolation } from './errors.ts';
import { isOfficeStaff, OFFICE_AGENCY, UBND_AGENCY } from './access.ts';
import type { UserRole } from './model.ts';

type Actor = { agencyCode: string; role: UserRole };

export const ASSIGNERS = ['UBND_TINH', 'CHU_TICH', 'PHO_CHU_TICH'] as const;
export type Assigner = (typeof ASSIGNERS)[number];

/** How a task was completed: by a submission dossier the Office accepted, or by the agency's report of its result. */
export const COMPLETION_KINDS = ['DOSSIER', 'REPORT'] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

export type AssignedTaskStatus = 'OPEN' | 'DONE' | 'DONE_LATE';

export type AssignedTask = {
  id: string;
  /** The UBND document's number and symbol, e.g. 123/TB-UBND. */
  sourceRef: string;
  sourceDate: string | null;
  assignedBy: Assigner;
  assignedByName: string;
  assigneeAgencyCode: string;
  /** The assignee agency's head is a UBND member and the task is assigned to them as such. */
  toUbndMemberHead: boolean;
  content: string;
  workingDays: number | null;
  dueAt: Date;
  reminderAt: Date | null;
  remindedAt: Date | null;
  overdue: boolean;
  overdueAt: Date | null;
  status: AssignedTaskStatus;
  completedAt: Date | null;
  completionKind: CompletionKind | null;
  completedByDossierId: string | null;
  completionReport: string | null;
  accountableUserId: string | null;
  processInstanceId: string | null;
  createdAt: Date;
};

/** where a task stands against its deadline (ON_TIME/LATE once completed, OVERDUE/OPEN while not). */
export function assignedTaskStanding(t: Pick<AssignedTask, 'dueAt' | 'completedAt'>, now: Date): DeadlineStatus {
  return classifyDeadline({ dueAt: t.dueAt, completedAt: t.completedAt, now });
}

/** the status a completion at `completedAt` gives the task. */
export function completionStatus(dueAt: Date, completedAt: Date): AssignedTaskStatus {
  return classifyDeadline({ dueAt, completedAt, now: completedAt }) === 'ON_TIME' ? 'DONE' : 'DONE_LATE';
}

/**
 * whether the reminder timer should remind now. The timer may fire late (the engine was down)
 * or after the task was completed: only an unfinished task inside [reminderAt, dueAt] is reminded.
 */
export function shouldRemind(t: Pick<AssignedTask, 'dueAt' | 'completedAt' | 'reminderAt'>, now: Date): boolean {
  return isReminderDue({ dueAt: t.dueAt, completedAt: t.completedAt, now, reminderAt: t.reminderAt ?? t.dueAt });
}

/** the overdue warning that escalates the task to the Office, or null (completed, or not yet due). */
export function overdueWarning(t: Pick<AssignedTask, 'dueAt' | 'completedAt'>, now: Date): RuleViolation | null {
  return checkOverdue({ dueAt: t.dueAt, completedAt: t.completedAt, now });
}

/**
 * a dossier carrying out a task assigned to the agency's head as a UBND member is signed by that
 * head in person; it holds when the task says so and the agency's head is indeed a UBND member.
 */
export function dossierNeedsHeadInPerson(t: Pick<AssignedTask, 'toUbndMemberHead'>, agency: { headIsUbndMember: boolean }): boolean {
  return t.toUbndMemberHead && agency.headIsUbndMember;
}

/** Registering UBND's assignments: the Office's reviewers, monitors and head, and UBND's leaders. */
export function mayRegisterAssignedTask(u: Actor): boolean {
  return (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'OFFICE_MONITOR' || u.role === 'HEAD')) || (u.agencyCode === UBND_AGENCY && u.role === 'UBND_LEADER');
}

/** Every agency's tasks: the Office's staff and UBND's leaders (administrators and designers sit in the Office but are not its staff). */
export function maySeeAllAssignedTasks(u: Actor): boolean {
  return isOfficeStaff(u) || (u.agencyCode === UBND_AGENCY && u.role === 'UBND_LEADER');
}

export function maySeeAssignedTask(u: Actor, t: Pick<AssignedTask, 'assigneeAgencyCode'>): boolean {
  return maySeeAllAssignedTasks(u) || (u.agencyCode === t.assigneeAgencyCode && u.role !== 'ADMIN' && u.role !== 'DESIGNER');
}

/** Progress reports and linking a dossier: the assignee agency's specialists and leaders (those who draft its dossiers). */
export function mayWorkOnAssignedTask(u: Actor, t: Pick<AssignedTask, 'assigneeAgencyCode'>): boolean {
  return u.agencyCode === t.assigneeAgencyCode && (u.role === 'SPECIALIST' || u.role === 'HEAD' || u.role === 'ACTING_HEAD' || u.role === 'DEPUTY');
}

/** Completing by a report of the result: the assignee agency's leaders, who answer for it. */
export function mayCompleteAssignedTask(u: Actor, t: Pick<AssignedTask, 'assigneeAgencyCode'>): boolean {
  return u.agencyCode === t.assigneeAgencyCode && (u.role === 'HEAD' || u.role === 'ACTING_HEAD' || u.role === 'DEPUTY');
}

/** Dossier states from which its signature is given: linking it to a task then would come too late for R-07. */
export const SIGNED_DOSSIER_STATUSES: readonly string[] = ['SIGNED', 'PAPER_PENDING', 'SUBMITTED', 'ACCEPTED', 'DECIDED_APPROVED', 'DECIDED_NOT_APPROVED', 'WITHDRAWN'];
