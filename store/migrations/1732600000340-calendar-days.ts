import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One day of the seed: a public holiday (or compensatory day off), or a weekend day worked instead ("làm bù"). */
export type CalendarSeedDay = { date: string; kind: 'HOLIDAY' | 'WORKDAY'; note: string };

const UNVERIFIED = 'CHƯA ĐỐI CHIẾU văn bản công bố, quản trị kiểm tra lại';

/**
 * The calendar the code carried until now (domain/calendar.ts, 2025–2027), as data. Labour Code 2019
 * art. 112 fixes the days (1/1; Tết Âm lịch 5 days; 10/3 âm lịch; 30/4; 1/5; 2/9 and a day next to it)
 * and a compensatory day on the next working day when one falls on a weekly rest day; the Government
 * sets each year which days Tết and the second day of Quốc khánh take, and any swap of a working day.
 * Lunar dates are computed (Hồ Ngọc Đức's algorithm, UTC+7). Where an announcement could not be checked,
 * the note says so: the administrator corrects the day in the app (Quản trị › Lịch làm việc).
 */
export const CALENDAR_SEED: readonly CalendarSeedDay[] = [
  { date: '2025-01-01', kind: 'HOLIDAY', note: 'Tết Dương lịch' },
  ...['2025-01-25', '2025-01-26', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02'].map(
    (date) => ({ date, kind: 'HOLIDAY' as const, note: 'Tết Nguyên đán Ất Tỵ (mùng 1 = 29/01), nghỉ 25/01–02/02 theo thông báo' }),
  ),
  { date: '2025-04-07', kind: 'HOLIDAY', note: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
  { date: '2025-04-30', kind: 'HOLIDAY', note: 'Ngày Chiến thắng' },
  { date: '2025-05-01', kind: 'HOLIDAY', note: 'Ngày Quốc tế Lao động' },
  { date: '2025-05-02', kind: 'HOLIDAY', note: 'Nghỉ hoán đổi với thứ Bảy 26/04/2025' },
  { date: '2025-04-26', kind: 'WORKDAY', note: 'Làm bù cho thứ Sáu 02/05/2025' },
  { date: '2025-09-01', kind: 'HOLIDAY', note: 'Quốc khánh (ngày liền kề)' },
  { date: '2025-09-02', kind: 'HOLIDAY', note: 'Quốc khánh' },

  { date: '2026-01-01', kind: 'HOLIDAY', note: 'Tết Dương lịch (Bộ luật Lao động 2019 điều 112)' },
  { date: '2026-01-02', kind: 'HOLIDAY', note: `Nghỉ hoán đổi với thứ Bảy 10/01/2026, theo tin đã đưa; ${UNVERIFIED}` },
  { date: '2026-01-10', kind: 'WORKDAY', note: `Làm bù cho thứ Sáu 02/01/2026, theo tin đã đưa; ${UNVERIFIED}` },
  ...['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'].map(
    (date) => ({ date, kind: 'HOLIDAY' as const, note: 'Tết Nguyên đán Bính Ngọ (mùng 1 = 17/02), nghỉ 14/02–22/02 (9 ngày) theo thông báo' }),
  ),
  { date: '2026-04-26', kind: 'HOLIDAY', note: 'Giỗ Tổ Hùng Vương (10/3 âm lịch), Chủ nhật' },
  { date: '2026-04-27', kind: 'HOLIDAY', note: 'Nghỉ bù Giỗ Tổ Hùng Vương (điều 112 khoản 3)' },
  { date: '2026-04-30', kind: 'HOLIDAY', note: 'Ngày Chiến thắng' },
  { date: '2026-05-01', kind: 'HOLIDAY', note: 'Ngày Quốc tế Lao động' },
  { date: '2026-09-01', kind: 'HOLIDAY', note: `Quốc khánh, ngày liền kề (01/9 hay 03/9 do Chính phủ chọn); ${UNVERIFIED}` },
  { date: '2026-09-02', kind: 'HOLIDAY', note: 'Quốc khánh' },

  { date: '2027-01-01', kind: 'HOLIDAY', note: 'Tết Dương lịch' },
  ...['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'].map(
    (date) => ({ date, kind: 'HOLIDAY' as const, note: `Tết Nguyên đán Đinh Mùi (mùng 1 = thứ Bảy 06/02), dự kiến 28 Tết–mùng 5; ${UNVERIFIED}` }),
  ),
  { date: '2027-04-16', kind: 'HOLIDAY', note: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
  { date: '2027-04-30', kind: 'HOLIDAY', note: 'Ngày Chiến thắng' },
  { date: '2027-05-01', kind: 'HOLIDAY', note: 'Ngày Quốc tế Lao động, thứ Bảy' },
  { date: '2027-05-03', kind: 'HOLIDAY', note: 'Nghỉ bù Ngày Quốc tế Lao động (điều 112 khoản 3)' },
  { date: '2027-09-02', kind: 'HOLIDAY', note: 'Quốc khánh' },
  { date: '2027-09-03', kind: 'HOLIDAY', note: `Quốc khánh, ngày liền kề (01/9 hay 03/9 do Chính phủ chọn); ${UNVERIFIED}` },
];

/**
 * the working-day calendar (public holidays and make-up working days) is data an
 * administrator keeps up to date, no longer code. Seeded rows have no author (changed_by NULL).
 */
export class CalendarDays1732600000340 implements MigrationInterface {
  name = 'CalendarDays1732600000340';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_day (
        day date PRIMARY KEY,
        kind text NOT NULL CONSTRAINT calendar_day_kind CHECK (kind IN ('HOLIDAY', 'WORKDAY')),
        note text NOT NULL DEFAULT '',
        changed_by text CONSTRAINT calendar_day_changed_by_fk REFERENCES app_user(id),
        changed_at timestamptz NOT NULL DEFAULT now()
      );
    `);
    await q.query('INSERT INTO calendar_day (day, kind, note) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])', [
      CALENDAR_SEED.map((d) => d.date),
      CALENDAR_SEED.map((d) => d.kind),
      CALENDAR_SEED.map((d) => d.note),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE calendar_day');
  }
}
