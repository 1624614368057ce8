import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CALENDAR,
  calendarFromDays,
  isWeekendDate,
  DEFAULT_DEADLINES,
  addWorkingDays,
  dossierDeadlines,
  isWorkingDay,
  nextDeadlines,
  opinionDeadlines,
  subtractWorkingDays,
  toIsoLocal,
  vietnamYear,
  workingDaysBetween,
  type WorkCalendar,
} from '../../../domain/calendar.ts';
import { CALENDAR_SEED } from '../../../store/migrations/1732600000340-calendar-days.ts';

// Instants are written with an explicit +07:00 offset so the tests mean the same on any machine.
const at = (iso: string) => new Date(iso);
// The calendar the migration seeds (store/calendar.ts serves it from the database).
const cal = calendarFromDays(CALENDAR_SEED);

describe('toIsoLocal', () => {
  it('should format with the +07:00 offset when the instant is given in UTC', () => {
    // given an instant written in UTC
    const instant = at('2026-11-30T10:00:00Z');
    // when / then
    expect(toIsoLocal(instant)).toBe('2026-11-30T17:00:00.000+07:00');
  });

  it('should roll the local date forward when the UTC time is late evening', () => {
    const instant = at('2026-12-31T18:30:00Z');
    expect(toIsoLocal(instant)).toBe('2027-01-01T01:30:00.000+07:00');
  });

  it('should throw when the date is invalid', () => {
    expect(() => toIsoLocal(new Date('not a date'))).toThrow(/valid Date/);
  });
});

describe('vietnamYear', () => {
  it('should give the new year when it is already 1 January in Vietnam but still 31 December in UTC', () => {
    expect(vietnamYear(at('2025-12-31T17:00:00Z'))).toBe(2026);
    expect(vietnamYear(at('2026-01-01T00:00:00+07:00'))).toBe(2026);
  });

  it('should give the old year until midnight in Vietnam', () => {
    expect(vietnamYear(at('2025-12-31T16:59:59.999Z'))).toBe(2025);
    expect(vietnamYear(at('2025-12-31T23:59:59+07:00'))).toBe(2025);
  });

  it('should agree with the Asia/Ho_Chi_Minh time zone database around each new year', () => {
    const tz = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' });
    for (let y = 2024; y <= 2030; y++) {
      for (const offsetMin of [-61, -1, 0, 1, 61]) {
        const instant = new Date(Date.UTC(y, 0, 1) - 7 * 3600_000 + offsetMin * 60_000);
        expect(vietnamYear(instant), instant.toISOString()).toBe(Number(tz.format(instant)));
      }
    }
  });

  it('should throw when the date is invalid', () => {
    expect(() => vietnamYear(new Date('nope'))).toThrow();
  });
});

