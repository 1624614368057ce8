import { vietnamYear } from '../../domain/calendar.ts';

/** the report's year is the Office's, in Vietnam, whatever clock or time zone the browser has (on 31/12 after 17:00 UTC Vietnam is in the next year). */
export function reportYearNow(now: Date): number {
  return vietnamYear(now);
}
