/**
 * What the Office registers: documents co-addressed to several agencies, which start proactive
 * handling at once. Tasks UBND tỉnh assigns have their own router (./assigned-tasks.ts).
 */
import express from 'express';
import { z } from 'zod';
import { proactiveAgencies, isReactiveOnly } from '../../domain/rules/r23-co-addressed.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { OFFICE_AGENCY, UBND_AGENCY, isOfficeStaff } from '../../domain/access.ts';
import { registerIncoming, recordUbndInstruction, listIncoming } from '../../store/incoming.ts';
import { agencyCodes } from '../../store/organisation.ts';
import type { SessionUser } from '../auth.ts';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { startIncomingProcess } from '../office/incoming-process.ts';
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

/** Registering what arrives: the Office, and each agency's clerk for documents it receives. */
function mayRegisterIncoming(u: SessionUser): boolean {
  return u.role === 'CLERK' || (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'HEAD'));
}

/** Recording UBND's own instruction on an incoming document: the Office's reviewers and head, and the leaders. */
function mayAssign(u: SessionUser): boolean {
  return (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'HEAD')) || (u.agencyCode === UBND_AGENCY && u.role === 'UBND_LEADER');
}

export function officeRouter(deps: ServerDeps): express.Router {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  r.post('/incoming-documents', async (req, res) => {
    const user = currentUser(req);
    if (!mayRegisterIncoming(user)) throw forbidden();
    const input = incomingInput.parse(req.body);
    const known = await agencyCodes(deps.ds);
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
    const registered = await registerIncoming(deps.ds, {
      issuer: input.issuer,
      numberSymbol: input.numberSymbol,
      subject: input.subject,
      receivedAt: input.receivedAt ? new Date(input.receivedAt) : at,
      kinhGui: input.kinhGui,
      noiNhan: input.noiNhan,
      requestsAction: input.requestsAction,
      agencies: coAddressed.filter((a) => byOffice || a === user.agencyCode),
      registeredFor,
      startedAt: at,
      dueAt,
      actor: { userId: user.id, role: user.role },
      refuseWhenAllHandled: !byOffice,
    });
    if (registered.kind === 'handled-elsewhere') {
      throw new ApiError(409, 'ALREADY_REGISTERED', `Văn bản ${input.numberSymbol} của ${input.issuer} đã được Văn phòng UBND tỉnh đăng ký cho cơ quan bạn.`);
    }
    if (registered.kind === 'duplicate') throw new ApiError(409, 'ALREADY_REGISTERED', `Văn bản ${input.numberSymbol} của ${input.issuer} đã được đăng ký.`);
    const { id, fresh, agencies } = registered;
    // every co-addressed agency starts at once, without waiting for a UBND document.
    await startIncomingProcess(deps, id);
    res.status(fresh ? 201 : 200).json({ id, agencies, dueAt: dueAt.toISOString() });
  });

  r.post('/incoming-documents/:id/ubnd-instruction', async (req, res) => {
    const user = currentUser(req);
    if (!mayAssign(user)) throw forbidden();
    const id = z.string().uuid().parse(req.params.id);
    const body = z.object({ at: z.string().datetime({ offset: true }).optional() }).strict().parse(req.body ?? {});
    if (!(await recordUbndInstruction(deps.ds, id, body.at ? new Date(body.at) : now()))) throw notFound('văn bản đến');
    res.status(204).end();
  });

  r.get('/incoming-documents', async (req, res) => {
    const user = currentUser(req);
    // The Office's staff and UBND see all; administrators and designers sit in VPUBND but are not staff.
    const all = isOfficeStaff(user) || (user.agencyCode === UBND_AGENCY && user.role === 'UBND_LEADER');
    const rows = await listIncoming(deps.ds, { all, agencyCode: user.agencyCode });
    res.json({
      items: rows.map((row) => ({
        ...row,
        // acted only after UBND's own instruction came.
        reactiveOnly: row.agency_code ? isReactiveOnly({ agencyCode: row.agency_code, firstActionAt: row.first_action_at, ubndInstructionAt: row.ubnd_instruction_at }) : false,
      })),
    });
  });

  return r;
}
