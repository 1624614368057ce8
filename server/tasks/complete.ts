/**
 * Completing a task: the form is validated against its schema and the domain rules, our record
 * is written first (idempotent per task id, so a retry after an engine error is safe), then the
 * engine task is completed with the variables the diagram routes on.
 */
import type { EntityManager } from 'typeorm';
import { errorsOnly, violation } from '../../domain/errors.ts';
import { checkOpinionInput } from '../../domain/rules/r14-opinion-consistency.ts';
import { checkAppraisalResult } from '../../domain/rules/r21-appraisal-explicit.ts';
import { checkChoice } from '../../domain/rules/r12-chosen-option.ts';
import { checkOfficeReturn } from '../../domain/rules/r30-return-reasons.ts';
import { authorizationProblems } from '../../domain/rules/r06-deputy-delegation.ts';
import { nextDeadlines } from '../../domain/calendar.ts';
import { isHeadRole } from '../../domain/access.ts';
import type { PlainValue } from '../../platform/engine/variables.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import type { DossierStatus } from '../../domain/model.ts';
import { loadDossier } from '../../store/dossiers.ts';
import { recordAudit, transition } from '../../store/audit.ts';
import { recordReturn } from '../../store/submissions.ts';
import { signStoredDocument } from '../../store/signatures.ts';
import { completeTaskOfAcceptedDossier } from '../../store/assigned-tasks.ts';
import { signalDossierTaskDone } from '../office/assigned-task-process.ts';
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, conflict, ruleError } from '../errors.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { choiceLabel, fieldOfCode, isFormKey, validateTaskForm, type FormKey, type TaskFormData } from '../forms/index.ts';
import { taskFormContext } from '../forms/context.ts';
import { assertNoUbndWhileConsulting, LEAD_AGENCY_DOOR, saveDocuments } from '../dossiers/documents.ts';
import { applyDossierChanges } from '../dossiers/service.ts';
import { visibleTask, assertMaySign } from './service.ts';

/** Forms by task definition key, for diagrams whose tasks carry no (known) formKey. */
export const FORM_BY_TASK: Readonly<Record<string, FormKey>> = {
  Task_Revise: 'revise',
  Task_GiveOpinion: 'give-opinion',
  Task_ChooseOption: 'choose-option',
  Task_Appraise: 'appraise',
  Task_RespondAppraisal: 'respond-appraisal',
  Task_DraftSubmission: 'draft-submission',
  Task_Sign: 'sign',
  Task_SendPaper: 'send-paper',
  Task_OfficeCheck: 'office-check',
  Task_LeaderDecision: 'leader-decision',
  Task_FollowUpDelay: 'follow-up-delay',
  Task_ProactiveHandling: 'proactive-handling',
  Task_FollowUpAssignedTask: 'follow-up-assigned-task',
};

export function formKeyOf(task: { formKey: string | null; taskDefinitionKey: string }): FormKey {
  if (isFormKey(task.formKey)) return task.formKey;
  const byTask = FORM_BY_TASK[task.taskDefinitionKey];
  if (!byTask) throw new ApiError(422, 'UNKNOWN_FORM', `Công việc ${task.taskDefinitionKey} chưa có biểu mẫu.`);
  return byTask;
}

type Ctx = {
  /** The round as the engine has it: the diagram's truth, kept equal to the dossier's by these handlers. */
  round: number;
  deps: ServerDeps;
  m: EntityManager;
  actor: SessionUser;
  taskId: string;
  dossier: Dossier;
  vars: Record<string, unknown>;
  now: Date;
};

type Result = { variables: Record<string, PlainValue | undefined>; refreshDeadlines: boolean };

type Handlers = { [K in FormKey]: (ctx: Ctx, data: TaskFormData[K]) => Promise<Result> };

const key = (ctx: Ctx) => `task:${ctx.taskId}`;
const audit = (ctx: Ctx, action: string, extra: { ruleId?: string; details?: Record<string, unknown> } = {}) =>
  recordAudit(ctx.m, { dossierId: ctx.dossier.id, action, actorUserId: ctx.actor.id, actorRole: ctx.actor.role, idempotencyKey: key(ctx), ...extra });
