/**
 * What the Office registers: documents co-addressed to several agencies, which start proactive
 * handling at once, and tasks assigned by UBND tỉnh or its Chairman.
 */
import express from 'express';
import { z } from 'zod';
import { proactiveAgencies, isReactiveOnly } from '../../domain/rules/r23-co-addressed.ts';
import { toIsoLocal, addWorkingDays } from '../../domain/calendar.ts';
import { OFFICE_AGENCY, UBND_AGENCY, isOfficeStaff } from '../../domain/access.ts';
import { recordAudit } from '../../store/audit.ts';
import { changedRows } from '../../store/round-trips.ts';
import type { SessionUser } from '../auth.ts';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { INCOMING_PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { ApiError, forbidden, notFound } from '../errors.ts';

const recipient = z.string().trim().min(1).max(200);
export const incomingInput = z
  .object({
    issuer: z.string().trim().min(2).max(300),
    numberSymbol: z.string().trim().min(2).max(80),
    subject: z.string().trim().min(2).max(1000),
    receivedAt: z.string().datetime({ offset: true }).optional(),
    kinhGui: z.array(recipient).max(60).default([]),
    noiNhan: z.array(recipient).max(60).default([]),
    requestsAction: z.boolean().default(true),
  })
  .strict();

export const assignedTaskInput = z
  .object({
    sourceRef: z.string().trim().min(2).max(80),
    assignedBy: z.enum(['UBND_TINH', 'CHU_TICH', 'PHO_CHU_TICH']),
    assignedByName: z.string().trim().max(200).default(''),
    assigneeAgencyCode: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/),
    toUbndMemberHead: z.boolean().default(false),
    content: z.string().trim().min(2).max(5000),
    dueAt: z.string().datetime({ offset: true }),
  })
  .strict();

/** Registering what arrives: the Office, and each agency's clerk for documents it receives. */
function mayRegisterIncoming(u: SessionUser): boolean {
  return u.role === 'CLERK' || (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'HEAD'));
}

/** Recording UBND's assignments: the Office's reviewers and head, and the leaders. */
function mayAssign(u: SessionUser): boolean {
  return (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'HEAD')) || (u.agencyCode === UBND_AGENCY && u.role === 'UBND_LEADER');
}

/** Starts the proactive-handling process of a registered document once (business key = its id). */
export async function startIncomingProcess(deps: ServerDeps, id: string): Promise<void> {
  await deps.ds.transaction(async (m) => {
    const rows = (await m.query('SELECT co_addressed_agency_codes, process_instance_id FROM incoming_document WHERE id = $1 FOR UPDATE', [id])) as {
      co_addressed_agency_codes: string[];
      process_instance_id: string | null;
    }[];
    const doc = rows[0];
    if (!doc || doc.process_instance_id || doc.co_addressed_agency_codes.length === 0) return;
    const due = (await m.query('SELECT min(due_at) AS due FROM proactive_handling WHERE incoming_document_id = $1', [id])) as { due: Date }[];
    const existing = await deps.engine.listProcessInstances({ businessKey: id, processDefinitionKey: INCOMING_PROCESS_KEY });
    const instanceId =
      existing[0]?.id ??
      (
        await deps.engine.startProcess(INCOMING_PROCESS_KEY, id, {
          incomingDocumentId: id,
          agencyCount: doc.co_addressed_agency_codes.length,
          agencyCodesCsv: doc.co_addressed_agency_codes.join(','),
          proactiveDueAt: toIsoLocal(due[0]!.due),
        })
      ).id;
    await m.query('UPDATE incoming_document SET process_instance_id = $2 WHERE id = $1', [id, instanceId]);
  });
}

