/**
 * One dossier read with plain SQL, as typeorm's repository would give it.
 *
 * Why not `findOneBy`: typeorm builds and rewrites its query text on every call, and a dossier is
 * read in every worker step and every task completion (13 times a dossier), and a page of them in every list: typeorm was a tenth of
 * the server's and of the workers' busy time in a whole-dossier profile. The columns come from the
 * entity's own definition, so the two cannot drift apart; pg's type parsers already give what
 * typeorm would (booleans, integers, Dates, parsed jsonb, text arrays).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DossierEntity, type Dossier } from './entities/dossier.ts';

const COLUMNS: readonly (readonly [keyof Dossier, string])[] = Object.entries(DossierEntity.options.columns).map(
  ([property, def]) => [property as keyof Dossier, (def as { name?: string }).name ?? property] as const,
);
const SELECT = `SELECT ${COLUMNS.map(([, column]) => `"${column}"`).join(', ')} FROM dossier`;

/** The dossier from a row with the entity's column names. */
export function dossierFromRow(row: Record<string, unknown>): Dossier {
  const d: Record<string, unknown> = {};
  for (const [property, column] of COLUMNS) d[property] = row[column];
  return d as Dossier;
}

/** The dossier, or null; `forUpdate` locks its row until the caller's transaction ends. */
export async function loadDossier(on: DataSource | EntityManager, id: string, opts: { forUpdate?: boolean } = {}): Promise<Dossier | null> {
  const rows = (await on.query(`${SELECT} WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id])) as Record<string, unknown>[];
  return rows[0] ? dossierFromRow(rows[0]) : null;
}

/** The dossiers with these ids that exist, in no particular order (a list page orders them itself). */
export async function loadDossiers(on: DataSource | EntityManager, ids: readonly string[]): Promise<Dossier[]> {
  if (ids.length === 0) return [];
  const rows = (await on.query(`${SELECT} WHERE id = ANY($1::text[])`, [ids])) as Record<string, unknown>[];
  return rows.map(dossierFromRow);
}
