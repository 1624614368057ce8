/**
 * Incoming co-addressed documents and each agency's proactive handling of them: the one
 * owner of `incoming_document` and `proactive_handling`.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from './audit.ts';
import { changedRows } from './round-trips.ts';

export type IncomingRegistration = {
  issuer: string;
  numberSymbol: string;
  subject: string;
  receivedAt: Date;
  kinhGui: string[];
  noiNhan: string[];
  requestsAction: boolean;
  /** The agencies that should start handling it, before those already handling it are taken out. */
  agencies: string[];
  /** A clerk's registration is their agency's own record; null for the Office's. */
  registeredFor: string | null;
  startedAt: Date;
  dueAt: Date;
  actor: { userId: string; role: string };
  /** A clerk's: refused when every agency asked for already handles it through another registration. */
  refuseWhenAllHandled: boolean;
};

export type IncomingRegistered =
  /** Stored now (fresh) or stored before but its handling never started (to start now). */
  | { kind: 'registered'; id: string; fresh: boolean; agencies: string[] }
  /** Every agency asked for already handles it through another registration. */
  | { kind: 'handled-elsewhere' }
  /** The same registration exists and its handling started. */
  | { kind: 'duplicate' };

/**
 * Registers a document with a handling row per agency and its audit event, in one transaction
 * serialised per issuer and number, so two registrations never both give an agency the same work.
 */
export function registerIncoming(ds: DataSource, input: IncomingRegistration): Promise<IncomingRegistered> {
  return ds.transaction(async (m): Promise<IncomingRegistered> => {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`incoming:${input.issuer}\n${input.numberSymbol}`]);
    // Who already handles this document through another registration (the Office's or a clerk's own).
    const handled = (
      (await m.query(
        `SELECT h.agency_code FROM incoming_document i JOIN proactive_handling h ON h.incoming_document_id = i.id
         WHERE i.issuer = $1 AND i.number_symbol = $2 AND i.registered_for_agency IS DISTINCT FROM $3`,
        [input.issuer, input.numberSymbol, input.registeredFor],
      )) as { agency_code: string }[]
    ).map((h) => h.agency_code);
    const agencies = input.agencies.filter((a) => !handled.includes(a));
    if (input.refuseWhenAllHandled && input.agencies.length > 0 && agencies.length === 0) return { kind: 'handled-elsewhere' };
    const rows = (await m.query(
      `INSERT INTO incoming_document (issuer, number_symbol, subject, received_at, kinh_gui, noi_nhan, requests_action, co_addressed_agency_codes, registered_by, registered_for_agency)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`,
      [input.issuer, input.numberSymbol, input.subject, input.receivedAt, input.kinhGui, input.noiNhan, input.requestsAction, agencies, input.actor.userId, input.registeredFor],
    )) as { id: string }[];
    if (!rows[0]) {
      const existing = (await m.query(
        'SELECT id, process_instance_id, co_addressed_agency_codes FROM incoming_document WHERE issuer = $1 AND number_symbol = $2 AND registered_for_agency IS NOT DISTINCT FROM $3',
        [input.issuer, input.numberSymbol, input.registeredFor],
      )) as { id: string; process_instance_id: string | null; co_addressed_agency_codes: string[] }[];
      const e = existing[0];
      // Registered before, but its handling never started (the engine was away): start it now.
      if (e && !e.process_instance_id && e.co_addressed_agency_codes.length > 0) return { kind: 'registered', id: e.id, fresh: false, agencies: e.co_addressed_agency_codes };
      return { kind: 'duplicate' };
    }
    for (const agency of agencies) {
      await m.query('INSERT INTO proactive_handling (incoming_document_id, agency_code, started_at, due_at) VALUES ($1, $2, $3, $4)', [rows[0].id, agency, input.startedAt, input.dueAt]);
    }
    await recordAudit(m, { dossierId: null, action: 'INCOMING_REGISTERED', actorUserId: input.actor.userId, actorRole: input.actor.role, ruleId: 'R-23', details: { id: rows[0].id, agencies } });
    return { kind: 'registered', id: rows[0].id, fresh: true, agencies };
  });
}

/** What starting a document's handling process needs. */
export type IncomingToStart = { id: string; agencyCodes: string[]; proactiveDueAt: Date };

