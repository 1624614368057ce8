/** The logging interface the code writes to; platform/log.ts makes one over pino. */
import type pino from 'pino';
import type { LevelWithSilent } from 'pino';

export type LogFields = Record<string, unknown>;
export type LogLevel = LevelWithSilent;

/** What the code logs through: a message and, optionally, fields of its own. */
export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every line carries `bindings` (a request id, a task id…). */
  child(bindings: LogFields): Logger;
  /** The pino logger underneath (pino-http logs requests through it). */
  readonly pino: pino.Logger;
};
