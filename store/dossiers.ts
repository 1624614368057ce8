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
import { changedRows, readBatch, sqlLiteral } from './round-trips.ts';
import { documentsOfDossierSql } from './documents.ts';
import { dossierSignaturesSql, signingsOfDossierSql, type SignatureRow } from './signatures.ts';
import { opinionRequestsOfDossierSql, opinionsOfDossierSql } from './opinions.ts';
import { appraisalsOfDossierSql } from './appraisals.ts';
import { returnsOfDossierSql, submissionsOfDossierSql } from './submissions.ts';
import { auditOfDossierSql, recordAudit } from './audit.ts';
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

/** Writes the opinion summary (R-11) a round's consolidation refreshed (domain/rules refreshOpinionSummary keeps the drafter's still-true lines). */
export async function writeOpinionSummary(m: EntityManager, dossierId: string, summary: readonly { agencyCode: string; position: string; summary: string }[]): Promise<void> {
  await m.query('UPDATE dossier SET opinion_summary = $2, updated_at = now() WHERE id = $1', [dossierId, JSON.stringify(summary)]);
}

/** Keeps the warnings of the latest intake check with the dossier (R-03, R-04), so they are shown. */
export async function recordRuleWarnings(m: EntityManager, dossierId: string, warnings: readonly { rule: string; code: string; message: string }[]): Promise<void> {
  await m.query('UPDATE dossier SET rule_warnings = $2 WHERE id = $1', [dossierId, JSON.stringify(warnings)]);
  await recordVagueProposalFlag(m, dossierId, warnings);
}

/**
 * R-03/R-26: the first time a check finds the dossier's proposal vague (at creation or at an intake
 * check), an audit event the head's figures count. The warning on the dossier is replaced by each
 * check, so a drafter who rewords the proposal afterwards does not take it out of the figures.
 * Rule and code only: no text of the proposal (R-19).
 */
export async function recordVagueProposalFlag(m: EntityManager, dossierId: string, warnings: readonly { rule: string; code: string }[]): Promise<void> {
  const vague = warnings.find((w) => w.code === 'WARN_VAGUE_PROPOSAL');
  if (!vague) return;
  await recordAudit(m, { dossierId, action: 'VAGUE_PROPOSAL_FLAGGED', ruleId: 'R-03', errorCode: vague.code, idempotencyKey: `vague-proposal:${dossierId}` });
}

/** Flags a dossier past its deadline (R-22), once. */
export async function flagOverdue(m: EntityManager, dossierId: string): Promise<void> {
  await m.query('UPDATE dossier SET overdue = true, updated_at = now() WHERE id = $1 AND NOT overdue', [dossierId]);
}

/** A dossier starts a new round (a pass through consultation and submission). */
export async function setRound(m: EntityManager, dossierId: string, round: number): Promise<void> {
  await m.query('UPDATE dossier SET round = $2 WHERE id = $1', [dossierId, round]);
}

/** The lead agency's choice among the options, with why (R-12). */
export async function recordChosenOption(m: EntityManager, dossierId: string, chosenOptionId: string, rationale: string): Promise<void> {
  await m.query('UPDATE dossier SET chosen_option_id = $2, choice_rationale = $3, updated_at = now() WHERE id = $1', [dossierId, chosenOptionId, rationale]);
}

/** Why the dossier is urgent, as a deputy signing it states (R-06). */
export async function setUrgentReason(m: EntityManager, dossierId: string, urgentReason: string): Promise<void> {
  await m.query('UPDATE dossier SET urgent_reason = $2 WHERE id = $1', [dossierId, urgentReason]);
}

