/**
 * JSON logs through pino, one object a line, for the server and the workers alike. Secrets,
 * cookies, passwords, CSRF tokens and document contents are redacted wherever they appear.
 */
import pino, { type DestinationStream } from 'pino';
import { currentContext } from './observability/context.ts';
import type { LogFields, LogLevel, Logger } from './logger.ts';

export type { LogFields, LogLevel, Logger } from './logger.ts';


/**
 * Paths never written as they are: wherever a password, a token, a cookie or a document's bytes
 * get into a logged object (a request, an error's details), they are censored.
 */
export const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'csrfToken',
  'token',
  'cookie',
  'authorization',
  'contentBase64',
  'bytes',
  'body',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.csrfToken',
  '*.token',
  '*.cookie',
  '*.authorization',
  '*.contentBase64',
  '*.bytes',
  '*.body',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

function options(component: string, level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { component, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"warn" rather than 40: what people and log shippers read without a table.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
}

/**
 * Our interface over a pino logger. A process's root logger is `contextual`: a line logged through
 * it while a request or a worker task runs goes through that work's logger, so it carries the
 * request id (or the task's fields) without the code that logs knowing of them.
 */
export function fromPino(p: pino.Logger, contextual = false): Logger {
  const self: Logger = {
    debug: (msg, fields) => at('debug', msg, fields),
    info: (msg, fields) => at('info', msg, fields),
    warn: (msg, fields) => at('warn', msg, fields),
    error: (msg, fields) => at('error', msg, fields),
    child: (bindings) => fromPino(p.child(bindings)),
    pino: p,
  };
  function at(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields): void {
    const work = contextual ? currentContext()?.log : undefined;
    if (work && work !== self) work[level](msg, fields);
    else if (fields) p[level](fields, msg);
    else p[level](msg);
  }
  return self;
}

/** A logger writing JSON lines to `destination` (stdout by default, synchronously so nothing is lost at exit). */
export function createLogger(component: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return fromPino(pino(options(component, level), destination ?? pino.destination({ dest: 1, sync: true })), true);
}

/** The process's logger on stdout. */
export function consoleLogger(component: string, level: LogLevel = 'info'): Logger {
  return createLogger(component, level);
}

export type LogRecord = { level: string; msg: string; time: string } & LogFields;

/**
 * Keeps the JSON lines in memory (tests, the benchmark's in-process server): `output` as written,
 * `records` parsed, `lines` as "LEVEL message" for a quick look.
 */
export function memoryLogger(level: LogLevel = 'info'): Logger & { output: string[]; readonly records: LogRecord[]; readonly lines: string[] } {
  const output: string[] = [];
  const log = createLogger('test', level, { write: (line: string) => void output.push(line) });
  return {
    ...log,
    output,
    get records() {
      return output.map((l) => JSON.parse(l) as LogRecord);
    },
    get lines() {
      return output.map((l) => {
        const r = JSON.parse(l) as LogRecord;
        const err = (r.err as { message?: string } | undefined)?.message;
        return `${r.level.toUpperCase()} ${r.msg}${err ? `: ${err}` : ''}`;
      });
    },
  };
}
