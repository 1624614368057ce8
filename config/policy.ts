/**
 * The configurable parts of the directive (docs/RULES.md, "Decisions where the letter is silent"): the working-day
 * calendar, the time limits and the rules' settings. Loaded once per process.
 */
import fs from 'node:fs';
import { DEFAULT_CALENDAR, DEFAULT_DEADLINES, loadCalendar, type Deadlines, type WorkCalendar } from '../domain/calendar.ts';
import { DEFAULT_RULES_CONFIG, type RulesConfig } from '../domain/rules/config.ts';
import type { Config } from './index.ts';

export type Policy = Readonly<{
  calendar: WorkCalendar;
  deadlines: Deadlines;
  rules: RulesConfig;
}>;

export const DEFAULT_POLICY: Policy = Object.freeze({
  calendar: DEFAULT_CALENDAR,
  deadlines: DEFAULT_DEADLINES,
  rules: DEFAULT_RULES_CONFIG,
});

/** The default policy, with the calendar replaced by CALENDAR_FILE when one is given. */
export function loadPolicy(config: Config): Policy {
  if (!config.calendarFile) return DEFAULT_POLICY;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(config.calendarFile, 'utf8'));
  } catch (err) {
    throw new Error(`CALENDAR_FILE ${config.calendarFile}: ${(err as Error).message}`, { cause: err });
  }
  return Object.freeze({ ...DEFAULT_POLICY, calendar: loadCalendar(json) });
}
