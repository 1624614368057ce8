import { violation, type RuleViolation } from '../errors.ts';
import type { UserRole } from '../model.ts';
import { isHeadRole } from './r05-head-signature.ts';

export interface AttendanceInput {
  requiresHead: boolean;
  attendeeRole: UserRole;
  /** The meeting chair agreed to a substitute for an objective reason. */
  chairConsent?: boolean;
}

/** a meeting that requires the head is attended by the head (or acting head), unless the chair consented. */
export function checkAttendance(input: AttendanceInput): RuleViolation | null {
  if (!input.requiresHead || isHeadRole(input.attendeeRole) || input.chairConsent === true) return null;
  return violation('ERR_HEAD_ATTENDANCE_REQUIRED', { attendeeRole: input.attendeeRole });
}
