/**
 * Loaded into the server process by the bench only (`node --import` of this file, with
 * BENCH_SQL_CAPTURE naming a file): times every statement the process sends to PostgreSQL and
 * writes, each second, per statement text its calls, total and slowest time and the parameters of
 * its slowest call, so the bench can explain the slowest statements the HTTP load ran without
 * running the server's code in its own process.
 */
import fs from 'node:fs';
import pg from 'pg';

export type CapturedStatement = { sql: string; database: string; calls: number; totalMs: number; maxMs: number; params: unknown[] };

const file = process.env.BENCH_SQL_CAPTURE;

if (file) {
  const stats = new Map<string, CapturedStatement>();
  let changed = false;
  type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
  const original = pg.Client.prototype.query as unknown as QueryFn;
  const timed: QueryFn = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') return original.apply(this, args);
    const params = typeof config === 'object' && Array.isArray((config as { values?: unknown }).values) ? (config as { values: unknown[] }).values : Array.isArray(values) ? values : [];
    const database = this.database ?? '';
    const t0 = performance.now();
    const record = () => {
      const ms = performance.now() - t0;
      const key = `${database}\u0000${text}`;
      const s = stats.get(key) ?? { sql: text, database, calls: 0, totalMs: 0, maxMs: 0, params: [] };
      s.calls++;
      s.totalMs += ms;
      if (ms >= s.maxMs) {
        s.maxMs = ms;
        s.params = params;
      }
      stats.set(key, s);
      changed = true;
    };
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const callback = args[cb] as (...r: unknown[]) => unknown;
      args[cb] = function (this: unknown, ...r: unknown[]) {
        record();
        return callback.apply(this, r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(record, () => {});
    return result;
  };
  pg.Client.prototype.query = timed as unknown as typeof pg.Client.prototype.query;
  const dump = () => {
    if (!changed) return;
    changed = false;
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify([...stats.values()]));
    fs.renameSync(tmp, file);
  };
  setInterval(dump, 1000).unref();
  process.once('exit', dump);
}

/** The statements captured so far (empty before the first write). */
export function readCapture(path: string): CapturedStatement[] {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8')) as CapturedStatement[];
  } catch {
    return [];
  }
}

/** What ran between two captures: calls and total time of each statement in `after` beyond `before`. */
export function captureDelta(before: readonly CapturedStatement[], after: readonly CapturedStatement[]): CapturedStatement[] {
  const prior = new Map(before.map((s) => [`${s.database}\u0000${s.sql}`, s]));
  return after
    .map((s) => {
      const p = prior.get(`${s.database}\u0000${s.sql}`);
      return p ? { ...s, calls: s.calls - p.calls, totalMs: s.totalMs - p.totalMs } : s;
    })
    .filter((s) => s.calls > 0);
}