export function officeRouter(deps: ServerDeps): express.Router {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  r.post('/incoming-documents', async (req, res) => {
    const user = currentUser(req);
    if (!mayRegisterIncoming(user)) throw forbidden();
    const input = incomingInput.parse(req.body);
    const known = ((await deps.ds.query('SELECT code FROM agency')) as { code: string }[]).map((a) => a.code);
    // A clerk registers what their own agency received; the Office registers all.
    const byOffice = user.agencyCode === OFFICE_AGENCY;
    if (!byOffice && ![...input.kinhGui, ...input.noiNhan].includes(user.agencyCode)) {
      throw forbidden('Văn thư chỉ đăng ký văn bản gửi đến cơ quan mình.');
    }
    // A clerk's registration is their agency's own record, with handling for their agency only: it
    // sets no task or deadline for another agency and never takes the issuer+number from the Office.
    const registeredFor = byOffice ? null : user.agencyCode;
    const coAddressed = proactiveAgencies(input, known, deps.policy.rules);
    const at = now();
    const dueAt = addWorkingDays(at, deps.policy.deadlines.proactive, deps.policy.calendar);
    const { id, fresh, agencies } = await deps.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`incoming:${input.issuer}\n${input.numberSymbol}`]);
      // Who already handles this document through another registration (the Office's or a clerk's own).
      const handled = (
        (await m.query(
          `SELECT h.agency_code FROM incoming_document i JOIN proactive_handling h ON h.incoming_document_id = i.id
           WHERE i.issuer = $1 AND i.number_symbol = $2 AND i.registered_for_agency IS DISTINCT FROM $3`,
          [input.issuer, input.numberSymbol, registeredFor],
        )) as { agency_code: string }[]
      ).map((h) => h.agency_code);
      const agencies = coAddressed.filter((a) => (byOffice || a === user.agencyCode) && !handled.includes(a));
      if (!byOffice && coAddressed.includes(user.agencyCode) && agencies.length === 0) {
        throw new ApiError(409, 'ALREADY_REGISTERED', `Văn bản ${input.numberSymbol} của ${input.issuer} đã được Văn phòng UBND tỉnh đăng ký cho cơ quan bạn.`);
      }
      const rows = (await m.query(
        `INSERT INTO incoming_document (issuer, number_symbol, subject, received_at, kinh_gui, noi_nhan, requests_action, co_addressed_agency_codes, registered_by, registered_for_agency)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`,
        [input.issuer, input.numberSymbol, input.subject, input.receivedAt ? new Date(input.receivedAt) : at, input.kinhGui, input.noiNhan, input.requestsAction, agencies, user.id, registeredFor],
      )) as { id: string }[];
      if (!rows[0]) {
        const existing = (await m.query(
          'SELECT id, process_instance_id, co_addressed_agency_codes FROM incoming_document WHERE issuer = $1 AND number_symbol = $2 AND registered_for_agency IS NOT DISTINCT FROM $3',
          [input.issuer, input.numberSymbol, registeredFor],
        )) as { id: string; process_instance_id: string | null; co_addressed_agency_codes: string[] }[];
        const e = existing[0];
        // Registered before, but its handling never started (the engine was away): start it now.
        if (e && !e.process_instance_id && e.co_addressed_agency_codes.length > 0) return { id: e.id, fresh: false, agencies: e.co_addressed_agency_codes };
        throw new ApiError(409, 'ALREADY_REGISTERED', `Văn bản ${input.numberSymbol} của ${input.issuer} đã được đăng ký.`);
      }
      for (const agency of agencies) {
        await m.query('INSERT INTO proactive_handling (incoming_document_id, agency_code, started_at, due_at) VALUES ($1, $2, $3, $4)', [rows[0].id, agency, at, dueAt]);
      }
      await recordAudit(m, { dossierId: null, action: 'INCOMING_REGISTERED', actorUserId: user.id, actorRole: user.role, ruleId: 'R-23', details: { id: rows[0].id, agencies } });
      return { id: rows[0].id, fresh: true, agencies };
    });
    // every co-addressed agency starts at once, without waiting for a UBND document.
    await startIncomingProcess(deps, id);
    res.status(fresh ? 201 : 200).json({ id, agencies, dueAt: dueAt.toISOString() });
  });

  r.post('/incoming-documents/:id/ubnd-instruction', async (req, res) => {
    const user = currentUser(req);
    if (!mayAssign(user)) throw forbidden();
    const id = z.string().uuid().parse(req.params.id);
    const body = z.object({ at: z.string().datetime({ offset: true }).optional() }).strict().parse(req.body ?? {});
    const rows = await changedRows(deps.ds, 'UPDATE incoming_document SET ubnd_instruction_at = COALESCE(ubnd_instruction_at, $2) WHERE id = $1 RETURNING id', [
      id,
      body.at ? new Date(body.at) : now(),
    ]);
    if (rows.length === 0) throw notFound('văn bản đến');
    res.status(204).end();
  });

  r.get('/incoming-documents', async (req, res) => {
    const user = currentUser(req);
    // The Office's staff and UBND see all; administrators and designers sit in VPUBND but are not staff.
    const all = isOfficeStaff(user) || (user.agencyCode === UBND_AGENCY && user.role === 'UBND_LEADER');
    const rows = (await deps.ds.query(
      `SELECT i.id, i.issuer, i.number_symbol, i.subject, i.received_at, i.ubnd_instruction_at, h.agency_code, h.due_at, h.first_action_at, h.status
       FROM incoming_document i LEFT JOIN proactive_handling h ON h.incoming_document_id = i.id
       WHERE $1 OR h.agency_code = $2 ORDER BY i.received_at DESC LIMIT 500`,
      [all, user.agencyCode],
    )) as { id: string; agency_code: string | null; first_action_at: Date | null; ubnd_instruction_at: Date | null }[];
    res.json({
      items: rows.map((row) => ({
        ...row,
        // acted only after UBND's own instruction came.
        reactiveOnly: row.agency_code ? isReactiveOnly({ agencyCode: row.agency_code, firstActionAt: row.first_action_at, ubndInstructionAt: row.ubnd_instruction_at }) : false,
      })),
    });
  });

  r.post('/assigned-tasks', async (req, res) => {
    const user = currentUser(req);
    if (!mayAssign(user)) throw forbidden();
    const input = assignedTaskInput.parse(req.body);
    const rows = (await deps.ds.query(
      `INSERT INTO assigned_task (source_ref, assigned_by, assigned_by_name, assignee_agency_code, to_ubnd_member_head, content, due_at)
       SELECT $1,$2,$3,$4,$5,$6,$7 WHERE EXISTS (SELECT 1 FROM agency WHERE code = $4) RETURNING id`,
      [input.sourceRef, input.assignedBy, input.assignedByName, input.assigneeAgencyCode, input.toUbndMemberHead, input.content, new Date(input.dueAt)],
    )) as { id: string }[];
    if (!rows[0]) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${input.assigneeAgencyCode}.`, { field: 'assigneeAgencyCode' });
    await recordAudit(deps.ds.manager, { dossierId: null, action: 'TASK_ASSIGNED', actorUserId: user.id, actorRole: user.role, ruleId: 'R-22', details: { id: rows[0].id, ...input } });
    res.status(201).json({ id: rows[0].id });
  });

  r.get('/assigned-tasks', async (req, res) => {
    const user = currentUser(req);
    // The Office's staff and UBND see all; administrators and designers sit in VPUBND but are not staff.
    const all = isOfficeStaff(user) || (user.agencyCode === UBND_AGENCY && user.role === 'UBND_LEADER');
    const rows = await deps.ds.query(
      `SELECT id, source_ref, assigned_by, assigned_by_name, assignee_agency_code, to_ubnd_member_head, content, due_at, status, completed_at,
         (completed_at IS NULL AND due_at < $3) AS overdue
       FROM assigned_task WHERE $1 OR assignee_agency_code = $2 ORDER BY due_at LIMIT 500`,
      [all, user.agencyCode, now()],
    );
    res.json({ items: rows });
  });

  return r;
}
