/**
 * R-22 (and R-13) deadlines count working days with the calendar an administrator keeps as data:
 * a holiday added through the API is skipped by the next deadline the server computes, while a
 * deadline already set stays; only administrators change the calendar (403), and a day that does
 * not exist is refused (422).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { refusal } from '../support/engine.ts';
import { addWorkingDays, isWorkingDay, toIsoLocal } from '../../domain/calendar.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Task = { id: string; dueAt: string };
type Day = { date: string; kind: string; note: string; changedBy: string | null };

const today = () => toIsoLocal(new Date()).slice(0, 10);
const localDate = (iso: string) => toIsoLocal(new Date(iso)).slice(0, 10);
let serial = 0;

describe('R-22 the working-day calendar as data an administrator keeps', () => {
  let env: TestEnv;
  let admin: ApiClient;
  let office: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    admin = await env.as('admin');
    office = await env.as('vp.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  const register = () =>
    office.post<Task>('/api/assigned-tasks', {
      sourceRef: `${++serial}/TB-UBND-LICH`,
      sourceDate: today(),
      assignedBy: 'CHU_TICH',
      assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: 'SCT',
      content: `Báo cáo tình hình số ${serial} theo chỉ đạo của Chủ tịch UBND tỉnh`,
      workingDays: 1,
    });

  it('R-22 should read the seeded calendar from the database, with its unverified days said so', async () => {
    const { items } = await admin.get<{ items: Day[] }>('/api/admin/calendar?year=2026');
    expect(items.find((d) => d.date === '2026-02-17')).toMatchObject({ kind: 'HOLIDAY', changedBy: null });
    expect(items.find((d) => d.date === '2026-01-10')).toMatchObject({ kind: 'WORKDAY' });
    expect(items.find((d) => d.date === '2027-09-03')).toBeUndefined();
    const y2027 = await admin.get<{ items: Day[] }>('/api/admin/calendar?year=2027');
    expect(y2027.items.find((d) => d.date === '2027-09-03')!.note).toMatch(/CHƯA ĐỐI CHIẾU/);
    expect(isWorkingDay(new Date('2026-02-17T09:00:00+07:00'), env.deps.policy.calendar)).toBe(false);
  });

  it('R-22 should hold the 2026 days the Government announced: Tết Dương lịch 1–4/1 with Friday 2/1 swapped for Saturday 10/1, Quốc khánh 29/8–2/9 with Monday 31/8 swapped for Saturday 22/8', async () => {
    const { items } = await admin.get<{ items: Day[] }>('/api/admin/calendar?year=2026');
    const day = (date: string) => items.find((d) => d.date === date);
    for (const date of ['2026-01-01', '2026-01-02', '2026-08-31', '2026-09-01', '2026-09-02']) expect(day(date), date).toMatchObject({ kind: 'HOLIDAY' });
    for (const date of ['2026-01-10', '2026-08-22']) expect(day(date), date).toMatchObject({ kind: 'WORKDAY' });
    // the swapped days cite what announced them; none of 2026's says it is unchecked any more
    expect(day('2026-01-02')!.note).toMatch(/12729\/VPCP-KGVX/);
    expect(items.filter((d) => d.note.includes('CHƯA ĐỐI CHIẾU')).map((d) => d.date)).toEqual([]);
    // and the deadlines count them: from Wednesday 31/12/2025 one working day is Monday 5/1, from Friday 28/8/2026 it is Thursday 3/9
    const cal = env.deps.policy.calendar;
    expect(toIsoLocal(addWorkingDays(new Date('2025-12-31T10:00:00+07:00'), 1, cal))).toBe('2026-01-05T17:00:00.000+07:00');
    expect(toIsoLocal(addWorkingDays(new Date('2026-08-28T10:00:00+07:00'), 1, cal))).toBe('2026-09-03T17:00:00.000+07:00');
    expect(isWorkingDay(new Date('2026-08-22T09:00:00+07:00'), cal)).toBe(true);
    expect(isWorkingDay(new Date('2026-01-10T09:00:00+07:00'), cal)).toBe(true);
  });

  it('R-22 should skip a holiday the administrator adds in the next deadline, and leave the deadline already set where it was', async () => {
    // given a task of one working day registered today: due at the end of the next working day
    const before = await register();
    const dueDay = localDate(before.dueAt);
    expect(new Date(before.dueAt).getTime()).toBe(addWorkingDays(new Date(`${today()}T00:00:00+07:00`), 1, env.deps.policy.calendar).getTime());

    // when the administrator makes that day a holiday
    const added = await admin.post<{ day: Day }>('/api/admin/calendar', { date: dueDay, kind: 'HOLIDAY', note: 'Nghỉ lễ bổ sung (thử)' });
    expect(added.day).toMatchObject({ date: dueDay, kind: 'HOLIDAY', changedBy: 'admin' });

    // then a task registered after it is due one working day later, past the new holiday
    const after = await register();
    expect(localDate(after.dueAt) > dueDay).toBe(true);
    expect(isWorkingDay(new Date(after.dueAt), env.deps.policy.calendar)).toBe(true);
    expect(new Date(after.dueAt).getTime()).toBe(addWorkingDays(new Date(`${dueDay}T12:00:00+07:00`), 0, env.deps.policy.calendar).getTime());

    // and the first task keeps its deadline
    const rows = (await env.ds.query('SELECT due_at FROM assigned_task WHERE id = $1', [before.id])) as { due_at: Date }[];
    expect(rows[0]!.due_at.getTime()).toBe(new Date(before.dueAt).getTime());

    // and the change is in the audit trail with its author
    const audit = (await env.ds.query("SELECT actor_user_id, details FROM audit_event WHERE action = 'CALENDAR_DAY_ADDED' AND details->'day'->>'date' = $1", [dueDay])) as { actor_user_id: string }[];
    expect(audit.map((a) => a.actor_user_id)).toEqual(['admin']);

    // when the administrator removes the day again, the next deadline falls on it once more
    await admin.request('DELETE', `/api/admin/calendar/${dueDay}`);
    const again = await register();
    expect(localDate(again.dueAt)).toBe(dueDay);
  });

  it('R-22 should let an administrator change a day and refuse a duplicate or a make-up day on a weekday', async () => {
    await admin.post('/api/admin/calendar', { date: '2031-03-10', kind: 'HOLIDAY', note: 'Thử' });
    expect((await refusal(admin.post('/api/admin/calendar', { date: '2031-03-10', kind: 'HOLIDAY' }))).status).toBe(409);
    const changed = await admin.request<{ day: Day }>('PATCH', '/api/admin/calendar/2031-03-10', { note: 'Đã sửa' });
    expect(changed.day).toMatchObject({ kind: 'HOLIDAY', note: 'Đã sửa' });
    // Monday 10/3/2031 is a working day already: a make-up working day there means nothing
    const weekday = await refusal(admin.request('PATCH', '/api/admin/calendar/2031-03-10', { kind: 'WORKDAY' }));
    expect([weekday.status, weekday.code]).toEqual([422, 'WORKDAY_NOT_WEEKEND']);
    expect((await refusal(admin.request('DELETE', '/api/admin/calendar/2031-03-11'))).status).toBe(404);
  });

  it('R-22 should refuse a calendar change from anyone but an administrator (403)', async () => {
    for (const user of ['vp.chuyenvien', 'sct.giamdoc']) {
      const c = await env.as(user);
      expect((await refusal(c.post('/api/admin/calendar', { date: '2031-05-05', kind: 'HOLIDAY' }))).status).toBe(403);
      expect((await refusal(c.request('DELETE', '/api/admin/calendar/2026-02-17'))).status).toBe(403);
      expect((await refusal(c.request('PATCH', '/api/admin/calendar/2026-02-17', { note: 'x' }))).status).toBe(403);
    }
    const rows = (await env.ds.query("SELECT count(*)::int AS n FROM calendar_day WHERE day IN ('2031-05-05', '2026-02-17')")) as { n: number }[];
    expect(rows[0]!.n).toBe(1);
  });

  it('R-22 should refuse a date that does not exist (422 INVALID_DATE) and input of the wrong shape (400 INVALID_INPUT)', async () => {
    // a day with the shape of a date but no such day, or outside the years the calendar keeps
    for (const date of ['2026-02-30', '2026-13-01', '2027-02-29', '1899-05-10']) {
      const e = await refusal(admin.post('/api/admin/calendar', { date, kind: 'HOLIDAY' }));
      expect([e.status, e.code, e.body?.error?.field], date).toEqual([422, 'INVALID_DATE', 'date']);
    }
    expect((await refusal(admin.request('DELETE', '/api/admin/calendar/2026-02-31'))).status).toBe(422);
    expect((await refusal(admin.request('PATCH', '/api/admin/calendar/2026-04-31', { note: 'x' }))).status).toBe(422);
    // not a date at all, an unknown kind, a field the API does not take, a note too long
    for (const body of [
      { date: '10/05/2026', kind: 'HOLIDAY' },
      { date: "2026-05-10'; DROP TABLE calendar_day; --", kind: 'HOLIDAY' },
      { date: '2026-05-11', kind: 'LEAVE' },
      { date: '2026-05-11', kind: 'HOLIDAY', changedBy: 'someone' },
      { date: '2026-05-11', kind: 'HOLIDAY', note: 'x'.repeat(301) },
    ]) {
      const e = await refusal(admin.post('/api/admin/calendar', body));
      expect([e.status, e.code], JSON.stringify(body)).toEqual([400, 'INVALID_INPUT']);
    }
    expect((await refusal(admin.get('/api/admin/calendar?year=abc'))).status).toBe(400);
    expect((await refusal(admin.request('PATCH', '/api/admin/calendar/2026-02-17', {}))).status).toBe(400);
    const rows = (await env.ds.query("SELECT count(*)::int AS n FROM calendar_day WHERE day >= '2026-05-10' AND day <= '2026-05-11'")) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
  });
});