/**
 * Starts a document's handling once: under its row lock, `start` (which starts or finds the
 * engine's instance) runs only when none is recorded, and the instance it answers is recorded.
 */
export async function startIncomingHandling(ds: DataSource, id: string, start: (doc: IncomingToStart) => Promise<string>): Promise<void> {
  await ds.transaction(async (m) => {
    const rows = (await m.query('SELECT co_addressed_agency_codes, process_instance_id FROM incoming_document WHERE id = $1 FOR UPDATE', [id])) as {
      co_addressed_agency_codes: string[];
      process_instance_id: string | null;
    }[];
    const doc = rows[0];
    if (!doc || doc.process_instance_id || doc.co_addressed_agency_codes.length === 0) return;
    const due = (await m.query('SELECT min(due_at) AS due FROM proactive_handling WHERE incoming_document_id = $1', [id])) as { due: Date }[];
    const instanceId = await start({ id, agencyCodes: doc.co_addressed_agency_codes, proactiveDueAt: due[0]!.due });
    await m.query('UPDATE incoming_document SET process_instance_id = $2 WHERE id = $1', [id, instanceId]);
  });
}

/** Up to 100 documents registered before `before` whose handling never started (the engine was away). */
export async function incomingNotStarted(ds: DataSource, before: Date): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT id FROM incoming_document WHERE process_instance_id IS NULL AND cardinality(co_addressed_agency_codes) > 0 AND received_at < $1 LIMIT 100`,
    [before],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Records when UBND's own instruction came (the first time only); false for an unknown document. */
export async function recordUbndInstruction(on: DataSource | EntityManager, id: string, at: Date): Promise<boolean> {
  const rows = await changedRows(on, 'UPDATE incoming_document SET ubnd_instruction_at = COALESCE(ubnd_instruction_at, $2) WHERE id = $1 RETURNING id', [id, at]);
  return rows.length > 0;
}

/** A document as a list shows it, once per handling agency (a document without handling: once, agency null). */
export type IncomingListRow = {
  id: string;
  issuer: string;
  number_symbol: string;
  subject: string;
  received_at: Date;
  ubnd_instruction_at: Date | null;
  agency_code: string | null;
  due_at: Date | null;
  first_action_at: Date | null;
  status: string | null;
};

/** The newest 500 documents: all of them, or those one agency handles. */
export async function listIncoming(ds: DataSource, scope: { all: boolean; agencyCode: string }): Promise<IncomingListRow[]> {
  return (await ds.query(
    `SELECT i.id, i.issuer, i.number_symbol, i.subject, i.received_at, i.ubnd_instruction_at, h.agency_code, h.due_at, h.first_action_at, h.status
     FROM incoming_document i LEFT JOIN proactive_handling h ON h.incoming_document_id = i.id
     WHERE $1 OR h.agency_code = $2 ORDER BY i.received_at DESC LIMIT 500`,
    [scope.all, scope.agencyCode],
  )) as IncomingListRow[];
}

/** A co-addressed agency missed its deadline on an incoming document: its open handling becomes OVERDUE. */
export async function markProactiveOverdue(m: EntityManager, incomingDocumentId: string, agencyCode: string): Promise<void> {
  await m.query(`UPDATE proactive_handling SET status = 'OVERDUE' WHERE incoming_document_id = $1 AND agency_code = $2 AND status = 'OPEN'`, [
    incomingDocumentId,
    agencyCode,
  ]);
}

/** The incoming document an instance of its handling process is about, or null. */
export async function incomingDocumentOfInstance(m: EntityManager, processInstanceId: string): Promise<{ id: string } | null> {
  const rows = (await m.query('SELECT id FROM incoming_document WHERE process_instance_id = $1', [processInstanceId])) as { id: string }[];
  return rows[0] ?? null;
}

/** A co-addressed agency acted on an incoming document: its handling is done, first acted on now unless before. */
export async function recordProactiveHandled(m: EntityManager, incomingDocumentId: string, agencyCode: string, at: Date): Promise<void> {
  await m.query(
    `UPDATE proactive_handling SET first_action_at = COALESCE(first_action_at, $3), status = 'DONE' WHERE incoming_document_id = $1 AND agency_code = $2`,
    [incomingDocumentId, agencyCode, at],
  );
}