describe('isWorkingDay', () => {
  it('should use the Vietnam local date when the UTC date is still the weekend', () => {
    // given Sunday 2026-11-29 17:30 UTC, which is Monday 00:30 in Vietnam
    const mondayInVietnam = at('2026-11-29T17:30:00Z');
    // then
    expect(isWorkingDay(mondayInVietnam, cal)).toBe(true);
    expect(isWorkingDay(at('2026-11-29T16:59:00Z'), cal)).toBe(false);
  });

  it('should be false when the day is a public holiday on a weekday', () => {
    expect(isWorkingDay(at('2026-09-02T09:00:00+07:00'), cal)).toBe(false); // Quốc khánh, Wednesday
    expect(isWorkingDay(at('2026-04-27T09:00:00+07:00'), cal)).toBe(false); // compensatory day for Giỗ Tổ
  });

  it('should be true when a Saturday is a make-up working day', () => {
    expect(isWorkingDay(at('2025-04-26T09:00:00+07:00'), cal)).toBe(true);
    expect(isWorkingDay(at('2025-05-02T09:00:00+07:00'), cal)).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('should skip the weekend when counting from a Friday', () => {
    // given Friday 2026-11-27, mid-morning
    const friday = at('2026-11-27T10:00:00+07:00');
    // when
    const due = addWorkingDays(friday, 1, cal);
    // then the deadline is the end of Monday
    expect(toIsoLocal(due)).toBe('2026-11-30T17:00:00.000+07:00');
  });

  it('should skip a holiday when it falls in the middle of the period', () => {
    // given Thursday 23/4/2026; Monday 27/4 is the compensatory day for Giỗ Tổ Hùng Vương
    const thursday = at('2026-04-23T08:00:00+07:00');
    // when
    const due = addWorkingDays(thursday, 3, cal);
    // then Fri 24, Tue 28, Wed 29
    expect(toIsoLocal(due)).toBe('2026-04-29T17:00:00.000+07:00');
  });

  it('should jump over the whole Tết break when Tết spans more than a week', () => {
    // given Friday 13/2/2026, the last working day before Tết (14–22/2)
    const beforeTet = at('2026-02-13T10:00:00+07:00');
    // when
    const due = addWorkingDays(beforeTet, 1, cal);
    // then
    expect(toIsoLocal(due)).toBe('2026-02-23T17:00:00.000+07:00');
    expect(workingDaysBetween(beforeTet, due, cal)).toBe(1);
  });

  it('should continue into the next year when the period crosses New Year', () => {
    // given Wednesday 30/12/2026; 1/1/2027 is a Friday holiday
    const endOfYear = at('2026-12-30T15:00:00+07:00');
    // when
    const due = addWorkingDays(endOfYear, 2, cal);
    // then Thu 31/12, then Mon 4/1/2027
    expect(toIsoLocal(due)).toBe('2027-01-04T17:00:00.000+07:00');
  });

  it('should count a make-up Saturday when the calendar declares one', () => {
    const friday = at('2025-04-25T10:00:00+07:00');
    expect(toIsoLocal(addWorkingDays(friday, 1, cal))).toBe('2025-04-26T17:00:00.000+07:00');
    // and 2/5/2025 was swapped away: Tue 29/4 + 1 jumps 30/4–4/5
    expect(toIsoLocal(addWorkingDays(at('2025-04-29T10:00:00+07:00'), 1, cal))).toBe('2025-05-05T17:00:00.000+07:00');
  });

  it('should return the end of today when adding 0 days during a working day', () => {
    const morning = at('2026-11-30T08:00:00+07:00');
    expect(toIsoLocal(addWorkingDays(morning, 0, cal))).toBe('2026-11-30T17:00:00.000+07:00');
  });

  it('should return the end of the next working day when adding 0 days on a weekend or after hours', () => {
    expect(toIsoLocal(addWorkingDays(at('2026-11-28T10:00:00+07:00'), 0, cal))).toBe('2026-11-30T17:00:00.000+07:00');
    expect(toIsoLocal(addWorkingDays(at('2026-11-30T17:30:00+07:00'), 0, cal))).toBe('2026-12-01T17:00:00.000+07:00');
  });

  it('should count from the next working day when starting on a Saturday', () => {
    expect(toIsoLocal(addWorkingDays(at('2026-11-28T10:00:00+07:00'), 1, cal))).toBe('2026-11-30T17:00:00.000+07:00');
  });

  it('should honour a custom weekend and end hour when the calendar is configured', () => {
    // given a six-day week (only Sunday off), no holidays, the day ending at 16:00
    const sixDays: WorkCalendar = calendarFromDays([], { ...DEFAULT_CALENDAR, weekend: [0], workdayEndHour: 16 });
    // when
    const due = addWorkingDays(at('2026-11-27T10:00:00+07:00'), 1, sixDays);
    // then Saturday counts
    expect(toIsoLocal(due)).toBe('2026-11-28T16:00:00.000+07:00');
  });

  it('should throw when days is negative or fractional', () => {
    expect(() => addWorkingDays(at('2026-11-27T10:00:00+07:00'), -1, cal)).toThrow(/non-negative integer/);
    expect(() => addWorkingDays(at('2026-11-27T10:00:00+07:00'), 1.5, cal)).toThrow(/non-negative integer/);
  });
});

describe('subtractWorkingDays', () => {
  it('should step back over Tết and keep the time of day when subtracting one day', () => {
    const afterTet = at('2026-02-23T17:00:00+07:00');
    expect(toIsoLocal(subtractWorkingDays(afterTet, 1, cal))).toBe('2026-02-13T17:00:00.000+07:00');
  });

  it('should step back into the previous year when crossing New Year', () => {
    const firstMonday = at('2027-01-04T17:00:00+07:00');
    expect(toIsoLocal(subtractWorkingDays(firstMonday, 2, cal))).toBe('2026-12-30T17:00:00.000+07:00');
  });

  it('should return the same instant when subtracting 0 days', () => {
    const instant = at('2026-11-28T10:00:00+07:00');
    expect(subtractWorkingDays(instant, 0, cal).getTime()).toBe(instant.getTime());
  });
});

describe('workingDaysBetween', () => {
  it('should invert addWorkingDays when counting across holidays and a year boundary', () => {
    // given a start in late 2025 and periods reaching past Tết 2026
    const start = at('2025-12-29T09:00:00+07:00');
    for (const days of [1, 3, 5, 10, 30]) {
      // when
      const due = addWorkingDays(start, days, cal);
      // then
      expect(workingDaysBetween(start, due, cal)).toBe(days);
    }
  });

  it('should be negative when the second date is earlier', () => {
    expect(workingDaysBetween(at('2026-11-30T09:00:00+07:00'), at('2026-11-27T09:00:00+07:00'), cal)).toBe(-1);
  });

  it('should be zero when both instants are on the same local day', () => {
    expect(workingDaysBetween(at('2026-11-30T01:00:00+07:00'), at('2026-11-30T23:00:00+07:00'), cal)).toBe(0);
  });
});

describe('the seeded calendar', () => {
  it('should contain Tết and the fixed-date holidays for 2025–2027 with real, distinct dates', () => {
    for (const day of ['2025-01-29', '2026-02-17', '2027-02-08', '2025-04-30', '2026-05-01', '2027-09-02']) {
      expect(cal.holidays).toContain(day);
    }
    expect(new Set(CALENDAR_SEED.map((d) => d.date)).size).toBe(CALENDAR_SEED.length);
    expect(cal.weekend).toEqual([0, 6]);
    expect(cal.workdayEndHour).toBe(17);
  });

  it('should put every make-up working day on a weekend', () => {
    for (const d of CALENDAR_SEED.filter((x) => x.kind === 'WORKDAY')) expect(isWeekendDate(d.date), d.date).toBe(true);
  });

  it('should say in its note which days are not checked against an announcement', () => {
    const unverified = CALENDAR_SEED.filter((d) => d.note.includes('CHƯA ĐỐI CHIẾU')).map((d) => d.date);
    expect(unverified).toEqual(expect.arrayContaining(['2026-01-02', '2026-01-10', '2026-09-01', '2027-09-03']));
    expect(unverified).not.toContain('2026-01-01');
  });

  it('should give Tết Dương lịch 2026 four days off and make Saturday 10/1 a working day when counting R-22 deadlines', () => {
    // given Friday 2/1/2026 swapped for Saturday 10/1/2026 (as reported)
    expect(isWorkingDay(at('2026-01-02T09:00:00+07:00'), cal)).toBe(false);
    expect(isWorkingDay(at('2026-01-10T09:00:00+07:00'), cal)).toBe(true);
    // and one working day after Wednesday 31/12/2025 ends on Monday 5/1/2026
    expect(toIsoLocal(addWorkingDays(at('2025-12-31T10:00:00+07:00'), 1, cal))).toBe('2026-01-05T17:00:00.000+07:00');
  });
});

describe('calendarFromDays', () => {
  it('should keep the weekend rule and add the holidays and make-up days when given days as data', () => {
    const c = calendarFromDays([
      { date: '2026-12-07', kind: 'HOLIDAY' },
      { date: '2026-12-12', kind: 'WORKDAY' },
    ]);
    expect(c).toEqual({ timeZone: 'Asia/Ho_Chi_Minh', weekend: [0, 6], holidays: ['2026-12-07'], workdayOverrides: ['2026-12-12'], workdayEndHour: 17 });
    // Friday 4/12 + 1 working day: Monday 7/12 is a holiday, so Tuesday 8/12
    expect(toIsoLocal(addWorkingDays(at('2026-12-04T10:00:00+07:00'), 1, c))).toBe('2026-12-08T17:00:00.000+07:00');
    // Friday 11/12 + 1: Saturday 12/12 is worked
    expect(toIsoLocal(addWorkingDays(at('2026-12-11T10:00:00+07:00'), 1, c))).toBe('2026-12-12T17:00:00.000+07:00');
  });

  it('should name the day when it is not a real date, given twice or of an unknown kind', () => {
    expect(() => calendarFromDays([{ date: '2026-02-30', kind: 'HOLIDAY' }])).toThrow(/"2026-02-30" is not a real date/);
    expect(() => calendarFromDays([{ date: '2026-1-5', kind: 'HOLIDAY' }])).toThrow(/not a real date/);
    expect(() =>
      calendarFromDays([
        { date: '2026-12-07', kind: 'HOLIDAY' },
        { date: '2026-12-07', kind: 'WORKDAY' },
      ]),
    ).toThrow(/2026-12-07 is given twice/);
    expect(() => calendarFromDays([{ date: '2026-12-07', kind: 'OTHER' as never }])).toThrow(/unknown kind/);
  });
});

describe('isWeekendDate', () => {
  it('should be true for Saturday and Sunday and false for a weekday, and refuse a date that does not exist', () => {
    expect(isWeekendDate('2026-01-10')).toBe(true);
    expect(isWeekendDate('2026-01-11')).toBe(true);
    expect(isWeekendDate('2026-01-09')).toBe(false);
    expect(() => isWeekendDate('2026-13-01')).toThrow(/not a real date/);
  });
});

describe('nextDeadlines', () => {
  it('should give every user-task due date as a +07:00 string when computed from a Monday', () => {
    // given Monday 23/11/2026, no holidays for weeks
    const now = at('2026-11-23T09:00:00+07:00');
    // when
    const due = nextDeadlines(now, cal);
    // then
    expect(Object.keys(due).sort()).toEqual(
      [
        'reviseDueAt',
        'chooseOptionDueAt',
        'appraiseDueAt',
        'respondAppraisalDueAt',
        'draftSubmissionDueAt',
        'signDueAt',
        'sendPaperDueAt',
        'officeCheckDueAt',
        'leaderDecisionDueAt',
        'followUpDueAt',
        'proactiveDueAt',
      ].sort(),
    );
    expect(due.sendPaperDueAt).toBe('2026-11-24T17:00:00.000+07:00');
    expect(due.reviseDueAt).toBe('2026-11-25T17:00:00.000+07:00');
    expect(due.officeCheckDueAt).toBe('2026-11-25T17:00:00.000+07:00');
    expect(due.leaderDecisionDueAt).toBe('2026-11-30T17:00:00.000+07:00');
    expect(due.appraiseDueAt).toBe('2026-12-07T17:00:00.000+07:00');
    for (const value of Object.values(due)) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T17:00:00\.000\+07:00$/);
  });

  it('should use the configured limits when deadlines are overridden', () => {
    const now = at('2026-11-23T09:00:00+07:00');
    const due = nextDeadlines(now, cal, { ...DEFAULT_DEADLINES, appraisal: 1 });
    expect(due.appraiseDueAt).toBe('2026-11-24T17:00:00.000+07:00');
  });
});

describe('opinionDeadlines', () => {
  it('should put the reminder one working day before the deadline when both fall after Tết', () => {
    // given opinions requested on the last working day before Tết 2026
    const now = at('2026-02-13T10:00:00+07:00');
    // when
    const result = opinionDeadlines(now, cal);
    // then 5 working days: 23, 24, 25, 26, 27/2
    expect(result).toEqual({
      opinionDueAt: '2026-02-27T17:00:00.000+07:00',
      opinionReminderAt: '2026-02-26T17:00:00.000+07:00',
    });
  });

  it('should remind a minute from now when the reminder would already be past', () => {
    // given a 1-day limit with a reminder 2 working days before it (last Friday)
    const now = at('2026-11-23T09:00:00+07:00');
    // when
    const result = opinionDeadlines(now, cal, { ...DEFAULT_DEADLINES, opinion: 1, reminderBefore: 2 });
    // then
    expect(result).toEqual({
      opinionDueAt: '2026-11-24T17:00:00.000+07:00',
      opinionReminderAt: '2026-11-23T09:01:00.000+07:00',
    });
  });
});

describe('dossierDeadlines', () => {
  it('should default to 30 working days when the dossier has no assigned due date', () => {
    const now = at('2026-03-02T09:00:00+07:00');
    expect(dossierDeadlines(now, null, cal)).toEqual({
      dossierDueAt: '2026-04-13T17:00:00.000+07:00',
      dossierReminderAt: '2026-04-10T17:00:00.000+07:00',
    });
  });

  it('should keep the assigned due date and remind a minute from now when the reminder is past', () => {
    // given a due date later today: one working day before is last Friday
    const now = at('2026-03-02T09:00:00+07:00');
    const assigned = at('2026-03-02T17:00:00+07:00');
    // when
    const result = dossierDeadlines(now, assigned, cal);
    // then
    expect(result).toEqual({
      dossierDueAt: '2026-03-02T17:00:00.000+07:00',
      dossierReminderAt: '2026-03-02T09:01:00.000+07:00',
    });
  });
});
