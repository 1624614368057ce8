/**
 * The configurable parts of the directive (docs/RULES.md, "Decisions where the letter is silent"): the working-day
 * calendar, the time limits and the rules' settings. The calendar's holidays are data (store/calendar.ts): each
 * process reads them at start and again when they change.
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_CALENDAR, DEFAULT_DEADLINES, type Deadlines, type WorkCalendar } from '../domain/calendar.ts';
import { DEFAULT_RULES_CONFIG, type RulesConfig } from '../domain/rules/config.ts';
import { readWorkCalendar } from '../store/calendar.ts';
import type { Logger } from '../platform/logger.ts';

export type Policy = Readonly<{
  calendar: WorkCalendar;
  deadlines: Deadlines;
  rules: RulesConfig;
  /** Reads the calendar again from the database; present when the calendar comes from it. */
  reload?: () => Promise<void>;
}>;

/** The weekend rule without holidays: for tools and tests that have no database calendar. */
export const DEFAULT_POLICY: Policy = Object.freeze({
  calendar: DEFAULT_CALENDAR,
  deadlines: DEFAULT_DEADLINES,
  rules: DEFAULT_RULES_CONFIG,
});

/** How often a process reads the calendar again, so a change made through another process reaches it. */
export const CALENDAR_REFRESH_MS = 5 * 60_000;

/**
 * The policy with the calendar read from the database. `calendar` always answers the last calendar
 * read: a deadline computed after reload() counts with the new days; deadlines already computed
 * are stored values and do not move.
 */
export async function loadPolicy(ds: DataSource): Promise<Policy> {
  let calendar = await readWorkCalendar(ds);
  return Object.freeze({
    get calendar() {
      return calendar;
    },
    deadlines: DEFAULT_DEADLINES,
    rules: DEFAULT_RULES_CONFIG,
    async reload() {
      calendar = await readWorkCalendar(ds);
    },
  });
}

/**
 * Reads the calendar again every `everyMs`; a failed read keeps the last calendar and is logged.
 * Returns the function that stops it.
 */
export function refreshPolicy(policy: Policy, log: Logger, everyMs = CALENDAR_REFRESH_MS): () => void {
  const reload = policy.reload;
  if (!reload) return () => {};
  const timer = setInterval(() => {
    reload().catch((err: unknown) => log.warn(`calendar not read again, the last one stays in use: ${(err as Error).message}`));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
