/**
 * Fewer and cheaper round trips to PostgreSQL: every parameterised statement prepared once per
 * connection, and several reads sent together.
 *
 * Why: a round trip (a socket write on each side and a backend woken) costs more CPU than the small
 * indexed reads and writes our requests and workers make, and parsing and planning a statement
 * again each time costs about as much as running it.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

// Hashing every statement's text on each call showed in profiles; the texts are a few hundred, so
// each name is kept.
const statementNames = new Map<string, string>();

/**
 * The name a statement is prepared under: derived from its text, so the same text is parsed once
 * per connection and two texts never share a name. Our texts never embed values (those are
 * parameters), so they are a few hundred at most.
 */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `hst_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    // A text built with a varying number of placeholders must not grow the map without end.
    if (statementNames.size >= 5000) statementNames.clear();
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A pg client that prepares every statement given with parameters (typeorm's queries and ours),
 * by giving it a name; PostgreSQL then keeps its parse tree and, by its own rules (plan_cache_mode
 * auto), its plan. Statements without parameters, a batch among them, go as they came.
 */
export class PreparingClient extends pg.Client {
  // pg's query() has many overloads; this one only rewrites (text, non-empty values[, callback]).
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const named = { name: statementName(config), text: config, values };
      return (callback === undefined ? super.query(named) : super.query(named, callback as () => void)) as never;
    }
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }
}

/**
 * How long an idle pooled connection is kept (pg's default: 10 s): a new backend costs a fork and
 * cold catalog caches, and the statements prepared on a connection go with it.
 */
export const IDLE_CONNECTION_MS = 60_000;

/** A value as an SQL literal, quotes and backslashes escaped. */
export const sqlLiteral = (value: string): string => pg.escapeLiteral(value);

/**
 * Read-only `statements` in one round trip (the simple query protocol, which takes many statements
 * but no parameters: values go in as `sqlLiteral`s). Given a transaction's manager, they run on
 * its connection, inside it; else on a pooled connection, in one implicit transaction (one snapshot).
 */
export async function readBatch(on: DataSource | EntityManager, statements: readonly string[]): Promise<Record<string, unknown>[][]> {
  if (statements.some((s) => s.includes(';'))) throw new Error('readBatch: one statement per entry, without ";"');
  const ds = 'manager' in on ? on : on.connection;
  for (const s of statements) ds.logger.logQuery(s, []);
  const runner = 'manager' in on ? undefined : on.queryRunner;
  // typeorm answers only the last result of a multi-statement query: ask its connection or pool directly.
  const client = runner && !runner.isReleased ? ((await runner.connect()) as pg.PoolClient) : (ds.driver as unknown as { master: pg.Pool }).master;
  const results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
  const list = Array.isArray(results) ? results : [results];
  return list.map((r) => r.rows as Record<string, unknown>[]);
}

/**
 * The rows an `UPDATE … RETURNING` or `DELETE … RETURNING` gave back. typeorm's PostgreSQL driver
 * answers those two with `[rows, rowCount]` (a SELECT or INSERT with the rows alone), so a
 * `rows.length === 0` test on its raw answer is never true: a waiver that lost its race to an
 * opinion went on as if it had won, and an unknown incoming document answered 204.
 */
export async function changedRows<T>(on: DataSource | EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  if (!/^\s*(UPDATE|DELETE)\b[\s\S]*\bRETURNING\b/i.test(sql)) throw new Error('changedRows: an UPDATE or DELETE with RETURNING');
  const [rows] = (await on.query(sql, params)) as [T[], number];
  return rows;
}
