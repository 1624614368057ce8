import { describe, expect, it } from 'vitest';
import { checkOverdue, classifyDeadline, isReminderDue } from '../../../../domain/rules/index.ts';
import { NOW } from '../fixtures.ts';

const dueAt = new Date('2026-03-09T17:00:00+07:00');

describe('R-22 deadlines', () => {
  it('R-22 should classify work finished by the deadline as on time', () => {
    expect(classifyDeadline({ dueAt, completedAt: new Date('2026-03-09T17:00:00+07:00'), now: NOW })).toBe('ON_TIME');
  });

  it('R-22 should classify work finished after the deadline as late', () => {
    expect(classifyDeadline({ dueAt, completedAt: new Date('2026-03-09T17:00:01+07:00'), now: NOW })).toBe('LATE');
  });

  it('R-22 should classify unfinished work past the deadline as overdue', () => {
    expect(classifyDeadline({ dueAt, now: NOW })).toBe('OVERDUE');
    expect(classifyDeadline({ dueAt: new Date('2026-03-20T17:00:00+07:00'), completedAt: null, now: NOW })).toBe('OPEN');
  });

  it('R-22 should warn with the delay when unfinished work is overdue', () => {
    // given NOW is 16 hours after the deadline
    const v = checkOverdue({ dueAt, now: NOW });
    // then
    expect(v?.code).toBe('WARN_DOSSIER_OVERDUE');
    expect(v?.details?.hoursLate).toBe(16);
    expect(checkOverdue({ dueAt, completedAt: NOW, now: NOW })).toBeNull();
  });

  it('R-22 should send a reminder only between the reminder time and the deadline', () => {
    const reminderAt = new Date('2026-03-09T08:00:00+07:00');
    expect(isReminderDue({ dueAt, reminderAt, now: new Date('2026-03-09T09:00:00+07:00') })).toBe(true);
    expect(isReminderDue({ dueAt, reminderAt, now: new Date('2026-03-08T09:00:00+07:00') })).toBe(false);
    expect(isReminderDue({ dueAt, reminderAt, now: NOW })).toBe(false);
  });
});
