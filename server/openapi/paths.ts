/**
 * Every route of the API with its parameters, body and answers, from the same zod schemas the
 * routes parse with. test/integration/openapi.test.ts walks the mounted routes and fails on a
 * route missing here (or an entry without a route), and checks real answers against these schemas.
 */
import { z } from 'zod';
import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  agencyParam,
  createDossierInput,
  documentInput,
  dossierListQuery,
  idParam,
  loginInput,
  reportQuery,
  taskListQuery,
  updateDossierInput,
  uuidParam,
  waiveInput,
  ALLOWED_CONTENT_TYPES,
  MAX_DOCUMENT_BYTES,
} from '../schemas.ts';
import { agencyCode, agencyInput, agencyUpdate, delegationInput, delegationListQuery, legalBasisTypeInput, legalBasisTypeUpdate, matterCategoryInput, matterCategoryUpdate, newPassword, userId, userInput, userListQuery, userUpdate } from '../routes/admin/schemas.ts';
import { legalBasisTypeAnswer, legalBasisTypeParam, matterCategoryAnswer, matterCategoryParam, referenceDataAnswer } from '../routes/admin/reference-data.ts';
import { calendarDateParam, calendarDayInput, calendarDayResponse, calendarDayUpdate, calendarYearAnswer, calendarYearQuery } from '../routes/admin/calendar.ts';
import { incomingInput } from '../routes/office.ts';
import { assignedTaskInput, completeByReportInput, linkDossierInput, progressInput } from '../routes/assigned-tasks.ts';
import { changePasswordInput } from '../auth.ts';
import { formFile, MAX_BPMN_BYTES, MAX_DIAGRAM_FORMS } from '../routes/processes.ts';
import { DOCUMENT_ROLES, DOC_TYPES, MEDIA } from '../../domain/model.ts';
import * as r from './responses.ts';

type Method = RouteConfig['method'];
type Answer = { status: number; schema?: z.ZodType; description: string; contentType?: string; also?: Record<string, z.ZodType> };
type Entry = {
  method: Method;
  /** OpenAPI spelling, under /api: /dossiers/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Anyone may call it, signed in or not. */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyContentType?: string;
  answers: Answer[];
  /** Refusals besides 400 (bad input), 401 (not signed in) and 5xx (engine or database away), which every route may give. */
  errors?: number[];
};

const ERROR_MEANING: Record<number, string> = {
  400: 'Bad input (INVALID_INPUT names the field), unreadable JSON, or a malformed upload.',
  401: 'Not signed in, or the session expired (UNAUTHENTICATED); a wrong password (INVALID_CREDENTIALS).',
  403: 'Signed in but not allowed (FORBIDDEN, or the rule that forbids it); a change without the CSRF header.',
  404: 'Not found, or not visible to this user (never telling which).',
  409: 'In a state that does not allow it (already claimed, closed, not editable, already registered…).',
  413: 'Too large.',
  415: 'A file type that is not accepted.',
  422: 'Well-formed but breaks a rule of the directive (code ERR_…, rule R-nn) or of the form.',
  429: 'Too many failed sign-ins: wait (Retry-After).',
  500: 'A fault of the server; logged.',
  502: 'The engine refused what the server sent; logged.',
  503: 'The engine or the database is unreachable for now (Retry-After).',
};

const id = z.object({ id: idParam.meta({ description: 'A dossier number (HS-2026-000012) or an engine id.' }) });
const uuid = z.object({ id: uuidParam });
const definitionId = z.object({ id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).meta({ description: 'A process definition id (ho-so-trinh:3:…).' }) });
const engineId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const ok = (schema: z.ZodType, description = 'Done.'): Answer => ({ status: 200, schema, description });
const created = (schema: z.ZodType, description = 'Created.'): Answer => ({ status: 201, schema, description });
const noContent: Answer = { status: 204, description: 'Done; no body.' };

