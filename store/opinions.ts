/**
 * Opinion requests and opinions: the only code that reads or writes
 * `opinion_request` and `opinion`. An opinion answers its request, and counts anywhere (consolidation,
 * gates, summary, reports), only once its agency's head or an authorised deputy signed it off.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { OpinionPosition, OpinionRequestStatus, OpinionSignOffCapacity } from '../domain/model.ts';
import type { OpinionFacts, OpinionRequestFacts } from '../domain/facts.ts';
import { changedRows } from './round-trips.ts';

/** Asks an agency for its opinion in a round, once: true when this call created the request. */
export async function requestOpinion(m: EntityManager, r: { dossierId: string; agencyCode: string; round: number; dueAt: Date }): Promise<boolean> {
  const inserted = (await m.query(
    `INSERT INTO opinion_request (dossier_id, agency_code, round, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dossier_id, agency_code, round) DO NOTHING RETURNING id`,
    [r.dossierId, r.agencyCode, r.round, r.dueAt],
  )) as unknown[];
  return inserted.length > 0;
}

/** The earliest deadline of a round's requests, or null when the round asked nobody. */
export async function earliestOpinionDue(m: EntityManager, dossierId: string, round: number): Promise<Date | null> {
  const rows = (await m.query('SELECT min(due_at) AS due FROM opinion_request WHERE dossier_id = $1 AND round = $2', [dossierId, round])) as { due: Date | null }[];
  return rows[0]?.due ?? null;
}

/** An agency missed its deadline: its still-pending request of the round becomes OVERDUE. */
export async function markOpinionRequestOverdue(m: EntityManager, dossierId: string, agencyCode: string, round: number): Promise<void> {
  await m.query(`UPDATE opinion_request SET status = 'OVERDUE' WHERE dossier_id = $1 AND agency_code = $2 AND round = $3 AND status = 'PENDING'`, [
    dossierId,
    agencyCode,
    round,
  ]);
}

/** Notes that an agency was reminded of its request of the round. */
export async function recordOpinionReminder(m: EntityManager, dossierId: string, agencyCode: string, round: number, at: Date): Promise<void> {
  await m.query(`UPDATE opinion_request SET reminded_at = array_append(reminded_at, $4) WHERE dossier_id = $1 AND agency_code = $2 AND round = $3`, [
    dossierId,
    agencyCode,
    round,
    at,
  ]);
}

/** Marks each signed-off opinion of the round late or not by its request's deadline, which covers the sign-off too. */
export async function markLateOpinions(m: EntityManager, dossierId: string, round: number): Promise<void> {
  await m.query(
    `UPDATE opinion SET late = (o.signed_off_at > r.due_at) FROM opinion o JOIN opinion_request r ON r.id = o.request_id
     WHERE opinion.id = o.id AND o.dossier_id = $1 AND o.round = $2 AND o.status = 'SIGNED_OFF'`,
    [dossierId, round],
  );
}

/** Whether the round asked any agency for its opinion. */
export async function roundHasOpinionRequests(m: EntityManager, dossierId: string, round: number): Promise<boolean> {
  const rows = (await m.query('SELECT 1 FROM opinion_request WHERE dossier_id = $1 AND round = $2 LIMIT 1', [dossierId, round])) as unknown[];
  return rows.length > 0;
}

/** An agency's request of a round, as the opinion form needs it, or null. */
export async function opinionRequestOf(m: EntityManager, dossierId: string, agencyCode: string, round: number): Promise<{ id: string; dueAt: Date } | null> {
  const rows = (await m.query('SELECT id, due_at AS "dueAt" FROM opinion_request WHERE dossier_id = $1 AND agency_code = $2 AND round = $3', [
    dossierId,
    agencyCode,
    round,
  ])) as { id: string; dueAt: Date }[];
  return rows[0] ?? null;
}