const move = (ctx: Ctx, to: DossierStatus, action: string, extra: { ruleId?: string; details?: Record<string, unknown>; closed?: boolean } = {}) =>
  transition(
    ctx.m,
    ctx.dossier.id,
    to,
    { action, actorUserId: ctx.actor.id, actorRole: ctx.actor.role, idempotencyKey: key(ctx), ruleId: extra.ruleId, details: extra.details },
    { closed: extra.closed },
  );

const handlers: Handlers = {
  async revise(ctx, data) {
    if (data.outcome === 'WITHDRAW') {
      await move(ctx, 'WITHDRAWN', 'WITHDRAWN', { details: { note: data.note }, closed: true });
      return { variables: { reviseOutcome: data.outcome }, refreshDeadlines: false };
    }
    // A round is one pass through consultation and submission: a dossier that already consulted or
    // was submitted in this round (returned by appraisal or a gate) is consulted again in a new one.
    const used = (await ctx.m.query(
      `SELECT EXISTS (SELECT 1 FROM opinion_request WHERE dossier_id = $1 AND round = $2)
           OR EXISTS (SELECT 1 FROM submission WHERE dossier_id = $1 AND round = $2) AS used`,
      [ctx.dossier.id, ctx.round],
    )) as { used: boolean }[];
    const round = used[0]?.used ? ctx.round + 1 : ctx.round;
    if (round !== ctx.round) await ctx.m.query('UPDATE dossier SET round = $2 WHERE id = $1', [ctx.dossier.id, round]);
    await move(ctx, 'VALIDATING', 'RESUBMITTED', { details: { note: data.note, round } });
    return { variables: { reviseOutcome: data.outcome, round }, refreshDeadlines: true };
  },

  async 'give-opinion'(ctx, data) {
    const agency = typeof ctx.vars.opinionAgency === 'string' ? ctx.vars.opinionAgency : ctx.actor.agencyCode;
    if (agency !== ctx.actor.agencyCode) throw new ApiError(403, 'FORBIDDEN', 'Chỉ cơ quan được lấy ý kiến mới cho ý kiến.');
    const round = ctx.round;
    const earlier = (await ctx.m.query(
      'SELECT position, preferred_option_id FROM opinion WHERE dossier_id = $1 AND agency_code = $2 AND task_id <> $3 ORDER BY received_at',
      [ctx.dossier.id, agency, ctx.taskId],
    )) as { position: string; preferred_option_id: string | null }[];
    const violations = checkOpinionInput(
      data,
      earlier.map((e) => ({ position: e.position as 'AGREE', preferredOptionId: e.preferred_option_id })),
    );
    // R-14 is a warning in the directive, but a change of position must say why before it is recorded.
    if (violations.length > 0) throw ruleError(violations);
    const reqs = (await ctx.m.query('SELECT id, due_at, status FROM opinion_request WHERE dossier_id = $1 AND agency_code = $2 AND round = $3', [
      ctx.dossier.id,
      agency,
      round,
    ])) as { id: string; due_at: Date; status: string }[];
    const req = reqs[0];
    if (!req) throw new ApiError(409, 'NO_OPINION_REQUEST', 'Không có yêu cầu tham gia ý kiến cho cơ quan này.');
    const late = ctx.now.getTime() > req.due_at.getTime();
    let docId: string | null = null;
    if (data.document) {
      docId = (await saveDocuments(ctx.m, ctx.dossier, ctx.actor, [{ ...data.document, role: 'OPINION_DOC', issuerAgencyCode: agency }], ctx.now))[0] ?? null;
    }
    await ctx.m.query(
      `INSERT INTO opinion (request_id, dossier_id, agency_code, round, position, preferred_option_id, content, doc_id, signed_by_user_id, signer_role, received_at, late, change_reason, task_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (task_id) DO UPDATE SET position = EXCLUDED.position, preferred_option_id = EXCLUDED.preferred_option_id, content = EXCLUDED.content,
         doc_id = COALESCE(EXCLUDED.doc_id, opinion.doc_id), change_reason = EXCLUDED.change_reason`,
      [req.id, ctx.dossier.id, agency, round, data.position, data.preferredOptionId ?? null, data.content, docId, ctx.actor.id, ctx.actor.role, ctx.now, late, data.changeReason ?? null, ctx.taskId],
    );
    await ctx.m.query(`UPDATE opinion_request SET status = $2 WHERE id = $1 AND status IN ('PENDING', 'OVERDUE')`, [req.id, late ? 'RECEIVED_LATE' : 'RECEIVED']);
    await audit(ctx, late ? 'OPINION_RECEIVED_LATE' : 'OPINION_RECEIVED', { ruleId: 'R-13', details: { agency, position: data.position, late } });
    // Parallel opinions of one instance: writing shared variables would only collide.
    return { variables: {}, refreshDeadlines: false };
  },

  async 'choose-option'(ctx, data) {
    // The task exists because opinions differ: the choice is checked whatever the number of options.
    const v = checkChoice({ options: ctx.dossier.options, chosenOptionId: data.chosenOptionId, choiceRationale: data.rationale });
    if (v) throw ruleError([v]);
    await ctx.m.query('UPDATE dossier SET chosen_option_id = $2, choice_rationale = $3, updated_at = now() WHERE id = $1', [ctx.dossier.id, data.chosenOptionId, data.rationale]);
    await move(ctx, ctx.dossier.requiresAppraisal ? 'APPRAISING' : 'DRAFTING_SUBMISSION', 'OPTION_CHOSEN', { ruleId: 'R-12', details: { chosenOptionId: data.chosenOptionId } });
    return { variables: { chosenOptionId: data.chosenOptionId }, refreshDeadlines: true };
  },

  async appraise(ctx, data) {
    const errors = errorsOnly(checkAppraisalResult(data, ctx.deps.policy.rules));
    if (errors.length > 0) throw ruleError(errors);
    let reportId: string | null = null;
    if (data.report) {
      reportId =
        (await saveDocuments(ctx.m, ctx.dossier, ctx.actor, [{ ...data.report, role: 'APPRAISAL_REPORT', issuerAgencyCode: ctx.actor.agencyCode }], ctx.now))[0] ?? null;
    }
    await ctx.m.query(
      `INSERT INTO appraisal (dossier_id, round, appraiser_agency_code, status, conclusion, lawful, reasons, report_doc_id, appraised_by, task_id)
       VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (task_id) DO UPDATE SET conclusion = EXCLUDED.conclusion, lawful = EXCLUDED.lawful, reasons = EXCLUDED.reasons,
         report_doc_id = COALESCE(EXCLUDED.report_doc_id, appraisal.report_doc_id)`,
      [ctx.dossier.id, ctx.round, ctx.actor.agencyCode, data.conclusion, data.lawful, data.reasons, reportId, ctx.actor.id, ctx.taskId],
    );
    await audit(ctx, 'APPRAISED', { ruleId: 'R-21', details: { conclusion: data.conclusion, lawful: data.lawful } });
    return { variables: {}, refreshDeadlines: true };
  },

  async 'respond-appraisal'(ctx, data) {
    if (data.document) {
      await saveDocuments(ctx.m, ctx.dossier, ctx.actor, [{ ...data.document, role: 'RECEIPT_EXPLANATION' }], ctx.now, LEAD_AGENCY_DOOR);
    }
    await move(ctx, 'DRAFTING_SUBMISSION', 'APPRAISAL_ANSWERED', { ruleId: 'R-21', details: { note: data.note } });
    return { variables: {}, refreshDeadlines: true };
  },

  async 'draft-submission'(ctx, data) {
    if (data.changes) await applyDossierChanges(ctx.m, ctx.dossier.id, data.changes);
    if (data.documents.length > 0) {
      assertNoUbndWhileConsulting(data.documents, ctx.deps.policy.rules);
      await saveDocuments(ctx.m, ctx.dossier, ctx.actor, data.documents, ctx.now, LEAD_AGENCY_DOOR);
    }
    await move(ctx, 'VALIDATING', 'SUBMISSION_DRAFTED', { details: { note: data.note } });
    return { variables: {}, refreshDeadlines: true };
  },

  async sign(ctx, data) {
    const docs = (await ctx.m.query(
      `SELECT id, medium, locked FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC' AND superseded_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      [ctx.dossier.id],
    )) as { id: string; medium: string; locked: boolean }[];
    const doc = docs[0];
    if (!doc) throw ruleError([violation('ERR_DOSSIER_INCOMPLETE', { missing: ['SUBMISSION_DOC'] })]);
    const role = isHeadRole(ctx.actor.role) ? 'HEAD' : ctx.actor.role === 'DEPUTY' ? 'DEPUTY' : null;
    if (!role) throw new ApiError(403, 'ERR_SIGNATURE_INVALID', violation('ERR_SIGNATURE_INVALID').message, { rule: 'R-05' });
    let authorizationId: string | null = null;
    if (role === 'DEPUTY') {
      // The rule decides which delegation covers this dossier, not a second copy of it in SQL.
      const rows = (await ctx.m.query(
        `SELECT d.*, a.head_user_id FROM delegation d JOIN agency a ON a.code = d.agency_code
         WHERE d.grantee_user_id = $1 AND d.agency_code = $2 AND d.revoked_at IS NULL ORDER BY d.valid_to DESC`,
        [ctx.actor.id, ctx.dossier.leadAgencyCode],
      )) as { id: string; grantor_user_id: string; grantee_user_id: string; agency_code: string; matter_categories: string[]; dossier_ids: string[]; valid_from: Date; valid_to: Date; revoked_at: Date | null; head_user_id: string | null }[];
      const covering = rows.find(
        (r) =>
          authorizationProblems(
            {
              grantorUserId: r.grantor_user_id,
              granteeUserId: r.grantee_user_id,
              agencyCode: r.agency_code,
              matterCategories: r.matter_categories,
              dossierIds: r.dossier_ids,
              validFrom: r.valid_from,
              validTo: r.valid_to,
              revokedAt: r.revoked_at,
            },
            {
              dossier: { id: ctx.dossier.id, matterCategory: ctx.dossier.matterCategory, leadAgency: { code: ctx.dossier.leadAgencyCode, headUserId: r.head_user_id ?? '', fields: [], headIsUbndMember: false } },
              granteeUserId: ctx.actor.id,
              signedAt: ctx.now,
            },
          ).length === 0,
      );
      authorizationId = covering?.id ?? null;
      if (data.urgentReason && !ctx.dossier.urgentReason) {
        await ctx.m.query('UPDATE dossier SET urgent_reason = $2 WHERE id = $1', [ctx.dossier.id, data.urgentReason]);
      }
    }
    if (doc.medium === 'ELECTRONIC') {
      await signStoredDocument(ctx.m, { documentId: doc.id, kind: 'PERSON', subjectId: ctx.actor.id, signedAt: ctx.now });
      if (data.stamped) await signStoredDocument(ctx.m, { documentId: doc.id, kind: 'ORGANISATION', subjectId: ctx.dossier.leadAgencyCode, signedAt: ctx.now });
    }
    await ctx.m.query('UPDATE document SET stamped = $2, signer_user_id = $3, signing_form = $4 WHERE id = $1 AND NOT locked', [
      doc.id,
      data.stamped,
      ctx.actor.id,
      role === 'DEPUTY' ? 'KT' : 'NONE',
    ]);
    await ctx.m.query(
      `INSERT INTO signature (dossier_id, document_id, round, signer_user_id, signer_role, signing_form, authorization_id, urgent_reason, stamped, signed_at, accountable_user_id, task_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       ON CONFLICT (task_id) DO UPDATE SET stamped = EXCLUDED.stamped, authorization_id = EXCLUDED.authorization_id, signed_at = EXCLUDED.signed_at`,
      [
        ctx.dossier.id,
        doc.id,
        ctx.round,
        ctx.actor.id,
        role,
        role === 'DEPUTY' ? 'KT' : 'NONE',
        authorizationId,
        data.urgentReason ?? ctx.dossier.urgentReason,
        data.stamped,
        ctx.now,
        ctx.dossier.accountableUserId,
        ctx.taskId,
      ],
    );
    await audit(ctx, 'SIGNATURE_SUBMITTED', { ruleId: role === 'DEPUTY' ? 'R-06' : 'R-05', details: { documentId: doc.id, role, authorizationId } });
    return { variables: {}, refreshDeadlines: true };
  },

  async 'send-paper'(ctx, data) {
    await ctx.m.query('UPDATE submission SET office_registration_no = $3, note = COALESCE($4, note) WHERE dossier_id = $1 AND round = $2', [
      ctx.dossier.id,
      ctx.round,
      data.officeRegistrationNo,
      data.note ?? null,
    ]);
    await move(ctx, 'SUBMITTED', 'PAPER_DELIVERED', { ruleId: 'R-19', details: { officeRegistrationNo: data.officeRegistrationNo } });
    return { variables: {}, refreshDeadlines: true };
  },

  async 'office-check'(ctx, data) {
    const v = checkOfficeReturn(data);
    if (v) throw ruleError([v]);
    const round = ctx.round;
    if (data.outcome === 'RETURN') {
      await ctx.m.query(`UPDATE submission SET intake_status = 'RETURNED', return_reason = $3, note = $4 WHERE dossier_id = $1 AND round = $2`, [
        ctx.dossier.id,
        round,
        data.returnReason,
        data.note ?? null,
      ]);
      await recordReturn(ctx.m, { dossierId: ctx.dossier.id, round, source: 'OFFICE', reason: data.returnReason!, note: data.note, byUserId: ctx.actor.id, idempotencyKey: key(ctx) });
      await ctx.m.query('UPDATE dossier SET round = $2 WHERE id = $1', [ctx.dossier.id, round + 1]);
      await move(ctx, 'REVISION_REQUIRED', 'RETURNED_BY_OFFICE', { ruleId: 'R-30', details: { reason: data.returnReason, note: data.note, round } });
      // The drafter reads why in words: the reason as the form names it, then the Office's note.
      const reason = choiceLabel('office-check', 'returnReason', data.returnReason!);
      return {
        variables: { officeOutcome: 'RETURN', round: round + 1, lastErrorCode: `RETURNED_${data.returnReason}`, lastErrorMessage: data.note ? `${reason}: ${data.note}` : reason },
        refreshDeadlines: true,
      };
    }
    await ctx.m.query(`UPDATE submission SET intake_status = 'ACCEPTED', note = $3 WHERE dossier_id = $1 AND round = $2`, [ctx.dossier.id, round, data.note ?? null]);
    await move(ctx, 'ACCEPTED', 'ACCEPTED_BY_OFFICE', { details: { note: data.note } });
    // the task UBND assigned that this dossier carries out is done by the submission the Office accepts.
    const task = await completeTaskOfAcceptedDossier(ctx.m, ctx.dossier.id);
    if (task) {
      await recordAudit(ctx.m, {
        dossierId: ctx.dossier.id,
        action: 'ASSIGNED_TASK_DONE_BY_DOSSIER',
        actorUserId: ctx.actor.id,
        actorRole: ctx.actor.role,
        ruleId: 'R-22',
        details: { assignedTaskId: task.id, status: task.status },
        idempotencyKey: `${key(ctx)}:assigned-task`,
      });
    }
    return { variables: { officeOutcome: 'ACCEPT' }, refreshDeadlines: true };
  },

  async 'leader-decision'(ctx, data) {
    await ctx.m.query('UPDATE submission SET leader_decision = $3 WHERE dossier_id = $1 AND round = $2', [ctx.dossier.id, ctx.round, data.decision]);
    await move(ctx, data.decision === 'APPROVED' ? 'DECIDED_APPROVED' : 'DECIDED_NOT_APPROVED', 'LEADER_DECIDED', { details: { note: data.note }, closed: true });
    return { variables: { leaderDecision: data.decision }, refreshDeadlines: false };
  },

  async 'follow-up-delay'(ctx, data) {
    await audit(ctx, 'DELAY_FOLLOWED_UP', { ruleId: 'R-25', details: { note: data.note } });
    return { variables: {}, refreshDeadlines: false };
  },

  async 'proactive-handling'() {
    throw new ApiError(500, 'INTERNAL', 'proactive handling is completed through completeIncomingTask');
  },

  async 'follow-up-assigned-task'() {
    throw new ApiError(500, 'INTERNAL', 'an assigned task\'s follow-up is completed through completeAssignedTaskFollowUp');
  },
};

/** A domain rule's 422 names the form field it is about, so the page shows it next to that field. */
function onItsField(form: FormKey, err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status !== 422 || err.extra.field) return err;
  const field = fieldOfCode(form, err.code);
  if (!field) return err;
  const details = Array.isArray(err.extra.details)
    ? (err.extra.details as { code?: string; field?: string }[]).map((d) => ({ ...d, field: d.field ?? (d.code ? fieldOfCode(form, d.code) : undefined) }))
    : err.extra.details;
  return new ApiError(422, err.code, err.message, { ...err.extra, field, details });
}

/** Thrown inside a dry run's transaction so that everything the handler wrote is rolled back. */
class DryRun extends Error {}

/**
 * Validates the form, records it, completes the engine task. A dry run does all of it but the
 * engine call inside a transaction it then rolls back: the answer a completion would get, nothing changed.
 */
export async function completeTask(
  deps: ServerDeps,
  actor: SessionUser,
  taskId: string,
  body: unknown,
  opts: { dryRun?: boolean } = {},
): Promise<{ dossierId: string | null; dryRun?: true }> {
  const task = await visibleTask(deps, actor, taskId);
  if (task.assignee !== actor.id) {
    throw task.assignee
      ? conflict('TASK_CLAIMED_BY_OTHER', 'Công việc đang do người khác xử lý.')
      : conflict('TASK_NOT_CLAIMED', 'Hãy nhận xử lý công việc trước khi hoàn thành.');
  }
  await assertMaySign(deps, actor, task);
  const form = formKeyOf(task);
  // The form's own file (processes/forms) first, then the domain rules in the handler: 422 either way, the task stays open.
  const data = validateTaskForm(form, body, await taskFormContext(deps, actor, task));
  if (form === 'proactive-handling') {
    if (opts.dryRun) return { dossierId: null, dryRun: true };
    await completeIncomingTask(deps, actor, task, data as TaskFormData['proactive-handling']);
    return { dossierId: null };
  }
  if (form === 'follow-up-assigned-task') {
    if (opts.dryRun) return { dossierId: null, dryRun: true };
    await completeAssignedTaskFollowUp(deps, actor, task, data as TaskFormData['follow-up-assigned-task']);
    return { dossierId: null };
  }
  if (!task.dossierId) throw new ApiError(409, 'NO_DOSSIER', 'Công việc không gắn với hồ sơ nào.');
  const now = deps.now?.() ?? new Date();
  // What the handlers read of the engine's variables: the round, and the agency of an opinion instance.
  const vars = await deps.engineDb.taskVariables(taskId, ['round', 'opinionAgency']);
  let variables: Record<string, PlainValue | undefined>;
  try {
    variables = await deps.ds.transaction(async (m) => {
      // The dossier's row lock serialises completions on one dossier, so a double submit sees the first.
      const dossier = await loadDossier(m, task.dossierId!, { forUpdate: true });
      if (!dossier) throw new ApiError(409, 'NO_DOSSIER', 'Hồ sơ của công việc không còn.');
      const recorded = (await m.query('SELECT variables FROM task_completion WHERE task_id = $1', [taskId])) as { variables: Record<string, PlainValue> }[];
      if (recorded[0]) return recorded[0].variables;
      const handler = handlers[form] as (ctx: Ctx, data: unknown) => Promise<Result>;
      const round = typeof vars.round === 'number' ? vars.round : dossier.round;
      const result = await handler({ deps, m, actor, taskId, dossier, vars, now, round }, data).catch((err: unknown) => {
        throw onItsField(form, err);
      });
      const toSend = { ...(result.refreshDeadlines ? nextDeadlines(now, deps.policy.calendar, deps.policy.deadlines) : {}), ...result.variables };
      await m.query('INSERT INTO task_completion (task_id, form_key, dossier_id, completed_by, variables) VALUES ($1, $2, $3, $4, $5)', [
        taskId,
        form,
        dossier.id,
        actor.id,
        JSON.stringify(toSend),
      ]);
      if (opts.dryRun) throw new DryRun();
      return toSend;
    });
  } catch (err) {
    if (err instanceof DryRun) return { dossierId: task.dossierId, dryRun: true };
    throw err;
  }
  // A task recorded by an earlier completion answers from its record, without a rollback: still no engine call.
  if (opts.dryRun) return { dossierId: task.dossierId, dryRun: true };
  try {
    await deps.engine.complete(taskId, variables);
  } catch (err) {
    // Completed by an earlier attempt whose answer was lost: the task is gone, the work is done.
    if (!(err instanceof EngineError && (err.status === 404 || /Cannot find task/i.test(err.message)))) throw err;
  }
  if (form === 'office-check') await signalDossierTaskDone(deps, task.dossierId);
  deps.events.publish({ type: 'task', taskId, dossierId: task.dossierId, action: 'COMPLETED' });
  deps.events.publish({ type: 'dossier', dossierId: task.dossierId, action: 'MOVED' });
  return { dossierId: task.dossierId };
}

async function completeIncomingTask(
  deps: ServerDeps,
  actor: SessionUser,
  task: { id: string; processInstanceId: string },
  data: TaskFormData['proactive-handling'],
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await deps.ds.transaction(async (m) => {
    const rows = (await m.query('SELECT id FROM incoming_document WHERE process_instance_id = $1', [task.processInstanceId])) as { id: string }[];
    const doc = rows[0];
    if (!doc) throw new ApiError(409, 'NO_INCOMING_DOCUMENT', 'Văn bản đến của công việc không còn.');
    await m.query(
      `UPDATE proactive_handling SET first_action_at = COALESCE(first_action_at, $3), status = 'DONE' WHERE incoming_document_id = $1 AND agency_code = $2`,
      [doc.id, actor.agencyCode, now],
    );
    await recordAudit(m, { dossierId: null, action: 'PROACTIVE_HANDLED', actorUserId: actor.id, actorRole: actor.role, ruleId: 'R-23', details: { incomingDocumentId: doc.id, action: data.action }, idempotencyKey: `task:${task.id}` });
  });
  await deps.engine.complete(task.id, {});
}

/** the Office records how it chased an overdue assigned task (the task itself stays open). */
async function completeAssignedTaskFollowUp(
  deps: ServerDeps,
  actor: SessionUser,
  task: { id: string; processInstanceId: string; businessKey?: string | null },
  data: TaskFormData['follow-up-assigned-task'],
): Promise<void> {
  const vars = await deps.engineDb.taskVariables(task.id, ['assignedTaskId']);
  const assignedTaskId = typeof vars.assignedTaskId === 'string' ? vars.assignedTaskId : null;
  if (!assignedTaskId) throw new ApiError(409, 'NO_ASSIGNED_TASK', 'Công việc không gắn với nhiệm vụ được giao nào.');
  await recordAudit(deps.ds.manager, {
    dossierId: null,
    action: 'ASSIGNED_TASK_FOLLOWED_UP',
    actorUserId: actor.id,
    actorRole: actor.role,
    ruleId: 'R-22',
    details: { assignedTaskId, note: data.note },
    idempotencyKey: `task:${task.id}`,
  });
  await deps.engine.complete(task.id, {});
}