/** The open dossiers a lead agency runs on the engine: the business keys of their instances. */
export async function openDossierIdsLedBy(on: DataSource | EntityManager, agencyCode: string): Promise<string[]> {
  const rows = (await on.query(
    `SELECT id FROM dossier WHERE lead_agency_code = $1 AND process_instance_id IS NOT NULL AND status NOT IN ('DECIDED_APPROVED', 'DECIDED_NOT_APPROVED', 'WITHDRAWN')`,
    [agencyCode],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Lead agency and secrecy of these dossiers (what decides who may read their texts), by id. */
export async function dossierSecrecy(on: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, Pick<Dossier, 'leadAgencyCode' | 'secrecyLevel'>>> {
  if (ids.length === 0) return new Map();
  const rows = (await on.query('SELECT id, lead_agency_code, secrecy_level FROM dossier WHERE id = ANY($1::text[])', [ids])) as {
    id: string;
    lead_agency_code: string;
    secrecy_level: Dossier['secrecyLevel'];
  }[];
  return new Map(rows.map((r) => [r.id, { leadAgencyCode: r.lead_agency_code, secrecyLevel: r.secrecy_level }]));
}

/** Whether UBND assigned the dossier's matter to its lead head as a UBND member (R-07), or null for no such dossier. */
export async function assignedToUbndMember(on: DataSource | EntityManager, id: string): Promise<boolean | null> {
  const rows = (await on.query('SELECT assigned_to_ubnd_member FROM dossier WHERE id = $1', [id])) as { assigned_to_ubnd_member: boolean }[];
  return rows[0] ? rows[0].assigned_to_ubnd_member : null;
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

/** The dossier's status, its row locked until the caller's transaction ends; null for no such dossier. */
export async function lockDossierStatus(m: EntityManager, id: string): Promise<DossierStatus | null> {
  const rows = (await m.query('SELECT status FROM dossier WHERE id = $1 FOR UPDATE', [id])) as { status: DossierStatus }[];
  return rows[0]?.status ?? null;
}

/** The dossier's status, or null for no such dossier. */
export async function dossierStatus(m: EntityManager, id: string): Promise<DossierStatus | null> {
  const rows = (await m.query('SELECT status FROM dossier WHERE id = $1', [id])) as { status: DossierStatus }[];
  return rows[0]?.status ?? null;
}

/** The next dossier number of the year: `HS-<year>-<6 digits>`. */
export async function nextDossierId(m: EntityManager, year: number): Promise<string> {
  const seq = (await m.query(`SELECT nextval('dossier_number_seq') AS n`)) as { n: string }[];
  return `HS-${year}-${String(seq[0]!.n).padStart(6, '0')}`;
}

/** Stores a new dossier. */
export async function insertDossier(m: EntityManager, d: Omit<Dossier, 'createdAt' | 'updatedAt'>): Promise<void> {
  await m.getRepository(DossierEntity).insert(d);
}

/** Links a dossier to its started process instance. */
export async function setProcessInstance(m: EntityManager, dossierId: string, processInstanceId: string): Promise<void> {
  await m.query('UPDATE dossier SET process_instance_id = $2 WHERE id = $1', [dossierId, processInstanceId]);
}

/** Changes a dossier's content fields. */
export async function updateDossierFields(m: EntityManager, dossierId: string, patch: Partial<Dossier>): Promise<void> {
  if (Object.keys(patch).length > 0) await m.getRepository(DossierEntity).update({ id: dossierId }, patch);
}

/** Which dossiers a list shows: who may see them (the SQL twin of domain/access.ts canSeeDossier) and the list's filters. */
export type DossierListFilter = {
  /** None (system roles), all (the Office's staff, UBND), or those an agency takes part in (dossier_party, kept by a trigger). */
  visible: 'none' | 'all' | { partyOf: string };
  /** The beginning of a dossier number (`HS-2024-00012`, `HS-2024-`). */
  numberPrefix?: string;
  /** Text searched in the number and in subjects that are not secret. */
  text?: string;
  leadAgencyCode?: string;
  status?: string;
  overdue?: boolean;
  /** Only the dossiers whose instance is one of these (those waiting at a step, as the engine says). */
  processInstanceIds?: readonly string[];
  offset: number;
  limit: number;
  /** The count stops here ("more than"). */
  countCap: number;
};

/** One page of the dossiers a list shows, newest first, and how many there are up to the cap plus one. */
export async function listDossierIds(on: DataSource | EntityManager, f: DossierListFilter): Promise<{ ids: string[]; count: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const numberSearch = f.numberPrefix !== undefined;
  const partyOf = typeof f.visible === 'object' ? f.visible.partyOf : null;
  // A dossier number selects a handful of rows: found first through its prefix index, then filtered and
  // sorted (fenced, else the planner walks the date index past every other dossier hoping for matches).
  const numberCte = numberSearch ? `WITH d AS MATERIALIZED (SELECT * FROM dossier WHERE id LIKE ${p(`${f.numberPrefix!.toUpperCase()}%`)}) ` : '';
  const byParty = partyOf !== null && !numberSearch;
  if (f.visible === 'none') where.push('false');
  else if (byParty) where.push(`pa.agency_code = ${p(partyOf)}`);
  else if (partyOf !== null) {
    const me = p(partyOf);
    where.push(`(d.lead_agency_code = ${me} OR ${me} = ANY(d.consulted_agency_codes) OR d.appraiser_agency_code = ${me})`);
  }
  // Lead, status and overdue from the party rows when listing by party: their indexes then give the order too.
  const row = byParty ? 'pa' : 'd';
  if (f.leadAgencyCode) where.push(`${row}.lead_agency_code = ${p(f.leadAgencyCode)}`);
  if (f.status) where.push(`${row}.status = ${p(f.status)}`);
  if (f.overdue !== undefined) where.push(`${row}.overdue = ${p(f.overdue)}`);
  if (f.processInstanceIds) where.push(`d.process_instance_id = ANY(${p(f.processInstanceIds)})`);
  if (f.text) {
    // Secret subjects are never searchable.
    where.push(`(d.id ILIKE ${p(`%${f.text}%`)} OR (d.secrecy_level = 'NONE' AND d.subject ILIKE ${p(`%${f.text}%`)}))`);
  }
  // The dossier row itself only when a condition needs it (the party rows alone answer the rest).
  const needsDossier = !!f.processInstanceIds || !!f.text;
  const from = byParty ? `dossier_party pa${needsDossier ? ' JOIN dossier d ON d.id = pa.dossier_id' : ''}` : numberSearch ? 'd' : 'dossier d';
  const order = byParty ? 'pa.created_at DESC, pa.dossier_id DESC' : 'd.created_at DESC, d.id DESC';
  const id = byParty ? 'pa.dossier_id' : 'd.id';
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [rows, count] = await Promise.all([
    on.query(`${numberCte}SELECT ${id} AS id FROM ${from} ${sqlWhere} ORDER BY ${order} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`, params) as Promise<{ id: string }[]>,
    // Counted up to a cap: an exact count of tens of thousands of visible rows cost more than the page.
    on.query(`${numberCte}SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} ${sqlWhere} LIMIT ${f.countCap + 1}) c`, params.slice(0, params.length - 2)) as Promise<{ n: number }[]>,
  ]);
  return { ids: rows.map((r) => r.id), count: count[0]?.n ?? 0 };
}

/** Everything recorded about one dossier, as the detail presents it: each owner's statement, in one round trip. */
export async function dossierRecord(on: DataSource | EntityManager, id: string) {
  const lit = sqlLiteral(id);
  const [documents = [], opinionRequests = [], opinions = [], appraisals = [], signatures = [], submissions = [], returns = [], audit = [], signatureRows = []] = await readBatch(on, [
    documentsOfDossierSql(lit),
    opinionRequestsOfDossierSql(lit),
    opinionsOfDossierSql(lit),
    appraisalsOfDossierSql(lit),
    signingsOfDossierSql(lit),
    submissionsOfDossierSql(lit),
    returnsOfDossierSql(lit),
    auditOfDossierSql(lit),
    dossierSignaturesSql(lit),
  ]);
  return { documents, opinionRequests, opinions, appraisals, signatures, submissions, returns, audit, signatureRows: signatureRows as SignatureRow[] };
}
