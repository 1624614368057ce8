/** Opinion requests and opinions: the only code that reads or writes `opinion_request` and `opinion`. */
import type { EntityManager } from 'typeorm';

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

/** Marks each opinion of the round late or not by its request's deadline. */
export async function markLateOpinions(m: EntityManager, dossierId: string, round: number): Promise<void> {
  await m.query(
    `UPDATE opinion SET late = (o.received_at > r.due_at) FROM opinion o JOIN opinion_request r ON r.id = o.request_id
     WHERE opinion.id = o.id AND o.dossier_id = $1 AND o.round = $2`,
    [dossierId, round],
  );
}
