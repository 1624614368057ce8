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
