/**
 * Working-day arithmetic for deadlines (docs/RULES.md decision 2). All local dates are in Vietnam time,
 * a fixed +07:00 offset with no daylight saving, so the machine's own time zone never matters.
 */

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh' as const;

export type WorkCalendar = {
  timeZone: typeof VIETNAM_TIME_ZONE;
  /** Days of the week that are not worked: 0 = Sunday … 6 = Saturday. */
  weekend: readonly number[];
  /** Public holidays and compensatory days off, as local dates YYYY-MM-DD. */
  holidays: readonly string[];
  /** Weekend days that are worked (make-up Saturdays, "làm bù"). They win over `weekend` and `holidays`. */
  workdayOverrides?: readonly string[];
  /** Local hour (0–23 exclusive of 0) at which a working day ends; deadlines fall on it. */
  workdayEndHour: number;
};

/** A day the calendar data marks (store/calendar.ts): a public holiday, or a weekend day worked ("làm bù"). */
export type CalendarDayKind = 'HOLIDAY' | 'WORKDAY';
export type CalendarDayEntry = { readonly date: string; readonly kind: CalendarDayKind };

/**
 * The weekend rule alone: Saturday and Sunday off, working days ending at 17:00, no holidays. The
 * holidays are data an administrator keeps (store/calendar.ts, docs/RULES.md decision 2): the server
 * and the workers count with calendarFromDays over them; this default serves tools and tests only.
 */
export const DEFAULT_CALENDAR: WorkCalendar = Object.freeze({
  timeZone: VIETNAM_TIME_ZONE,
  weekend: Object.freeze([0, 6]),
  holidays: Object.freeze([]),
  workdayOverrides: Object.freeze([]),
  workdayEndHour: 17,
});

/** Time limits in working days (docs/RULES.md decision 2; placeholders the letter leaves open, configuration). */
export type Deadlines = {
  readonly opinion: number;
  readonly appraisal: number;
  readonly officeCheck: number;
  readonly revise: number;
  readonly chooseOption: number;
  readonly respondAppraisal: number;
  readonly draftSubmission: number;
  readonly sign: number;
  readonly sendPaper: number;
  readonly leaderDecision: number;
  readonly followUp: number;
  readonly proactive: number;
  /** Whole dossier, used when no assigned due date exists. */
  readonly dossier: number;
  /** How many working days before a deadline the reminder fires. */
  readonly reminderBefore: number;
};

export const DEFAULT_DEADLINES: Deadlines = Object.freeze({
  opinion: 5,
  appraisal: 10,
  officeCheck: 2,
  revise: 2,
  chooseOption: 2,
  respondAppraisal: 3,
  draftSubmission: 3,
  sign: 2,
  sendPaper: 1,
  leaderDecision: 5,
  followUp: 2,
  proactive: 5,
  dossier: 30,
  reminderBefore: 1,
});

const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
// Longest run of non-working days we tolerate before assuming a broken calendar.
const MAX_SCAN_DAYS = 3660;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type CalendarIndex = { weekend: Set<number>; holidays: Set<string>; overrides: Set<string> };
const indexCache = new WeakMap<WorkCalendar, CalendarIndex>();

function indexOf(cal: WorkCalendar): CalendarIndex {
  let index = indexCache.get(cal);
  if (!index) {
    index = {
      weekend: new Set(cal.weekend),
      holidays: new Set(cal.holidays),
      overrides: new Set(cal.workdayOverrides ?? []),
    };
    indexCache.set(cal, index);
  }
  return index;
}

function assertValidDate(date: Date, name: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new Error(`${name} must be a valid Date`);
  }
}

