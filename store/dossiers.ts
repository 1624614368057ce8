/**
 * Dossiers: the only code that reads or writes the `dossier` table, apart from its status moves
 * with their audit event (store/audit.ts `transition`).
 *
 * A dossier is read with plain SQL, as typeorm's repository would give it.
 *
 * Why not `findOneBy`: typeorm builds and rewrites its query text on every call, and a dossier is
 * read in every worker step and every task completion (13 times a dossier), and a page of them in every list: typeorm was a tenth of
 * the server's and of the workers' busy time in a whole-dossier profile. The columns come from the
 * entity's own definition, so the two cannot drift apart; pg's type parsers already give what
 * typeorm would (booleans, integers, Dates, parsed jsonb, text arrays).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { DossierStatus } from '../domain/model.ts';
import { changedRows } from './round-trips.ts';
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

/** Links a dossier to its process instance unless it has one; the dossier's status when this call set the link, else null. */
export async function linkInstanceIfUnlinked(m: EntityManager, dossierId: string, processInstanceId: string): Promise<DossierStatus | null> {
  const rows = await changedRows<{ status: DossierStatus }>(m, 'UPDATE dossier SET process_instance_id = $2 WHERE id = $1 AND process_instance_id IS NULL RETURNING status', [
    dossierId,
    processInstanceId,
  ]);
  return rows[0]?.status ?? null;
}

/** Pre-fills the opinion summary (R-11) unless the drafter has written one: it is never overwritten. */
export async function prefillOpinionSummary(m: EntityManager, dossierId: string, summary: readonly { agencyCode: string; position: string; summary: string }[]): Promise<void> {
  await m.query(`UPDATE dossier SET opinion_summary = $2 WHERE id = $1 AND opinion_summary = '[]'::jsonb`, [dossierId, JSON.stringify(summary)]);
}

/** Flags a dossier past its deadline (R-22), once. */
export async function flagOverdue(m: EntityManager, dossierId: string): Promise<void> {
  await m.query('UPDATE dossier SET overdue = true, updated_at = now() WHERE id = $1 AND NOT overdue', [dossierId]);
}

/** How many dossiers are in each status (the `dossiers{status}` gauge). */
export async function dossierCountsByStatus(on: DataSource | EntityManager): Promise<{ status: DossierStatus; n: number }[]> {
  return (await on.query('SELECT status, count(*)::int AS n FROM dossier GROUP BY status')) as { status: DossierStatus; n: number }[];
}

/** Up to 100 dossiers created before `before` and still not started (the engine was away), oldest first. */
export async function draftsNotStarted(on: DataSource | EntityManager, before: Date): Promise<string[]> {
  const rows = (await on.query(`SELECT id FROM dossier WHERE status = 'DRAFT' AND process_instance_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT 100`, [before])) as { id: string }[];
  return rows.map((r) => r.id);
}

/** A dossier as the engine's views join it: its instance and what decides who may see it. */
export type DossierOfInstance = Pick<Dossier, 'id' | 'leadAgencyCode' | 'secrecyLevel' | 'consultedAgencyCodes' | 'appraiserAgencyCode'> & { processInstanceId: string };

/** The dossiers run by these engine instances. */
export async function dossiersOfInstances(on: DataSource | EntityManager, processInstanceIds: readonly string[]): Promise<DossierOfInstance[]> {
  if (processInstanceIds.length === 0) return [];
  const rows = (await on.query(
    `SELECT d.id, d.process_instance_id, d.lead_agency_code, d.secrecy_level, d.consulted_agency_codes, d.appraiser_agency_code
     FROM dossier d WHERE d.process_instance_id = ANY($1)`,
    [processInstanceIds],
  )) as { id: string; process_instance_id: string; lead_agency_code: string; secrecy_level: Dossier['secrecyLevel']; consulted_agency_codes: string[]; appraiser_agency_code: string | null }[];
  return rows.map((r) => ({
    id: r.id,
    processInstanceId: r.process_instance_id,
    leadAgencyCode: r.lead_agency_code,
    secrecyLevel: r.secrecy_level,
    consultedAgencyCodes: r.consulted_agency_codes,
    appraiserAgencyCode: r.appraiser_agency_code,
  }));
}

/** The id of the dossier an engine instance runs, or null. */
export async function dossierIdOfInstance(on: DataSource | EntityManager, processInstanceId: string): Promise<string | null> {
  const rows = (await on.query('SELECT id FROM dossier WHERE process_instance_id = $1', [processInstanceId])) as { id: string }[];
  return rows[0]?.id ?? null;
}
