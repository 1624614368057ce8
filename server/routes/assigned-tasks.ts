/**
 * Tasks UBND tỉnh or its Chairman assign to an agency: the Office registers them
 * from the UBND document, the agency reports progress, links the dossier that carries one out, or
 * completes it by a report of the result. Each task runs its own process (processes/nhiem-vu-duoc-giao.bpmn).
 */
import express from 'express';
import { z } from 'zod';
import {
  ASSIGNERS,
  dossierNeedsHeadInPerson,
  mayCompleteAssignedTask,
  mayRegisterAssignedTask,
  maySeeAllAssignedTasks,
  maySeeAssignedTask,
  mayWorkOnAssignedTask,
  SIGNED_DOSSIER_STATUSES,
  type AssignedTask,
} from '../../domain/assigned-task.ts';
import { assignedTaskDeadlines } from '../../domain/calendar.ts';
import { recordAudit } from '../../store/audit.ts';
import {
  assigneeAgency,
  completeAssignedTask,
  dossierForLink,
  linkDossier,
  listAssignedTasks,
  loadAssignedTask,
  progressOf,
  recordProgress,
  registerAssignedTask,
  type AssignedTaskListItem,
} from '../../store/assigned-tasks.ts';
import { currentUser, type SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { idParam, uuidParam } from '../schemas.ts';
import { ApiError, conflict, forbidden, notFound } from '../errors.ts';
import { signalAssignedTaskDone, startAssignedTaskProcess } from '../office/assigned-task-process.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày dạng YYYY-MM-DD');

export const assignedTaskInput = z
  .object({
    sourceRef: z.string().trim().min(2).max(80).meta({ description: 'Số, ký hiệu của văn bản UBND giao nhiệm vụ, e.g. 123/TB-UBND.' }),
    sourceDate: localDate.meta({ description: 'Ngày ban hành văn bản giao nhiệm vụ (local date, Vietnam).' }),
    assignedBy: z.enum(ASSIGNERS),
    assignedByName: z.string().trim().max(200).default(''),
    assigneeAgencyCode: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/),
    toUbndMemberHead: z.boolean().default(false).meta({ description: 'Giao cho thủ trưởng cơ quan là thành viên UBND tỉnh (R-07: thủ trưởng ký trực tiếp).' }),
    content: z.string().trim().min(2).max(5000),
    workingDays: z.number().int().min(1).max(365).optional().meta({ description: 'Thời hạn tính bằng ngày làm việc kể từ ngày văn bản.' }),
    dueAt: z.string().datetime({ offset: true }).optional().meta({ description: 'Hạn do văn bản ấn định, thay cho workingDays.' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.workingDays === undefined) === (v.dueAt === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['workingDays'], message: 'Cần đúng một trong hai: số ngày làm việc (workingDays) hoặc hạn cụ thể (dueAt).' });
    }
  });