/** The positions an agency took (signed off) on a dossier before, oldest first, except the one of this task. */
export async function earlierOpinionsOf(
  m: EntityManager,
  dossierId: string,
  agencyCode: string,
  exceptTaskId: string,
): Promise<{ position: OpinionPosition; preferredOptionId: string | null }[]> {
  return (await m.query(
    'SELECT position, preferred_option_id AS "preferredOptionId" FROM opinion WHERE dossier_id = $1 AND agency_code = $2 AND task_id <> $3 AND status = \'SIGNED_OFF\' ORDER BY received_at',
    [dossierId, agencyCode, exceptTaskId],
  )) as { position: OpinionPosition; preferredOptionId: string | null }[];
}

export type OpinionInput = {
  requestId: string;
  dossierId: string;
  agencyCode: string;
  round: number;
  position: OpinionPosition;
  preferredOptionId: string | null;
  content: string;
  docId: string | null;
  signedByUserId: string;
  signerRole: string;
  receivedAt: Date;
  late: boolean;
  changeReason: string | null;
  /** R-14 warnings kept with the opinion (a changed position without its reason). */
  warnings: readonly { rule: string; code: string; message: string }[];
  /** One opinion per task: a second completion of the same task corrects it. */
  taskId: string;
};

/** Records an agency's opinion as its specialist drafted it, awaiting the head's sign-off: its request is not answered yet. */
export async function recordOpinion(m: EntityManager, o: OpinionInput): Promise<void> {
  await m.query(
    `INSERT INTO opinion (request_id, dossier_id, agency_code, round, position, preferred_option_id, content, doc_id, signed_by_user_id, signer_role, received_at, late, change_reason, task_id, warnings)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
     ON CONFLICT (task_id) DO UPDATE SET position = EXCLUDED.position, preferred_option_id = EXCLUDED.preferred_option_id, content = EXCLUDED.content,
       doc_id = COALESCE(EXCLUDED.doc_id, opinion.doc_id), change_reason = EXCLUDED.change_reason, warnings = EXCLUDED.warnings`,
    [o.requestId, o.dossierId, o.agencyCode, o.round, o.position, o.preferredOptionId, o.content, o.docId, o.signedByUserId, o.signerRole, o.receivedAt, o.late, o.changeReason, o.taskId, JSON.stringify(o.warnings)],
  );
}

/** An agency's opinion of a round waiting for its head's sign-off, the latest, with its request's deadline; or null. */
export async function opinionAwaitingSignOff(
  m: EntityManager,
  dossierId: string,
  agencyCode: string,
  round: number,
): Promise<{ id: string; requestId: string; draftedByUserId: string | null; dueAt: Date } | null> {
  const rows = (await m.query(
    `SELECT o.id, o.request_id AS "requestId", o.signed_by_user_id AS "draftedByUserId", r.due_at AS "dueAt"
     FROM opinion o JOIN opinion_request r ON r.id = o.request_id
     WHERE o.dossier_id = $1 AND o.agency_code = $2 AND o.round = $3 AND o.status = 'AWAITING_SIGN_OFF' ORDER BY o.received_at DESC LIMIT 1`,
    [dossierId, agencyCode, round],
  )) as { id: string; requestId: string; draftedByUserId: string | null; dueAt: Date }[];
  return rows[0] ?? null;
}

/**
 * The head (or a deputy, KT.) signs the opinion off: it now counts and answers its request,
 * RECEIVED or RECEIVED_LATE by the time of the sign-off. A request waived meanwhile stays waived.
 */
export async function signOffOpinion(
  m: EntityManager,
  o: { id: string; requestId: string; byUserId: string; at: Date; capacity: OpinionSignOffCapacity; delegationId: string | null; late: boolean },
): Promise<void> {
  await m.query(
    `UPDATE opinion SET status = 'SIGNED_OFF', signed_off_by_user_id = $2, signed_off_at = $3, sign_off_capacity = $4, sign_off_delegation_id = $5, late = $6
     WHERE id = $1 AND status = 'AWAITING_SIGN_OFF'`,
    [o.id, o.byUserId, o.at, o.capacity, o.delegationId, o.late],
  );
  await m.query(`UPDATE opinion_request SET status = $2 WHERE id = $1 AND status IN ('PENDING', 'OVERDUE')`, [o.requestId, o.late ? 'RECEIVED_LATE' : 'RECEIVED']);
}

