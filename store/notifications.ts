/** Notifications (reminders, overdue notices) to a group, once per idempotency key. */
import type { EntityManager } from 'typeorm';

export async function notify(
  m: EntityManager,
  n: { dossierId: string | null; kind: string; recipientGroup: string; message: string; idempotencyKey: string },
): Promise<boolean> {
  const rows = (await m.query(
    `INSERT INTO notification (dossier_id, kind, recipient_group, message, idempotency_key)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [n.dossierId, n.kind, n.recipientGroup, n.message, n.idempotencyKey],
  )) as unknown[];
  return rows.length > 0;
}
