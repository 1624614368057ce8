/** Submissions to UBND tỉnh and their returns: the only code that reads or writes `submission` and `dossier_return`. */
import type { EntityManager } from 'typeorm';
import type { Channel, ReturnReason } from '../domain/model.ts';

/** The one submission of a dossier's round, electronic or on paper; a second call for the same round writes nothing. */
export async function recordSubmission(m: EntityManager, s: { dossierId: string; round: number; channel: Channel }): Promise<void> {
  await m.query(
    `INSERT INTO submission (dossier_id, round, idempotency_key, channel) VALUES ($1, $2, $3, $4)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [s.dossierId, s.round, `${s.dossierId}:${s.round}`, s.channel],
  );
}

/** every return of a dossier, with its reason, once per idempotency key. */
export async function recordReturn(
  m: EntityManager,
  r: { dossierId: string; round: number; source: 'OFFICE' | 'GATE' | 'APPRAISAL'; reason: ReturnReason; note?: string | null; byUserId?: string | null; idempotencyKey: string },
): Promise<void> {
  await m.query(
    `INSERT INTO dossier_return (dossier_id, round, source, reason, note, by_user_id, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
    [r.dossierId, r.round, r.source, r.reason, r.note ?? null, r.byUserId ?? null, r.idempotencyKey],
  );
}

/** Whether the dossier was already submitted in this round. */
export async function roundHasSubmission(m: EntityManager, dossierId: string, round: number): Promise<boolean> {
  const rows = (await m.query('SELECT 1 FROM submission WHERE dossier_id = $1 AND round = $2 LIMIT 1', [dossierId, round])) as unknown[];
  return rows.length > 0;
}

/** The paper original reached the Office under its registration number. */
export async function recordPaperDelivery(
  m: EntityManager,
  dossierId: string,
  round: number,
  d: { officeRegistrationNo: string; note: string | null; paperReference: string; clerkUserId: string; at: Date },
): Promise<void> {
  await m.query(
    `UPDATE submission SET office_registration_no = $3, note = COALESCE($4, note), paper_reference = $5, paper_received_by = $6, paper_received_at = $7, paper_stamped_by = $6
     WHERE dossier_id = $1 AND round = $2`,
    [dossierId, round, d.officeRegistrationNo, d.note, d.paperReference, d.clerkUserId, d.at],
  );
}

/** The Office's intake of a round's submission: accepted, or returned with its reason. */
export async function recordOfficeIntake(
  m: EntityManager,
  dossierId: string,
  round: number,
  intake: { outcome: 'ACCEPTED'; note: string | null } | { outcome: 'RETURNED'; reason: ReturnReason; note: string | null },
): Promise<void> {
  if (intake.outcome === 'RETURNED') {
    await m.query(`UPDATE submission SET intake_status = 'RETURNED', return_reason = $3, note = $4 WHERE dossier_id = $1 AND round = $2`, [
      dossierId,
      round,
      intake.reason,
      intake.note,
    ]);
    return;
  }
  await m.query(`UPDATE submission SET intake_status = 'ACCEPTED', note = $3 WHERE dossier_id = $1 AND round = $2`, [dossierId, round, intake.note]);
}

/** UBND's leader decided on the round's submission. */
export async function recordLeaderDecision(m: EntityManager, dossierId: string, round: number, decision: 'APPROVED' | 'NOT_APPROVED'): Promise<void> {
  await m.query('UPDATE submission SET leader_decision = $3 WHERE dossier_id = $1 AND round = $2', [dossierId, round, decision]);
}

/** The statement reading a dossier's submissions as its detail shows them (for a read batch: the id as a literal). */
export function submissionsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT round, submitted_at, channel, office_registration_no, paper_reference, paper_received_by, paper_received_at, paper_stamped_by, intake_status, return_reason, note, leader_decision FROM submission WHERE dossier_id = ${dossierIdLiteral} ORDER BY round`;
}

/** The statement reading a dossier's returns as its detail shows them (for a read batch: the id as a literal). */
export function returnsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT round, source, reason, note, by_user_id, at FROM dossier_return WHERE dossier_id = ${dossierIdLiteral} ORDER BY at`;
}