/** The head sends the opinion back to the specialist with a reason: it never counts; the specialist drafts a new one. */
export async function sendBackOpinion(m: EntityManager, o: { id: string; byUserId: string; at: Date; reason: string }): Promise<void> {
  await m.query(
    `UPDATE opinion SET status = 'SENT_BACK', signed_off_by_user_id = $2, signed_off_at = $3, sent_back_reason = $4 WHERE id = $1 AND status = 'AWAITING_SIGN_OFF'`,
    [o.id, o.byUserId, o.at, o.reason],
  );
}

/** An agency's request of a round as a waiver weighs it, or null. */
export async function opinionRequestForWaiver(
  on: DataSource | EntityManager,
  dossierId: string,
  agencyCode: string,
  round: number,
): Promise<{ id: string; status: OpinionRequestStatus; dueAt: Date } | null> {
  const rows = (await on.query('SELECT id, status, due_at AS "dueAt" FROM opinion_request WHERE dossier_id = $1 AND agency_code = $2 AND round = $3', [
    dossierId,
    agencyCode,
    round,
  ])) as { id: string; status: OpinionRequestStatus; dueAt: Date }[];
  return rows[0] ?? null;
}

/**
 * The lead head goes on without an agency's opinion: true when this call waived the
 * request, false when it was no longer waiting (an opinion that arrived meanwhile wins).
 */
export async function waiveOpinionRequest(m: EntityManager, requestId: string, w: { byUserId: string; at: Date; reason: string }): Promise<boolean> {
  const updated = await changedRows(
    m,
    `UPDATE opinion_request SET status = 'WAIVED', waived_by = $2, waived_at = $3, waiver_reason = $4
     WHERE id = $1 AND status IN ('PENDING', 'OVERDUE') RETURNING id`,
    [requestId, w.byUserId, w.at, w.reason],
  );
  return updated.length > 0;
}

/** The statement reading a dossier's opinion requests as its detail shows them (for a read batch: the id as a literal). */
export function opinionRequestsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT agency_code, round, sent_at, due_at, status, reminded_at, waived_by, waived_at, waiver_reason FROM opinion_request WHERE dossier_id = ${dossierIdLiteral} ORDER BY round, agency_code`;
}

/** The statement reading a dossier's opinions as its detail shows them (for a read batch: the id as a literal). */
export function opinionsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT id, agency_code, round, position, preferred_option_id, content, received_at, late, change_reason, signed_by_user_id, warnings, status, signed_off_by_user_id, signed_off_at, sign_off_capacity, sent_back_reason FROM opinion WHERE dossier_id = ${dossierIdLiteral} ORDER BY received_at`;
}

/**
 * The statement reading, for each agency, its latest opinion request up to the round, as the rules
 * see them (for a read batch): a round that re-consulted only some agencies (R-30, after an Office
 * content return) or none (after a format return) leaves the others' last requests standing.
 */
export function opinionRequestFactsSql(dossierIdLiteral: string, round: number): string {
  return `SELECT DISTINCT ON (agency_code) agency_code, round, status, due_at FROM opinion_request
    WHERE dossier_id = ${dossierIdLiteral} AND round <= ${Number(round)} ORDER BY agency_code, round DESC`;
}

/** The statement reading every signed-off opinion of a dossier as the rules see them (for a read batch): a draft does not count. */
export function opinionFactsSql(dossierIdLiteral: string): string {
  return `SELECT agency_code, position, preferred_option_id, received_at, round, change_reason, content FROM opinion WHERE dossier_id = ${dossierIdLiteral} AND status = 'SIGNED_OFF' ORDER BY received_at`;
}

export const opinionRequestFactsFromRow = (r: Record<string, unknown>): OpinionRequestFacts => ({
  agencyCode: r.agency_code as string,
  round: r.round as number,
  status: r.status as OpinionRequestStatus,
  dueAt: r.due_at as Date,
});

export const opinionFactsFromRow = (r: Record<string, unknown>): OpinionFacts => ({
  agencyCode: r.agency_code as string,
  position: r.position as OpinionPosition,
  preferredOptionId: (r.preferred_option_id as string | null) ?? undefined,
  receivedAt: r.received_at as Date,
  round: r.round as number,
  changeReason: (r.change_reason as string | null) ?? undefined,
  content: r.content as string,
});
