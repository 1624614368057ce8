import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { CalendarSeedDay } from './1732600000340-calendar-days.ts';

const TET_DUONG_LICH = 'Văn bản 12729/VPCP-KGVX ngày 25/12/2025: nghỉ Tết Dương lịch 01/01–04/01/2026';
const QUOC_KHANH = 'Ý kiến Thủ tướng (Văn phòng Chính phủ truyền đạt, tháng 10/2025): nghỉ Quốc khánh 29/8–02/9/2026';

/**
 * the 2026 days the Government announced, as the press reported them. Tết Dương lịch:
 * Thursday 1/1 and Friday 2/1, swapped for Saturday 10/1, which is worked. Quốc khánh: Tuesday 1/9
 * is the day next to 2/9, and Monday 31/8 is swapped for Saturday 22/8, which is worked.
 */
export const CALENDAR_2026_ANNOUNCED: readonly CalendarSeedDay[] = [
  { date: '2026-01-02', kind: 'HOLIDAY', note: `Nghỉ hoán đổi với thứ Bảy 10/01/2026 (${TET_DUONG_LICH})` },
  { date: '2026-01-10', kind: 'WORKDAY', note: `Làm bù cho thứ Sáu 02/01/2026 (${TET_DUONG_LICH})` },
  { date: '2026-08-22', kind: 'WORKDAY', note: `Làm bù cho thứ Hai 31/08/2026 (${QUOC_KHANH})` },
  { date: '2026-08-31', kind: 'HOLIDAY', note: `Nghỉ hoán đổi với thứ Bảy 22/08/2026 (${QUOC_KHANH})` },
  { date: '2026-09-01', kind: 'HOLIDAY', note: `Quốc khánh, ngày liền kề (${QUOC_KHANH})` },
];

/**
 * Writes the announced days over the seed's unchecked ones. A day an administrator has already
 * set (changed_by not null) is theirs and stays as they left it.
 */
export class Calendar2026Announced1732600000450 implements MigrationInterface {
  name = 'Calendar2026Announced1732600000450';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO calendar_day (day, kind, note) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])
       ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, changed_at = now() WHERE calendar_day.changed_by IS NULL`,
      [CALENDAR_2026_ANNOUNCED.map((d) => d.date), CALENDAR_2026_ANNOUNCED.map((d) => d.kind), CALENDAR_2026_ANNOUNCED.map((d) => d.note)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM calendar_day WHERE day IN ('2026-08-22', '2026-08-31') AND changed_by IS NULL`);
  }
}
