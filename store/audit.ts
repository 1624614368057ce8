/** Writing the append-only audit trail (R-08: every event names the accountable head). */
import type { EntityManager } from 'typeorm';
import { TERMINAL_DOSSIER_STATUSES, type DossierStatus } from '../domain/model.ts';

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

/** A move asked of a dossier that is already closed (decided or withdrawn): nothing moves it again. */
export class DossierClosedError extends Error {
  constructor(
    readonly dossierId: string,
    readonly status: string,
    readonly action: string,
  ) {
    super(`dossier ${dossierId} is closed (${status}): ${action} not recorded`);
    this.name = 'DossierClosedError';
  }
}

/**
 * Moves a dossier to a status and audits the move, once per idempotency key: a redelivered task
 * neither writes a second event nor moves the dossier again. A closed dossier (decided or
 * withdrawn) is never moved: a late step of its instance fails instead of reopening it.
 *
 * One statement: the row lock, the event (with the accountable head) and the move were three round
 * trips, eight times a dossier.
 */
export async function transition(
  m: EntityManager,
  dossierId: string,
  toStatus: DossierStatus,
  e: Omit<AuditInput, 'dossierId' | 'toStatus' | 'fromStatus'> & { idempotencyKey: string },
  extra: { overdue?: boolean; closed?: boolean } = {},
): Promise<boolean> {
  const rows = (await m.query(
    `WITH current AS (SELECT id, status, accountable_user_id FROM dossier WHERE id = $1 FOR UPDATE),
     event AS (
       INSERT INTO audit_event (actor_user_id, actor_role, on_behalf_of, dossier_id, action, from_status, to_status, rule_id, error_code, details, idempotency_key)
       SELECT $5, $6, COALESCE($7, c.accountable_user_id), c.id, $8, c.status, $2, $9, $10, $11, $12 FROM current c WHERE c.status <> ALL ($13::text[])
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
     ),
     moved AS (
       UPDATE dossier d SET status = $2, updated_at = now(), overdue = COALESCE($3, d.overdue), closed_at = CASE WHEN $4 THEN now() ELSE d.closed_at END
       FROM event WHERE d.id = $1 RETURNING d.id
     )
     SELECT c.status, EXISTS (SELECT 1 FROM moved) AS moved FROM current c`,
    [
      dossierId,
      toStatus,
      extra.overdue ?? null,
      extra.closed ?? false,
      e.actorUserId ?? null,
      e.actorRole ?? null,
      e.onBehalfOf ?? null,
      e.action,
      e.ruleId ?? null,
      e.errorCode ?? null,
      JSON.stringify(e.details ?? {}),
      e.idempotencyKey,
      TERMINAL_DOSSIER_STATUSES,
    ],
  )) as { status: string; moved: boolean }[];
  const row = rows[0];
  if (!row) throw new Error(`dossier ${dossierId} not found`);
  if (row.moved) return true;
  if (!(TERMINAL_DOSSIER_STATUSES as readonly string[]).includes(row.status)) return false;
  // Closed: a redelivery of the step that closed it (its event is there) is a no-op; anything else
  // is refused. A statement of its own, so it sees an event committed while this one waited.
  const seen = (await m.query('SELECT 1 FROM audit_event WHERE idempotency_key = $1', [e.idempotencyKey])) as unknown[];
  if (seen.length > 0) return false;
  throw new DossierClosedError(dossierId, row.status, e.action);
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

/** The statement reading a dossier's audit trail in order (for a read batch: the id as a literal). */
export function auditOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT id, at, actor_user_id, actor_role, on_behalf_of, action, from_status, to_status, rule_id, error_code, details FROM audit_event WHERE dossier_id = ${dossierIdLiteral} ORDER BY id`;
}