/** What a task completion carries: the fields of its form (GET /tasks/{id}/form), checked against that form. */
const formValues = z.record(z.string(), z.unknown()).meta({ description: 'The values of the task’s form-js fields, by key.' });

/** The multipart twin of the JSON document route: the file plus the same metadata as text fields. */
const documentUpload = z
  .object({
    file: z.string().meta({ format: 'binary', description: `At most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; one of ${ALLOWED_CONTENT_TYPES.join(', ')}.` }).optional(),
    role: z.enum(DOCUMENT_ROLES),
    docType: z.enum(DOC_TYPES),
    symbol: z.string().optional(),
    subject: z.string().optional(),
    medium: z.enum(MEDIA).optional(),
    kinhGui: z.string().optional().meta({ description: 'Recipients separated by ";" or new lines.' }),
    noiNhan: z.string().optional().meta({ description: 'Recipients separated by ";" or new lines.' }),
    stamped: z.enum(['true', 'false', 'on', '1']).optional(),
    initialed: z.enum(['true', 'false', 'on', '1']).optional(),
    hangingStamp: z.enum(['true', 'false', 'on', '1']).optional(),
    orgSign: z.enum(['true', 'false', 'on', '1']).optional(),
    issuerAgencyCode: agencyCode.optional(),
  })
  .strict();

/** The designer's upload (server/routes/processes.ts checks the XML itself: BPMN 2.0, executable, no DTD). */
const deployInput = z
  .object({
    xml: z.string().min(1).max(MAX_BPMN_BYTES * 2),
    fileName: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.bpmn$/).default('ho-so-trinh.bpmn'),
    forms: z
      .array(formFile)
      .max(MAX_DIAGRAM_FORMS)
      .default([])
      .meta({ description: 'Every form the diagram’s user tasks name (camunda:formRef, deployment binding), deployed with it; each checked as hostile input (422 FORM_*).' }),
  })
  .strict();