function assertDayCount(days: number, name: string): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${String(days)}`);
  }
}

/** Day number (days since 1970-01-01) of the local Vietnam date of an instant. */
function localDayNumber(date: Date): number {
  return Math.floor((date.getTime() + OFFSET_MS) / DAY_MS);
}

function localMsOfDay(date: Date): number {
  const shifted = date.getTime() + OFFSET_MS;
  return shifted - Math.floor(shifted / DAY_MS) * DAY_MS;
}

function dayNumberToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWorkingDayNumber(day: number, index: CalendarIndex): boolean {
  const iso = dayNumberToIso(day);
  if (index.overrides.has(iso)) return true;
  if (index.holidays.has(iso)) return false;
  // Day 0 (1970-01-01) was a Thursday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return !index.weekend.has(weekday);
}

function endOfDay(day: number, cal: WorkCalendar): Date {
  return new Date(day * DAY_MS + cal.workdayEndHour * 60 * MINUTE_MS - OFFSET_MS);
}

/** Steps `count` working days from `day` in direction `step` (the start day itself is not counted). */
function stepWorkingDays(day: number, count: number, step: 1 | -1, index: CalendarIndex): number {
  let current = day;
  let found = 0;
  let scanned = 0;
  while (found < count) {
    current += step;
    if (isWorkingDayNumber(current, index)) {
      found += 1;
      scanned = 0;
    } else if (++scanned > MAX_SCAN_DAYS) {
      throw new Error('calendar has no working day within ten years; check weekend and holidays');
    }
  }
  return current;
}

/** True when the Vietnam-local date of `date` is a working day of `cal`. */
export function isWorkingDay(date: Date, cal: WorkCalendar = DEFAULT_CALENDAR): boolean {
  assertValidDate(date, 'date');
  return isWorkingDayNumber(localDayNumber(date), indexOf(cal));
}

/**
 * Deadline `days` working days after `from`, at the end of that working day (workdayEndHour local).
 * Days are counted from the day after `from`'s local date, so a Saturday or after-hours start
 * gains nothing. With 0 days: the end of today when today is a working day not yet over,
 * otherwise the end of the next working day.
 */
export function addWorkingDays(from: Date, days: number, cal: WorkCalendar = DEFAULT_CALENDAR): Date {
  assertValidDate(from, 'from');
  assertDayCount(days, 'days');
  const index = indexOf(cal);
  const today = localDayNumber(from);
  if (days > 0) return endOfDay(stepWorkingDays(today, days, 1, index), cal);
  const todayOpen = isWorkingDayNumber(today, index) && localMsOfDay(from) < cal.workdayEndHour * 60 * MINUTE_MS;
  return todayOpen ? endOfDay(today, cal) : endOfDay(stepWorkingDays(today, 1, 1, index), cal);
}

/**
 * The instant `days` working days before `from`, keeping `from`'s local time of day
 * (a reminder one working day before a 17:00 deadline is at 17:00 the working day before).
 * 0 days returns `from` unchanged.
 */
export function subtractWorkingDays(from: Date, days: number, cal: WorkCalendar = DEFAULT_CALENDAR): Date {
  assertValidDate(from, 'from');
  assertDayCount(days, 'days');
  if (days === 0) return new Date(from.getTime());
  const today = localDayNumber(from);
  const target = stepWorkingDays(today, days, -1, indexOf(cal));
  return new Date(from.getTime() - (today - target) * DAY_MS);
}

/**
 * Working days after `a`'s local date up to and including `b`'s local date; negative when b is
 * earlier. Inverse of addWorkingDays: workingDaysBetween(x, addWorkingDays(x, n)) === n for n ≥ 1.
 */
export function workingDaysBetween(a: Date, b: Date, cal: WorkCalendar = DEFAULT_CALENDAR): number {
  assertValidDate(a, 'a');
  assertValidDate(b, 'b');
  const index = indexOf(cal);
  const start = localDayNumber(a);
  const end = localDayNumber(b);
  const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
  let count = 0;
  for (let day = low + 1; day <= high; day++) {
    if (isWorkingDayNumber(day, index)) count++;
  }
  return sign * count;
}

/** The year in Vietnam at an instant: the year of a document's number (numbering restarts on 1 January). */
export function vietnamYear(date: Date): number {
  assertValidDate(date, 'date');
  return new Date(date.getTime() + OFFSET_MS).getUTCFullYear();
}

/** ISO-8601 with the fixed +07:00 offset, e.g. 2026-11-30T17:00:00.000+07:00: the form the engine receives. */
export function toIsoLocal(date: Date): string {
  assertValidDate(date, 'date');
  return new Date(date.getTime() + OFFSET_MS).toISOString().replace(/Z$/, '+07:00');
}

/** True for a calendar date that exists, written YYYY-MM-DD (2026-02-30 does not). */
export function isRealLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The calendar the deadlines count with: `base`'s weekend rule and end of day, with the given
 * holidays and make-up working days. Throws naming the first day that is not a real date or is
 * given twice (the database's key forbids both; a caller's list may not).
 */
export function calendarFromDays(days: readonly CalendarDayEntry[], base: WorkCalendar = DEFAULT_CALENDAR): WorkCalendar {
  const seen = new Set<string>();
  const holidays: string[] = [];
  const workdayOverrides: string[] = [];
  for (const d of days) {
    if (!isRealLocalDate(d.date)) throw new Error(`calendar day ${JSON.stringify(d.date)} is not a real date YYYY-MM-DD`);
    if (seen.has(d.date)) throw new Error(`calendar day ${d.date} is given twice`);
    seen.add(d.date);
    if (d.kind === 'HOLIDAY') holidays.push(d.date);
    else if (d.kind === 'WORKDAY') workdayOverrides.push(d.date);
    else throw new Error(`calendar day ${d.date} has unknown kind ${JSON.stringify(d.kind)}`);
  }
  return Object.freeze({
    timeZone: VIETNAM_TIME_ZONE,
    weekend: base.weekend,
    holidays: Object.freeze(holidays),
    workdayOverrides: Object.freeze(workdayOverrides),
    workdayEndHour: base.workdayEndHour,
  });
}

/** True when the local date YYYY-MM-DD falls on `cal`'s weekend (a make-up working day must). */
export function isWeekendDate(date: string, cal: WorkCalendar = DEFAULT_CALENDAR): boolean {
  if (!isRealLocalDate(date)) throw new Error(`${JSON.stringify(date)} is not a real date YYYY-MM-DD`);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return cal.weekend.includes(weekday);
}

/** Due-date variables of the process's user tasks, keyed as the diagram reads them. */
export type TaskDueDates = {
  reviseDueAt: string;
  chooseOptionDueAt: string;
  appraiseDueAt: string;
  respondAppraisalDueAt: string;
  draftSubmissionDueAt: string;
  signDueAt: string;
  sendPaperDueAt: string;
  officeCheckDueAt: string;
  leaderDecisionDueAt: string;
  followUpDueAt: string;
  proactiveDueAt: string;
};

/** Due dates (+07:00 ISO strings) for every user task, counted from `now`. */
export function nextDeadlines(
  now: Date,
  cal: WorkCalendar = DEFAULT_CALENDAR,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): TaskDueDates {
  const due = (days: number) => toIsoLocal(addWorkingDays(now, days, cal));
  return {
    reviseDueAt: due(deadlines.revise),
    chooseOptionDueAt: due(deadlines.chooseOption),
    appraiseDueAt: due(deadlines.appraisal),
    respondAppraisalDueAt: due(deadlines.respondAppraisal),
    draftSubmissionDueAt: due(deadlines.draftSubmission),
    signDueAt: due(deadlines.sign),
    sendPaperDueAt: due(deadlines.sendPaper),
    officeCheckDueAt: due(deadlines.officeCheck),
    leaderDecisionDueAt: due(deadlines.leaderDecision),
    followUpDueAt: due(deadlines.followUp),
    proactiveDueAt: due(deadlines.proactive),
  };
}

/** A reminder `reminderBefore` working days before `due`, but never earlier than now + 1 minute. */
function reminderFor(now: Date, due: Date, cal: WorkCalendar, deadlines: Deadlines): Date {
  const reminder = subtractWorkingDays(due, deadlines.reminderBefore, cal);
  return reminder.getTime() > now.getTime() ? reminder : new Date(now.getTime() + MINUTE_MS);
}

/** Opinion deadline and its reminder, counted from `now`. */
export function opinionDeadlines(
  now: Date,
  cal: WorkCalendar = DEFAULT_CALENDAR,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): { opinionDueAt: string; opinionReminderAt: string } {
  const due = addWorkingDays(now, deadlines.opinion, cal);
  return { opinionDueAt: toIsoLocal(due), opinionReminderAt: toIsoLocal(reminderFor(now, due, cal, deadlines)) };
}

/**
 * Dossier deadline and reminder: the assigned `dueAt` when there is one (kept as given,
 * even if already past), else `deadlines.dossier` working days from now.
 */
export function dossierDeadlines(
  now: Date,
  dueAt: Date | null,
  cal: WorkCalendar = DEFAULT_CALENDAR,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): { dossierDueAt: string; dossierReminderAt: string } {
  assertValidDate(now, 'now');
  if (dueAt !== null) assertValidDate(dueAt, 'dueAt');
  const due = dueAt ?? addWorkingDays(now, deadlines.dossier, cal);
  return { dossierDueAt: toIsoLocal(due), dossierReminderAt: toIsoLocal(reminderFor(now, due, cal, deadlines)) };
}

/**
 * An assigned task's deadline and reminder: `workingDays` working days counted from the
 * UBND document's date, or the date the document itself sets; the reminder `reminderBefore`
 * working days before it (never earlier than now + 1 minute, so a short deadline still reminds).
 */
export function assignedTaskDeadlines(
  now: Date,
  given: { sourceDate: Date; workingDays?: number | null; dueAt?: Date | null },
  cal: WorkCalendar = DEFAULT_CALENDAR,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): { dueAt: Date; reminderAt: Date } {
  assertValidDate(now, 'now');
  assertValidDate(given.sourceDate, 'sourceDate');
  let due: Date;
  if (given.dueAt) {
    assertValidDate(given.dueAt, 'dueAt');
    due = given.dueAt;
  } else {
    const days = given.workingDays ?? 0;
    assertDayCount(days, 'workingDays');
    due = addWorkingDays(given.sourceDate, days, cal);
  }
  return { dueAt: due, reminderAt: reminderFor(now, due, cal, deadlines) };
}
