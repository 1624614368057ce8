/** Writing the append-only audit trail (R-08: every event names the accountable head). */
import type { EntityManager } from 'typeorm';

export type AuditInput = {
  dossierId: string | null;
  action: string;
  actorUserId?: string | null;
  actorRole?: string | null;
  onBehalfOf?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  ruleId?: string | null;
  errorCode?: string | null;
  details?: Record<string, unknown>;
  /** When set, a second write with the same key is a no-op (at-least-once delivery). */
  idempotencyKey?: string | null;
};

/** Appends one event; returns false when an event with the same idempotency key exists. */
export async function recordAudit(m: EntityManager, e: AuditInput): Promise<boolean> {
  // The accountable person read in the same statement: one round trip per event, not two.
  const rows = (await m.query(
    `INSERT INTO audit_event (actor_user_id, actor_role, on_behalf_of, dossier_id, action, from_status, to_status, rule_id, error_code, details, idempotency_key)
     VALUES ($1, $2, COALESCE($3, (SELECT accountable_user_id FROM dossier WHERE id = $4)), $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [
      e.actorUserId ?? null,
      e.actorRole ?? null,
      e.onBehalfOf ?? null,
      e.dossierId,
      e.action,
      e.fromStatus ?? null,
      e.toStatus ?? null,
      e.ruleId ?? null,
      e.errorCode ?? null,
      JSON.stringify(e.details ?? {}),
      e.idempotencyKey ?? null,
    ],
  )) as unknown[];
  return rows.length > 0;
}

/**
 * Moves a dossier to a status and audits the move, once per idempotency key: a redelivered task
 * neither writes a second event nor moves the dossier again.
 */
export async function transition(
  m: EntityManager,
  dossierId: string,
  toStatus: string,
  e: Omit<AuditInput, 'dossierId' | 'toStatus' | 'fromStatus'> & { idempotencyKey: string },
  extra: { overdue?: boolean; closed?: boolean } = {},
): Promise<boolean> {
  const current = (await m.query('SELECT status FROM dossier WHERE id = $1 FOR UPDATE', [dossierId])) as { status: string }[];
  if (current.length === 0) throw new Error(`dossier ${dossierId} not found`);
  const fromStatus = current[0]!.status;
  const fresh = await recordAudit(m, { ...e, dossierId, fromStatus, toStatus });
  if (!fresh) return false;
  await m.query(
    `UPDATE dossier SET status = $2, updated_at = now(),
       overdue = COALESCE($3, overdue),
       closed_at = CASE WHEN $4 THEN now() ELSE closed_at END
     WHERE id = $1`,
    [dossierId, toStatus, extra.overdue ?? null, extra.closed ?? false],
  );
  return true;
}

/**
 * A dossier's instance has started: DRAFT → VALIDATING with STARTED, once per dossier whoever
 * records it (the server that started it, or the instance's first worker step when the server's
 * record was lost), under one idempotency key.
 */
export function recordStarted(
  m: EntityManager,
  dossierId: string,
  processInstanceId: string,
  by: { actorUserId: string | null; actorRole: string; recordedBy?: 'worker' },
): Promise<boolean> {
  return transition(m, dossierId, 'VALIDATING', {
    action: 'STARTED',
    actorUserId: by.actorUserId,
    actorRole: by.actorRole,
    details: by.recordedBy ? { processInstanceId, recordedBy: by.recordedBy } : { processInstanceId },
    idempotencyKey: `started:${dossierId}`,
  });
}
