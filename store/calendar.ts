/**
 * The working-day calendar as data: the one owner of `calendar_day` (public holidays and make-up
 * working days, R-13/R-22 deadlines). The weekend rule stays in domain/calendar.ts.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { calendarFromDays, DEFAULT_CALENDAR, type CalendarDayKind, type WorkCalendar } from '../domain/calendar.ts';
import { recordAudit } from './audit.ts';
import type { Changer } from './organisation.ts';

type Db = DataSource | EntityManager;

/** A day as the administrators' page shows it; `changedBy` is null for the days the migration seeded. */
export type CalendarDayRecord = { date: string; kind: CalendarDayKind; note: string; changedBy: string | null; changedAt: Date };

type Row = { day: string; kind: CalendarDayKind; note: string; changed_by: string | null; changed_at: Date };
const COLUMNS = "to_char(day, 'YYYY-MM-DD') AS day, kind, note, changed_by, changed_at";
const toRecord = (r: Row): CalendarDayRecord => ({ date: r.day, kind: r.kind, note: r.note, changedBy: r.changed_by, changedAt: r.changed_at });

/** The days of one year, in date order. */
export async function listCalendarDays(db: Db, year: number): Promise<CalendarDayRecord[]> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM calendar_day WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`, [year])) as Row[];
  return rows.map(toRecord);
}

export async function calendarDay(db: Db, date: string): Promise<CalendarDayRecord | null> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM calendar_day WHERE day = $1`, [date])) as Row[];
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The calendar deadlines count with: every day of the table over the weekend rule. */
export async function readWorkCalendar(db: Db, base: WorkCalendar = DEFAULT_CALENDAR): Promise<WorkCalendar> {
  const rows = (await db.query("SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_day ORDER BY day")) as { day: string; kind: CalendarDayKind }[];
  return calendarFromDays(rows.map((r) => ({ date: r.day, kind: r.kind })), base);
}

const audit = (m: EntityManager, by: Changer, action: string, details: Record<string, unknown>) =>
  recordAudit(m, { dossierId: null, action, actorUserId: by.userId, actorRole: by.role, details });

/** Adds a day and audits it, in one transaction; false when the date is already in the calendar. */
export async function addCalendarDay(ds: DataSource, d: { date: string; kind: CalendarDayKind; note: string }, by: Changer): Promise<boolean> {
  return ds.transaction(async (m) => {
    const added = (await m.query('INSERT INTO calendar_day (day, kind, note, changed_by) VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO NOTHING RETURNING day', [d.date, d.kind, d.note, by.userId])) as unknown[];
    if (added.length === 0) return false;
    await audit(m, by, 'CALENDAR_DAY_ADDED', { day: d });
    return true;
  });
}

/** Changes a day's kind or note and audits it with what it was; false when the date is not in the calendar. */
export async function updateCalendarDay(ds: DataSource, date: string, changes: { kind?: CalendarDayKind; note?: string }, by: Changer): Promise<boolean> {
  return ds.transaction(async (m) => {
    const before = (await m.query(`SELECT ${COLUMNS} FROM calendar_day WHERE day = $1 FOR UPDATE`, [date])) as Row[];
    if (!before[0]) return false;
    await m.query('UPDATE calendar_day SET kind = COALESCE($2, kind), note = COALESCE($3, note), changed_by = $4, changed_at = now() WHERE day = $1', [
      date,
      changes.kind ?? null,
      changes.note ?? null,
      by.userId,
    ]);
    await audit(m, by, 'CALENDAR_DAY_CHANGED', { day: date, before: { kind: before[0].kind, note: before[0].note }, changes });
    return true;
  });
}

/** Removes a day and audits what it was; false when the date is not in the calendar. */
export async function removeCalendarDay(ds: DataSource, date: string, by: Changer): Promise<boolean> {
  return ds.transaction(async (m) => {
    // Through a CTE: a bare DELETE … RETURNING comes back from typeorm as [rows, count].
    const removed = (await m.query(`WITH gone AS (DELETE FROM calendar_day WHERE day = $1 RETURNING *) SELECT ${COLUMNS} FROM gone`, [date])) as Row[];
    if (!removed[0]) return false;
    await audit(m, by, 'CALENDAR_DAY_REMOVED', { day: { date, kind: removed[0].kind, note: removed[0].note } });
    return true;
  });
}
