import { describe, expect, it } from 'vitest';
import { assignedTaskStanding, completionStatus, overdueWarning, shouldRemind } from '../../../domain/assigned-task.ts';
import { assignedTaskDeadlines, calendarFromDays, DEFAULT_DEADLINES, toIsoLocal } from '../../../domain/calendar.ts';
import { CALENDAR_SEED } from '../../../store/migrations/1732600000340-calendar-days.ts';

// The calendar the migration seeds, as the server reads it from the database.
const SEEDED_CALENDAR = calendarFromDays(CALENDAR_SEED);

const at = (iso: string) => new Date(iso);
const dueAt = at('2026-03-10T17:00:00+07:00');
const reminderAt = at('2026-03-09T17:00:00+07:00');

describe('R-22 tasks UBND assigns: what their process steps decide', () => {
  it('R-22 should count the deadline in working days from the UBND document, skipping Tết Dương lịch 2026 and its swapped Friday', () => {
    const { dueAt: due, reminderAt: reminder } = assignedTaskDeadlines(at('2025-12-30T10:00:00+07:00'), { sourceDate: at('2025-12-31T00:00:00+07:00'), workingDays: 1 }, SEEDED_CALENDAR, DEFAULT_DEADLINES);
    expect(toIsoLocal(due)).toBe('2026-01-05T17:00:00.000+07:00');
    expect(toIsoLocal(reminder)).toBe('2025-12-31T17:00:00.000+07:00');
  });

  it('R-22 should keep the date the document sets when it sets one instead of a number of days', () => {
    const { dueAt: due } = assignedTaskDeadlines(at('2026-03-01T10:00:00+07:00'), { sourceDate: at('2026-03-01T00:00:00+07:00'), dueAt }, SEEDED_CALENDAR, DEFAULT_DEADLINES);
    expect(due.getTime()).toBe(dueAt.getTime());
  });

  it('R-22 should remind only an unfinished task inside its reminder window', () => {
    expect(shouldRemind({ dueAt, reminderAt, completedAt: null }, at('2026-03-10T09:00:00+07:00'))).toBe(true);
    expect(shouldRemind({ dueAt, reminderAt, completedAt: at('2026-03-09T18:00:00+07:00') }, at('2026-03-10T09:00:00+07:00'))).toBe(false);
    expect(shouldRemind({ dueAt, reminderAt, completedAt: null }, at('2026-03-11T09:00:00+07:00'))).toBe(false);
  });

  it('R-22 should escalate only an unfinished task past its deadline', () => {
    expect(overdueWarning({ dueAt, completedAt: null }, at('2026-03-10T17:00:01+07:00'))?.code).toBe('WARN_DOSSIER_OVERDUE');
    expect(overdueWarning({ dueAt, completedAt: at('2026-03-10T16:00:00+07:00') }, at('2026-03-11T09:00:00+07:00'))).toBeNull();
    expect(overdueWarning({ dueAt, completedAt: null }, at('2026-03-10T16:59:00+07:00'))).toBeNull();
  });

  it('R-22 should classify a completion as on time up to the deadline and late after it', () => {
    expect(completionStatus(dueAt, at('2026-03-10T17:00:00+07:00'))).toBe('DONE');
    expect(completionStatus(dueAt, at('2026-03-10T17:00:01+07:00'))).toBe('DONE_LATE');
    expect(assignedTaskStanding({ dueAt, completedAt: null }, at('2026-03-12T09:00:00+07:00'))).toBe('OVERDUE');
  });
});
