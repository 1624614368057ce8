import { describe, expect, it } from 'vitest';
import { checkAttendance } from '../../../../domain/rules/index.ts';

describe('R-27 head attendance', () => {
  it('R-27 should reject a deputy at a meeting that requires the head', () => {
    const v = checkAttendance({ requiresHead: true, attendeeRole: 'DEPUTY' });
    expect(v?.code).toBe('ERR_HEAD_ATTENDANCE_REQUIRED');
    expect(v?.rule).toBe('R-27');
  });

  it('R-27 should accept a deputy when the chair consented', () => {
    expect(checkAttendance({ requiresHead: true, attendeeRole: 'DEPUTY', chairConsent: true })).toBeNull();
  });

  it('R-27 should accept the head or acting head, and anyone when the head is not required', () => {
    expect(checkAttendance({ requiresHead: true, attendeeRole: 'HEAD' })).toBeNull();
    expect(checkAttendance({ requiresHead: true, attendeeRole: 'ACTING_HEAD' })).toBeNull();
    expect(checkAttendance({ requiresHead: false, attendeeRole: 'SPECIALIST' })).toBeNull();
  });
});
