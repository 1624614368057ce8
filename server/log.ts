/** A small line logger with a component prefix; one line per event, no stack traces for users. */
export type Logger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

export function consoleLogger(component: string, quiet = false): Logger {
  const line = (level: string, msg: string) => `${new Date().toISOString()} ${level} [${component}] ${msg}`;
  return {
    info: (msg) => {
      if (!quiet) console.log(line('INFO', msg));
    },
    warn: (msg) => console.warn(line('WARN', msg)),
    error: (msg) => console.error(line('ERROR', msg)),
  };
}

/** Collects lines in memory (tests, the fault harness counting log lines). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (msg) => lines.push(`INFO ${msg}`),
    warn: (msg) => lines.push(`WARN ${msg}`),
    error: (msg) => lines.push(`ERROR ${msg}`),
  };
}
