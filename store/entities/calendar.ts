/** The working-day calendar: public holidays and make-up working days (store/calendar.ts). */
import { EntitySchema } from 'typeorm';

export type CalendarDay = {
  /** Local date YYYY-MM-DD (Vietnam). */
  day: string;
  kind: 'HOLIDAY' | 'WORKDAY';
  note: string;
  changedBy: string | null;
  changedAt: Date;
};

export const CalendarDayEntity = new EntitySchema<CalendarDay>({
  name: 'CalendarDay',
  tableName: 'calendar_day',
  columns: {
    day: { type: 'date', primary: true },
    kind: { type: 'text' },
    note: { type: 'text', default: '' },
    changedBy: { type: 'text', name: 'changed_by', nullable: true },
    changedAt: { type: 'timestamptz', name: 'changed_at', default: () => 'now()' },
  },
  foreignKeys: [
    { name: 'calendar_day_changed_by_fk', target: 'app_user', columnNames: ['changedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  checks: [{ name: 'calendar_day_kind', expression: "(kind = ANY (ARRAY['HOLIDAY'::text, 'WORKDAY'::text]))" }],
});