export const progressInput = z
  .object({
    content: z.string().trim().min(2).max(5000),
    percent: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const linkDossierInput = z.object({ dossierId: idParam }).strict();

export const completeByReportInput = z.object({ report: z.string().trim().min(10).max(10000) }).strict();

/** A task as the API answers it. */
function present(t: AssignedTask | AssignedTaskListItem, now: Date) {
  return {
    id: t.id,
    sourceRef: t.sourceRef,
    sourceDate: t.sourceDate,
    assignedBy: t.assignedBy,
    assignedByName: t.assignedByName,
    assigneeAgencyCode: t.assigneeAgencyCode,
    assigneeAgencyName: 'assigneeAgencyName' in t ? t.assigneeAgencyName : undefined,
    toUbndMemberHead: t.toUbndMemberHead,
    content: t.content,
    workingDays: t.workingDays,
    dueAt: t.dueAt.toISOString(),
    reminderAt: t.reminderAt?.toISOString() ?? null,
    status: t.status,
    // past its deadline and not completed, now (the process's escalation sets `escalatedAt`).
    overdue: t.completedAt === null && t.dueAt.getTime() < now.getTime(),
    escalatedAt: t.overdueAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    completionKind: t.completionKind,
    completedByDossierId: t.completedByDossierId,
    completionReport: t.completionReport,
    dossierIds: 'dossierIds' in t ? t.dossierIds : undefined,
    lastProgress: 'lastProgress' in t && t.lastProgress ? { ...t.lastProgress, reportedAt: t.lastProgress.reportedAt.toISOString() } : 'lastProgress' in t ? null : undefined,
  };
}

export function assignedTaskRouter(deps: ServerDeps): express.Router {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  /** The task, or 404 when it does not exist or is not the user's to see (never telling which). */
  async function visible(user: SessionUser, rawId: unknown): Promise<AssignedTask> {
    const id = uuidParam.parse(rawId);
    const t = await loadAssignedTask(deps.ds, id);
    if (!t || !maySeeAssignedTask(user, t)) throw notFound('nhiệm vụ được giao');
    return t;
  }

  r.post('/assigned-tasks', async (req, res) => {
    const user = currentUser(req);
    if (!mayRegisterAssignedTask(user)) throw forbidden('Chỉ Văn phòng UBND tỉnh hoặc lãnh đạo UBND tỉnh đăng ký nhiệm vụ được giao.');
    const input = assignedTaskInput.parse(req.body);
    const agency = await assigneeAgency(deps.ds, input.assigneeAgencyCode);
    if (!agency) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${input.assigneeAgencyCode}.`, { field: 'assigneeAgencyCode' });
    // "the head is a UBND member" is a fact of the organisation, not a claim of the registration.
    if (input.toUbndMemberHead && !agency.headIsUbndMember) {
      throw new ApiError(422, 'HEAD_NOT_UBND_MEMBER', `Thủ trưởng ${agency.name} không phải là thành viên UBND tỉnh.`, { field: 'toUbndMemberHead' });
    }
    const at = now();
    const { dueAt, reminderAt } = assignedTaskDeadlines(
      at,
      { sourceDate: new Date(`${input.sourceDate}T00:00:00+07:00`), workingDays: input.workingDays ?? null, dueAt: input.dueAt ? new Date(input.dueAt) : null },
      deps.policy.calendar,
      deps.policy.deadlines,
    );
    if (Number.isNaN(dueAt.getTime())) throw new ApiError(400, 'INVALID_INPUT', 'Ngày văn bản không hợp lệ.', { field: 'sourceDate' });
    const { id, fresh } = await deps.ds.transaction(async (m) => {
      const registered = await registerAssignedTask(m, {
        sourceRef: input.sourceRef,
        sourceDate: input.sourceDate,
        assignedBy: input.assignedBy,
        assignedByName: input.assignedByName,
        assigneeAgencyCode: input.assigneeAgencyCode,
        toUbndMemberHead: input.toUbndMemberHead,
        content: input.content,
        workingDays: input.workingDays ?? null,
        dueAt,
        reminderAt,
        registeredBy: user.id,
      });
      if (registered.fresh) {
        await recordAudit(m, { dossierId: null, action: 'TASK_ASSIGNED', actorUserId: user.id, actorRole: user.role, ruleId: 'R-22', details: { id: registered.id, ...input, dueAt: dueAt.toISOString() } });
      }
      return registered;
    });
    // Stored first, started second: registering the same document again starts a process that never started.
    await startAssignedTaskProcess(deps, id);
    const t = (await loadAssignedTask(deps.ds, id))!;
    res.status(fresh ? 201 : 200).json(present(t, now()));
  });

  r.get('/assigned-tasks', async (req, res) => {
    const user = currentUser(req);
    const q = z.object({ agency: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/).optional() }).strict().parse(req.query);
    const all = maySeeAllAssignedTasks(user);
    // Everyone else sees their own agency's tasks only, whatever they ask for.
    const agencyCode = all ? (q.agency ?? null) : user.agencyCode;
    const items = user.role === 'ADMIN' || user.role === 'DESIGNER' ? [] : await listAssignedTasks(deps.ds, { agencyCode });
    const at = now();
    res.json({ items: items.map((t) => present(t, at)) });
  });

  r.get('/assigned-tasks/:id', async (req, res) => {
    const user = currentUser(req);
    const t = await visible(user, req.params.id);
    const progress = await progressOf(deps.ds, t.id);
    res.json({ task: present(t, now()), progress: progress.map((p) => ({ ...p, reportedAt: p.reportedAt.toISOString() })) });
  });

  r.post('/assigned-tasks/:id/progress', async (req, res) => {
    const user = currentUser(req);
    const t = await visible(user, req.params.id);
    if (!mayWorkOnAssignedTask(user, t)) throw forbidden('Chỉ cơ quan được giao báo cáo tiến độ nhiệm vụ.');
    const input = progressInput.parse(req.body);
    if (t.completedAt) throw conflict('ASSIGNED_TASK_COMPLETED', 'Nhiệm vụ đã hoàn thành; không báo cáo tiến độ nữa.');
    const at = now();
    const id = await deps.ds.transaction(async (m) => {
      const pid = await recordProgress(m, { assignedTaskId: t.id, agencyCode: user.agencyCode, reportedBy: user.id, content: input.content, percent: input.percent ?? null, at });
      await recordAudit(m, { dossierId: null, action: 'ASSIGNED_TASK_PROGRESS', actorUserId: user.id, actorRole: user.role, onBehalfOf: t.accountableUserId, ruleId: 'R-22', details: { assignedTaskId: t.id, progressId: pid, percent: input.percent ?? null } });
      return pid;
    });
    res.status(201).json({ id });
  });

  r.post('/assigned-tasks/:id/dossiers', async (req, res) => {
    const user = currentUser(req);
    const t = await visible(user, req.params.id);
    if (!mayWorkOnAssignedTask(user, t)) throw forbidden('Chỉ cơ quan được giao gắn hồ sơ trình với nhiệm vụ.');
    const input = linkDossierInput.parse(req.body);
    if (t.completedAt) throw conflict('ASSIGNED_TASK_COMPLETED', 'Nhiệm vụ đã hoàn thành; không gắn thêm hồ sơ.');
    const agency = (await assigneeAgency(deps.ds, t.assigneeAgencyCode))!;
    const assignedToUbndMember = dossierNeedsHeadInPerson(t, agency);
    const instance = await deps.ds.transaction(async (m) => {
      const d = await dossierForLink(m, input.dossierId);
      // Another agency's dossier is as unknown here as a missing one.
      if (!d || d.leadAgencyCode !== t.assigneeAgencyCode) throw new ApiError(422, 'UNKNOWN_DOSSIER', `Cơ quan được giao không có hồ sơ ${input.dossierId}.`, { field: 'dossierId' });
      if (d.assignedTaskId === t.id) return null;
      if (d.assignedTaskId) throw conflict('DOSSIER_ALREADY_LINKED', `Hồ sơ ${d.id} đã gắn với một nhiệm vụ khác.`);
      // R-07 decides who signs: after the signature a link would change nothing but the record.
      if (SIGNED_DOSSIER_STATUSES.includes(d.status)) throw conflict('DOSSIER_ALREADY_SIGNED', `Hồ sơ ${d.id} đã ký hoặc đã kết thúc; chỉ gắn được hồ sơ chưa ký.`);
      await linkDossier(m, { dossierId: d.id, assignedTaskId: t.id, assignedToUbndMember });
      await recordAudit(m, { dossierId: d.id, action: 'ASSIGNED_TASK_LINKED', actorUserId: user.id, actorRole: user.role, ruleId: assignedToUbndMember ? 'R-07' : 'R-22', details: { assignedTaskId: t.id, assignedToUbndMember } });
      return d.processInstanceId;
    });
    // The dossier's process reads R-07 from its variable when the signing task is created.
    if (instance) await deps.engine.request('PUT', `/process-instance/${encodeURIComponent(instance)}/variables/assignedToUbndMember`, { value: assignedToUbndMember, type: 'Boolean' });
    res.status(204).end();
  });

  r.post('/assigned-tasks/:id/complete', async (req, res) => {
    const user = currentUser(req);
    const t = await visible(user, req.params.id);
    if (!mayCompleteAssignedTask(user, t)) throw forbidden('Chỉ lãnh đạo cơ quan được giao báo cáo hoàn thành nhiệm vụ.');
    const input = completeByReportInput.parse(req.body);
    const done = await deps.ds.transaction(async (m) => {
      const c = await completeAssignedTask(m, { id: t.id, at: now(), kind: 'REPORT', report: input.report, by: user.id });
      if (c) await recordAudit(m, { dossierId: null, action: 'ASSIGNED_TASK_REPORTED_DONE', actorUserId: user.id, actorRole: user.role, onBehalfOf: t.accountableUserId, ruleId: 'R-22', details: { assignedTaskId: t.id, status: c.status } });
      return c;
    });
    if (!done) throw conflict('ASSIGNED_TASK_COMPLETED', 'Nhiệm vụ đã hoàn thành trước đó.');
    await signalAssignedTaskDone(deps, t.id);
    res.json({ task: present(done, now()) });
  });

  return r;
}