export const ROUTES: readonly Entry[] = [
  // Sign-in
  { method: 'post', path: '/auth/login', tag: 'Sign-in', summary: 'Sign in', public: true, body: loginInput, answers: [ok(r.session, 'Signed in: the session cookie is set; keep the CSRF token.')], errors: [429] },
  { method: 'post', path: '/auth/logout', tag: 'Sign-in', summary: 'Sign out', answers: [noContent] },
  { method: 'get', path: '/auth/me', tag: 'Sign-in', summary: 'The signed-in user and the CSRF token', answers: [ok(r.session)] },
  {
    method: 'post',
    path: '/auth/password',
    tag: 'Sign-in',
    summary: "Change one's own password",
    description: 'The current password is checked under the sign-in limit; the new one against the password policy (422 WEAK_PASSWORD says why). Every other session of the user ends.',
    body: changePasswordInput,
    answers: [noContent],
    errors: [403, 422, 429],
  },

  // Dossiers
  { method: 'get', path: '/dossiers', tag: 'Dossiers', summary: 'Dossiers the user may see, newest first', query: dossierListQuery, answers: [ok(r.dossierPage)] },
  {
    method: 'post',
    path: '/dossiers',
    tag: 'Dossiers',
    summary: 'Create a dossier and start its process',
    description: 'The intake rules are checked before anything is stored (422 with the rule).',
    body: createDossierInput,
    answers: [created(r.dossierCreated, 'Stored and started.'), { status: 202, schema: r.dossierCreated, description: 'Stored; the engine was away, the process starts when it answers again.' }],
    errors: [403, 413, 422],
  },
  { method: 'get', path: '/dossiers/{id}', tag: 'Dossiers', summary: 'Everything the user may know about one dossier', params: id, answers: [ok(r.dossierDetail)], errors: [404] },
  {
    method: 'patch',
    path: '/dossiers/{id}',
    tag: 'Dossiers',
    summary: 'Change the content of a dossier sent back for revision or being finalised',
    params: id,
    body: updateDossierInput,
    answers: [ok(r.dossierAnswer)],
    errors: [403, 404, 409, 422],
  },
  { method: 'post', path: '/dossiers/{id}/start', tag: 'Dossiers', summary: 'Start the process of a stored dossier (once)', params: id, answers: [ok(r.dossierAnswer)], errors: [403, 404, 409] },
  { method: 'post', path: '/dossiers/{id}/documents', tag: 'Dossiers', summary: 'Add a document (file as base64)', params: id, body: documentInput, answers: [created(r.documentCreated)], errors: [403, 404, 409, 413, 422] },
  {
    method: 'post',
    path: '/dossiers/{id}/files',
    tag: 'Dossiers',
    summary: 'Add a document (multipart upload)',
    params: id,
    body: documentUpload,
    bodyContentType: 'multipart/form-data',
    answers: [created(r.documentCreated)],
    errors: [403, 404, 409, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/dossiers/{id}/opinions/{agency}/waive',
    tag: 'Dossiers',
    summary: 'Waive the opinion of a consulted agency',
    params: z.object({ id: idParam, agency: agencyParam }),
    body: waiveInput,
    answers: [noContent],
    errors: [403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/documents/{id}/content',
    tag: 'Dossiers',
    summary: 'The file of a document',
    params: uuid,
    answers: [{ status: 200, schema: z.string().meta({ format: 'binary' }), contentType: '*/*', description: 'The bytes, with the stored content type (one of the accepted ones) and file name.' }],
    errors: [404],
  },
  { method: 'get', path: '/dossier-steps', tag: 'Dossiers', summary: 'Where the dossiers the user may see are waiting, per step', answers: [ok(r.dossierSteps)] },

  // Tasks
  { method: 'get', path: '/tasks', tag: 'Tasks', summary: 'My tasks and my groups’ claimable ones', query: taskListQuery, answers: [ok(r.taskPage)] },
  { method: 'get', path: '/tasks/{id}', tag: 'Tasks', summary: 'One task', params: id, answers: [ok(r.taskDetail)], errors: [404] },
  { method: 'get', path: '/tasks/{id}/form', tag: 'Tasks', summary: 'The task’s form (form-js) and what it reads', params: id, answers: [ok(r.taskForm)], errors: [404] },
  { method: 'post', path: '/tasks/{id}/claim', tag: 'Tasks', summary: 'Claim a task', params: id, answers: [noContent], errors: [403, 404, 409] },
  { method: 'post', path: '/tasks/{id}/unclaim', tag: 'Tasks', summary: 'Give a claimed task back', params: id, answers: [noContent], errors: [403, 404] },
  {
    method: 'post',
    path: '/tasks/{id}/complete',
    tag: 'Tasks',
    summary: 'Complete a claimed task with its form',
    params: id,
    query: z.object({ dryRun: z.enum(['true', 'false']).optional().meta({ description: 'Check the form without completing.' }) }).strict(),
    body: formValues,
    answers: [ok(r.taskCompleted)],
    errors: [403, 404, 409, 413, 422],
  },

  // Reports
  {
    method: 'get',
    path: '/reports/agencies',
    tag: 'Reports',
    summary: 'On-time figures per agency and head',
    query: reportQuery,
    answers: [{ ...ok(r.agencyReport, 'The report (JSON), or with format=csv the same figures as CSV.'), also: { 'text/csv': z.string() } }],
    errors: [403],
  },

  // Process
  { method: 'get', path: '/processes', tag: 'Process', summary: 'Process definitions (the engine’s list)', answers: [ok(r.processList)] },
  {
    method: 'get',
    path: '/process-definitions',
    tag: 'Process',
    summary: 'Every version of every process, newest first, with its deployment',
    query: z.object({ key: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).optional() }),
    answers: [ok(r.definitionList)],
  },
  { method: 'get', path: '/process-definitions/{id}/xml', tag: 'Process', summary: 'The BPMN diagram of one version', params: definitionId, answers: [ok(r.definitionXml)], errors: [404] },
  { method: 'get', path: '/process-definitions/{id}/forms', tag: 'Process', summary: 'The forms deployed with one version (a refused one without its schema)', params: definitionId, answers: [ok(r.definitionForms)], errors: [404] },
  {
    method: 'post',
    path: '/process-definitions',
    tag: 'Process',
    summary: 'Propose a new version of a diagram (designers); someone else approves it',
    body: deployInput,
    answers: [created(r.proposalAnswer)],
    errors: [403, 413, 422],
  },
  { method: 'get', path: '/deployment-proposals', tag: 'Process', summary: 'Proposals of new diagram versions (designers and approvers)', answers: [ok(r.proposalList)], errors: [403] },
  { method: 'get', path: '/deployment-proposals/{id}', tag: 'Process', summary: 'One proposal with its XML', params: uuid, answers: [ok(r.proposalDetail)], errors: [403, 404] },
  {
    method: 'post',
    path: '/deployment-proposals/{id}/approve',
    tag: 'Process',
    summary: 'Approve and deploy a proposal (not its own designer)',
    params: uuid,
    body: z.object({}).strict(),
    answers: [ok(r.proposalApproved)],
    errors: [403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/deployment-proposals/{id}/reject',
    tag: 'Process',
    summary: 'Reject a proposal, with the reason',
    params: uuid,
    body: z.object({ reason: z.string().trim().min(3).max(2000) }).strict(),
    answers: [ok(r.proposalAnswer)],
    errors: [403, 404, 409],
  },
  { method: 'get', path: '/process-definitions/{id}/statistics', tag: 'Process', summary: 'Per activity: waiting, incidents, overdue, average time', params: definitionId, answers: [ok(r.definitionStatistics)], errors: [403, 404] },
  { method: 'get', path: '/incidents', tag: 'Process', summary: 'Open incidents (operators)', answers: [ok(r.incidentList)], errors: [403] },
  { method: 'post', path: '/incidents/{id}/retry', tag: 'Process', summary: 'Retry the failed step of an incident (operators)', params: engineId, answers: [noContent], errors: [403, 404, 409] },

  // Live updates
  {
    method: 'get',
    path: '/events',
    tag: 'Live updates',
    summary: 'Server-sent events of the dossiers the user may see',
    answers: [{ status: 200, schema: z.string(), contentType: 'text/event-stream', description: 'event: dossier|task, data: {"type","action","dossierId"?,"taskId"?}.' }],
  },

  // The Office
  {
    method: 'post',
    path: '/incoming-documents',
    tag: 'Office',
    summary: 'Register a document co-addressed to agencies (R-23)',
    body: incomingInput,
    answers: [created(r.incomingRegistered, 'Registered; proactive handling started.'), ok(r.incomingRegistered, 'Registered before; its handling started now.')],
    errors: [403, 409],
  },
  {
    method: 'post',
    path: '/incoming-documents/{id}/ubnd-instruction',
    tag: 'Office',
    summary: 'Record UBND’s own instruction on an incoming document',
    params: uuid,
    body: z.object({ at: z.string().datetime({ offset: true }).optional() }).strict(),
    answers: [noContent],
    errors: [403, 404],
  },
  { method: 'get', path: '/incoming-documents', tag: 'Office', summary: 'Incoming documents and their handling per agency', answers: [ok(r.incomingList)] },
  // Tasks UBND assigns
  {
    method: 'post',
    path: '/assigned-tasks',
    tag: 'Assigned tasks',
    summary: 'Register a task UBND or its Chairman assigned, from its document; starts its process (deadline, reminder, overdue escalation)',
    body: assignedTaskInput,
    answers: [created(r.assignedTask, 'Registered; its process started.'), ok(r.assignedTask, 'Registered before (same document, agency and content).')],
    errors: [403, 422],
  },
  {
    method: 'get',
    path: '/assigned-tasks',
    tag: 'Assigned tasks',
    summary: 'Assigned tasks, open first by deadline: every agency’s for the Office and UBND (optionally one), else the user’s agency’s',
    query: z.object({ agency: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/).optional() }),
    answers: [ok(r.assignedTaskList)],
  },
  { method: 'get', path: '/assigned-tasks/{id}', tag: 'Assigned tasks', summary: 'An assigned task and its progress reports', params: uuid, answers: [ok(r.assignedTaskDetail)], errors: [404] },
  {
    method: 'post',
    path: '/assigned-tasks/{id}/progress',
    tag: 'Assigned tasks',
    summary: 'Report progress (the assignee agency)',
    params: uuid,
    body: progressInput,
    answers: [created(r.created)],
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/assigned-tasks/{id}/dossiers',
    tag: 'Assigned tasks',
    summary: 'Link an unsigned dossier of the assignee agency that carries the task out (R-07 follows from the task); it completes the task when the Office accepts it',
    params: uuid,
    body: linkDossierInput,
    answers: [noContent],
    errors: [403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/assigned-tasks/{id}/complete',
    tag: 'Assigned tasks',
    summary: 'Complete the task by a report of its result (the assignee agency’s leaders)',
    params: uuid,
    body: completeByReportInput,
    answers: [ok(r.assignedTaskAnswer)],
    errors: [403, 404, 409],
  },


  // Organisation
  { method: 'get', path: '/admin/agencies', tag: 'Organisation', summary: 'Agencies', answers: [ok(r.agencyList)] },
  { method: 'post', path: '/admin/agencies', tag: 'Organisation', summary: 'Create an agency (administrators)', body: agencyInput, answers: [created(r.agencyAnswer)], errors: [403, 409, 422] },
  {
    method: 'patch',
    path: '/admin/agencies/{code}',
    tag: 'Organisation',
    summary: 'Change an agency (administrators)',
    params: z.object({ code: agencyCode }),
    body: agencyUpdate,
    answers: [ok(r.agencyAnswer)],
    errors: [403, 404, 422],
  },
  { method: 'get', path: '/admin/calendar', tag: 'Organisation', summary: 'Public holidays and make-up working days of a year', query: calendarYearQuery, answers: [ok(calendarYearAnswer)], errors: [422] },
  {
    method: 'post',
    path: '/admin/calendar',
    tag: 'Organisation',
    summary: 'Add a holiday or make-up working day (administrators)',
    description: 'Deadlines computed after the change count with it; deadlines already set stay.',
    body: calendarDayInput,
    answers: [created(calendarDayResponse)],
    errors: [403, 409, 422],
  },
  { method: 'patch', path: '/admin/calendar/{date}', tag: 'Organisation', summary: 'Change a calendar day (administrators)', params: calendarDateParam, body: calendarDayUpdate, answers: [ok(calendarDayResponse)], errors: [403, 404, 422] },
  { method: 'delete', path: '/admin/calendar/{date}', tag: 'Organisation', summary: 'Remove a calendar day (administrators)', params: calendarDateParam, answers: [noContent], errors: [403, 404, 422] },
  { method: 'get', path: '/admin/users', tag: 'Organisation', summary: 'Users (administrators; a head: their agency’s)', query: userListQuery, answers: [ok(r.userPage)], errors: [403] },
  { method: 'post', path: '/admin/users', tag: 'Organisation', summary: 'Create a user (administrators)', body: userInput, answers: [created(r.userAnswer)], errors: [403, 409, 422] },
  {
    method: 'patch',
    path: '/admin/users/{id}',
    tag: 'Organisation',
    summary: 'Change a user (administrators)',
    params: z.object({ id: userId }),
    body: userUpdate,
    answers: [ok(r.userAnswer)],
    errors: [403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/admin/users/{id}/password',
    tag: 'Organisation',
    summary: 'Set a user’s password; their sessions end (administrators)',
    params: z.object({ id: userId }),
    body: z.object({ password: newPassword }).strict(),
    answers: [noContent],
    errors: [403, 404],
  },
  { method: 'get', path: '/admin/delegations', tag: 'Organisation', summary: 'Signing delegations (R-06)', query: delegationListQuery, answers: [ok(r.delegationList)], errors: [403] },
  { method: 'post', path: '/admin/delegations', tag: 'Organisation', summary: 'Grant a deputy the signing (heads, R-06)', body: delegationInput, answers: [created(r.delegationAnswer)], errors: [403, 422] },
  { method: 'post', path: '/admin/delegations/{id}/revoke', tag: 'Organisation', summary: 'Revoke a delegation', params: uuid, answers: [ok(r.delegationAnswer)], errors: [404] },
  { method: 'get', path: '/admin/reference-data', tag: 'Organisation', summary: 'Matter categories with their competent authority (R-01) and legal-basis types (R-16): those in use; administrators also the retired ones', answers: [ok(referenceDataAnswer)] },
  { method: 'post', path: '/admin/matter-categories', tag: 'Organisation', summary: 'Add a matter category (administrators)', body: matterCategoryInput, answers: [created(matterCategoryAnswer)], errors: [403, 409, 422] },
  { method: 'patch', path: '/admin/matter-categories/{code}', tag: 'Organisation', summary: 'Change or retire (active: false) a matter category (administrators; the code is URL-encoded)', params: matterCategoryParam, body: matterCategoryUpdate, answers: [ok(matterCategoryAnswer)], errors: [403, 404, 422] },
  { method: 'post', path: '/admin/legal-basis-types', tag: 'Organisation', summary: 'Add a legal-basis type (administrators)', body: legalBasisTypeInput, answers: [created(legalBasisTypeAnswer)], errors: [403, 409, 422] },
  { method: 'patch', path: '/admin/legal-basis-types/{code}', tag: 'Organisation', summary: 'Change or retire (active: false) a legal-basis type (administrators)', params: legalBasisTypeParam, body: legalBasisTypeUpdate, answers: [ok(legalBasisTypeAnswer)], errors: [403, 404, 422] },

  // This document
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Contract',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    answers: [ok(z.record(z.string(), z.unknown()), 'The document.')],
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Contract',
    summary: 'This document as a readable page',
    public: true,
    answers: [{ status: 200, schema: z.string(), contentType: 'text/html', description: 'HTML.' }],
  },
];

const errorContent = { 'application/json': { schema: r.apiErrorBody } };

/** The registry the document is generated from. */
export function apiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'hst_sid', description: 'Set by POST /auth/login; http-only, SameSite=Strict.' });
  registry.registerComponent('securitySchemes', 'csrf', { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The csrfToken of the session; required on every change (POST, PATCH).' });
  for (const e of ROUTES) {
    const responses: RouteConfig['responses'] = {};
    for (const a of e.answers) {
      const also = Object.fromEntries(Object.entries(a.also ?? {}).map(([type, schema]) => [type, { schema }]));
      responses[a.status] = { description: a.description, ...(a.schema ? { content: { [a.contentType ?? 'application/json']: { schema: a.schema }, ...also } } : {}) };
    }
    const errors = [...new Set([400, ...(e.public ? [] : [401]), ...(e.errors ?? []), 500, 503])].sort((a, b) => a - b);
    for (const status of errors) responses[status] = { description: ERROR_MEANING[status] ?? 'Refused.', content: errorContent };
    registry.registerPath({
      method: e.method,
      path: e.path,
      tags: [e.tag],
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      security: e.public ? [] : e.method === 'get' ? [{ session: [] }] : [{ session: [], csrf: [] }],
      request: {
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(e.body ? { body: { required: true, content: { [e.bodyContentType ?? 'application/json']: { schema: e.body } } } } : {}),
      },
      responses,
    });
  }
  return registry;
}

/** The zod schema of one answer, for the contract test. */
export function answerSchema(method: string, path: string, status: number): z.ZodType | undefined {
  const e = ROUTES.find((x) => x.method === method.toLowerCase() && x.path === path);
  return e?.answers.find((a) => a.status === status)?.schema ?? (status >= 400 && e ? r.apiErrorBody : undefined);
}
