/** every return of a dossier, with its reason, once per idempotency key. */
import type { EntityManager } from 'typeorm';
import type { ReturnReason } from '../domain/model.ts';

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
