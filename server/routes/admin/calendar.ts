/**
 * The working-day calendar (R-13, R-22 deadlines): everyone reads a year of it, administrators add,
 * change and remove public holidays and make-up working days. Every change is audited, and this
 * server counts with it at once (other processes within CALENDAR_REFRESH_MS). Deadlines already
 * computed stay as they are: a change counts for deadlines computed after it (docs/RULES.md decision 2).
 */
import express from 'express';
import { z } from 'zod';
import { canManageOrganisation } from '../../../domain/access.ts';
import { isRealLocalDate, isWeekendDate } from '../../../domain/calendar.ts';
import { addCalendarDay, calendarDay, listCalendarDays, removeCalendarDay, updateCalendarDay } from '../../../store/calendar.ts';
import { currentUser } from '../../auth.ts';
import type { ServerDeps } from '../../deps.ts';
import { ApiError, conflict, forbidden, notFound } from '../../errors.ts';
import { changer } from './common.ts';

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** The shape YYYY-MM-DD (400 otherwise); whether such a day exists is checked after (422 INVALID_DATE). */
export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày phải viết YYYY-MM-DD');
export const calendarDayKind = z.enum(['HOLIDAY', 'WORKDAY']);
const note = z.string().trim().max(300);

export const calendarYearQuery = z.object({ year: z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR) }).strict();
export const calendarDateParam = z.object({ date: calendarDate });
export const calendarDayInput = z.object({ date: calendarDate, kind: calendarDayKind, note: note.default('') }).strict();
export const calendarDayUpdate = z
  .object({ kind: calendarDayKind.optional(), note: note.optional() })
  .strict()
  .refine((c) => c.kind !== undefined || c.note !== undefined, 'cần đổi loại ngày hoặc ghi chú');

const calendarDayAnswer = z.strictObject({ date: z.string(), kind: calendarDayKind, note: z.string(), changedBy: z.string().nullable(), changedAt: z.iso.datetime({ offset: true }) });
export const calendarYearAnswer = z.strictObject({ year: z.number().int(), items: z.array(calendarDayAnswer) });
export const calendarDayResponse = z.strictObject({ day: calendarDayAnswer });

function requireCalendarAdmin(req: express.Request): void {
  if (!canManageOrganisation(currentUser(req))) throw forbidden('Chỉ quản trị hệ thống được sửa lịch làm việc.');
}

/** 2026-02-30 has the shape of a date but no day: refused naming the date field. */
function assertRealDate(date: string): void {
  if (!isRealLocalDate(date)) throw new ApiError(422, 'INVALID_DATE', `Ngày ${date} không có thật.`, { field: 'date' });
  const year = Number(date.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new ApiError(422, 'INVALID_DATE', `Năm của lịch phải từ ${FIRST_YEAR} đến ${LAST_YEAR}.`, { field: 'date' });
}

/** A make-up working day replaces a weekend day: on a weekday it would mean nothing. */
function assertKindFits(date: string, kind: 'HOLIDAY' | 'WORKDAY', deps: ServerDeps): void {
  if (kind === 'WORKDAY' && !isWeekendDate(date, deps.policy.calendar)) {
    throw new ApiError(422, 'WORKDAY_NOT_WEEKEND', `Ngày làm bù phải là ngày nghỉ cuối tuần; ${date} là ngày làm việc thường.`, { field: 'kind' });
  }
}

export function calendarRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();
  // The server counts new deadlines with the change at once.
  const reload = async () => deps.policy.reload?.();

  r.get('/calendar', async (req, res) => {
    const { year } = calendarYearQuery.parse(req.query);
    res.json({ year, items: await listCalendarDays(deps.ds, year) });
  });

  r.post('/calendar', async (req, res) => {
    requireCalendarAdmin(req);
    const d = calendarDayInput.parse(req.body);
    assertRealDate(d.date);
    assertKindFits(d.date, d.kind, deps);
    if (!(await addCalendarDay(deps.ds, d, changer(req)))) throw conflict('CALENDAR_DAY_EXISTS', `Ngày ${d.date} đã có trong lịch; sửa hoặc xoá ngày đó.`);
    await reload();
    res.status(201).json({ day: await calendarDay(deps.ds, d.date) });
  });

  r.patch('/calendar/:date', async (req, res) => {
    requireCalendarAdmin(req);
    const { date } = calendarDateParam.parse(req.params);
    const changes = calendarDayUpdate.parse(req.body);
    assertRealDate(date);
    if (changes.kind) assertKindFits(date, changes.kind, deps);
    if (!(await updateCalendarDay(deps.ds, date, changes, changer(req)))) throw notFound(`ngày ${date} trong lịch`);
    await reload();
    res.json({ day: await calendarDay(deps.ds, date) });
  });

  r.delete('/calendar/:date', async (req, res) => {
    requireCalendarAdmin(req);
    const { date } = calendarDateParam.parse(req.params);
    assertRealDate(date);
    if (!(await removeCalendarDay(deps.ds, date, changer(req)))) throw notFound(`ngày ${date} trong lịch`);
    await reload();
    res.status(204).end();
  });

  return r;
}
