/**
 * Process definitions for the web app: versions, their XML, a designer's proposal of a new version
 * and its approval by someone else (four eyes; only approval deploys),
 * per-activity statistics for the heatmap, incidents and their retry.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, forbidden, notFound } from '../errors.ts';
import { EngineError, type Incident, type ProcessDefinition } from '../../platform/engine/client.ts';
import { engineDate } from '../../platform/engine/variables.ts';
import { canApproveDeployment, canDeploy, canOperate, canSeeConfidentialSubject, canSeeDefinitionStatistics, canSeeDossier } from '../../domain/access.ts';
import { recordAudit } from '../../store/audit.ts';
import { dossierIdOfInstance, dossiersOfInstances } from '../../store/dossiers.ts';
import { inTransaction } from '../../store/transaction.ts';
import { describeViolation, executableProcessIds, findExecutableCode, userTaskForms } from '../../domain/diagram-guard.ts';
import { approveProposal, getProposal, listProposals, proposalXml, proposeDeployment, rejectProposal, xmlDiff, type LockedProposal, type ProposedForm, type XmlDiff } from '../../store/deployment-proposals.ts';
import { checkFormText, type FormProblem } from '../../domain/form-guard.ts';
import { builtInForm, isFormKey, taskFormProblems } from '../forms/index.ts';

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown;
const h = (fn: Handler) => fn;

/** The largest diagram a designer may upload (ours is about 60 kB). */
export const MAX_BPMN_BYTES = 2 * 1024 * 1024;
const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** The most forms one diagram is proposed with (ours has 12). */
export const MAX_DIAGRAM_FORMS = 40;
const FORM_FILE_NAME = /^([a-z][a-z0-9-]{0,63})\.form$/;

/** A form proposed with its diagram: the file name is its id. The text's own size is the guard's to refuse, with its message. */
export const formFile = z
  .object({
    name: z.string().regex(FORM_FILE_NAME, 'tên tệp biểu mẫu phải là <mã biểu mẫu>.form (chữ thường, số, gạch ngang)'),
    content: z.string().max(MAX_BPMN_BYTES * 2),
  })
  .strict();

const definitionId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'mã định nghĩa không hợp lệ');
const engineId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'mã không hợp lệ');


/** Refuses what is not a BPMN 2.0 diagram, and any DTD or entity (XXE, billion laughs). */
export function checkBpmnXml(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > MAX_BPMN_BYTES) throw new ApiError(413, 'BPMN_TOO_LARGE', 'Sơ đồ vượt quá 2 MB.', { field: 'xml' });
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ApiError(422, 'BPMN_DOCTYPE', 'Sơ đồ không được chứa DOCTYPE hoặc ENTITY.', { field: 'xml' });
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.-]*:)?definitions\b([^>]*)>/.exec(xml);
  if (!root || !root[2]!.includes(BPMN_MODEL_NS)) throw new ApiError(422, 'NOT_BPMN', 'Tệp không phải sơ đồ BPMN 2.0 (thiếu phần tử definitions).', { field: 'xml' });
  if (!/<([A-Za-z_][\w.-]*:)?process\b[^>]*\bisExecutable="true"/.test(xml)) {
    throw new ApiError(422, 'BPMN_NOT_EXECUTABLE', 'Sơ đồ không có quy trình nào được đánh dấu thực thi (isExecutable).', { field: 'xml' });
  }
  // Diagrams are data, never code: the engine would run scripts, classes and method calls as its own user.
  const code = findExecutableCode(xml);
  if (code.length) {
    throw new ApiError(422, 'BPMN_EXECUTABLE_CODE', describeViolation(code[0]!), {
      field: 'xml',
      details: code.slice(0, 50).map((v) => ({ kind: v.kind, elementId: v.elementId, line: v.line, detail: v.detail })),
    });
  }
}

/**
 * Refuses forms that are not ones the server can run, and a diagram whose user tasks do not each
 * name, bound by deployment, a form sent with it (the engine would find none): 422, the code of the
 * first problem and a Vietnamese message naming the form and the component, every problem in details.
 */
export function checkDiagramForms(xml: string, forms: readonly ProposedForm[]): void {
  const refuse = (p: FormProblem, field: string, details: FormProblem[] = [p]): never => {
    throw new ApiError(422, p.code, p.message, { field, details: details.slice(0, 50) });
  };
  const names = new Set<string>();
  forms.forEach((f, i) => {
    const id = FORM_FILE_NAME.exec(f.name)![1]!;
    if (names.has(f.name)) refuse({ code: 'FORM_KEY_DUPLICATE', message: `Biểu mẫu ${f.name} được gửi hai lần.` }, `forms.${i}`);
    names.add(f.name);
    const parsed = checkFormText(f.content);
    let { problems } = parsed;
    if (!problems.length && (parsed.schema as { id?: unknown }).id !== id) {
      problems = [{ code: 'FORM_ID_INVALID', message: `mã biểu mẫu (id) phải là "${id}", như tên tệp.` }];
    }
    if (!problems.length) problems = taskFormProblems(id, parsed.schema, isFormKey(id) ? builtInForm(id) : undefined).problems;
    const named = problems.map((p) => ({ ...p, message: `Biểu mẫu ${f.name}: ${p.message}` }));
    if (named.length) refuse(named[0]!, `forms.${i}`, named);
  });
  const used = new Set<string>();
  for (const [taskId, ref] of userTaskForms(xml)) {
    if (ref === null) return refuse({ code: 'FORM_MISSING', message: `Công việc ${taskId} chưa có biểu mẫu (formRef).` }, 'xml');
    if (ref.binding === null) refuse({ code: 'FORM_MISSING', message: `Công việc ${taskId}: dùng formRef thay cho formKey, để biểu mẫu được triển khai cùng sơ đồ.` }, 'xml');
    if (ref.binding !== 'deployment') {
      refuse({ code: 'FORM_BINDING', message: `Công việc ${taskId}: biểu mẫu ${ref.key} phải gắn theo lần triển khai (formRefBinding="deployment").` }, 'xml');
    }
    if (!names.has(`${ref.key}.form`)) refuse({ code: 'FORM_MISSING', message: `Công việc ${taskId}: biểu mẫu ${ref.key} không được gửi kèm sơ đồ.` }, 'xml');
    used.add(`${ref.key}.form`);
  }
  forms.forEach((f, i) => {
    if (!used.has(f.name)) refuse({ code: 'FORM_UNUSED', message: `Biểu mẫu ${f.name} không được công việc nào của sơ đồ dùng.` }, `forms.${i}`);
  });
}

/** The line difference of each form from the version deployed with the base definition, after the diagram's. */
function withFormDiffs(diff: XmlDiff, before: ReadonlyMap<string, string>, forms: readonly ProposedForm[]): XmlDiff {
  const lines = [...diff.lines];
  let { added, removed } = diff;
  for (const f of forms) {
    const d = xmlDiff(before.get(f.name) ?? '', f.content);
    if (d.added + d.removed === 0) continue;
    lines.push(`@@ ${f.name}`, ...d.lines);
    added += d.added;
    removed += d.removed;
  }
  return { added, removed, lines: lines.slice(0, 2000) };
}

type Stat = { activityId: string; instances: number; incidents: number; overdue: number; avgDurationMs: number | null; completed: number };

export function processRoutes(deps: ServerDeps) {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  async function definition(id: string): Promise<ProcessDefinition> {
    try {
      return await deps.engine.getProcessDefinition(id);
    } catch (err) {
      if (err instanceof EngineError && (err.status === 404 || err.status === 400)) throw notFound(`quy trình ${id}`);
      throw err;
    }
  }

  // Every version of every process, newest first, with when it was deployed.
  r.get('/processes', h(async (_req, res) => {
    res.json({ definitions: await deps.engine.listProcessDefinitions() });
  }));

  r.get('/process-definitions', h(async (req, res) => {
    const key = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).optional().parse(req.query.key);
    const defs = await deps.engine.listProcessDefinitions(key ? { key } : {});
    const deployments = await Promise.all(
      [...new Set(defs.map((d) => d.deploymentId))].map((id) =>
        deps.engine.request<{ id: string; name: string | null; deploymentTime: string; source: string | null }>('GET', `/deployment/${encodeURIComponent(id)}`).catch(() => null),
      ),
    );
    const byId = new Map(deployments.filter((d) => d !== null).map((d) => [d.id, d]));
    res.json({
      definitions: defs.map((d) => ({
        id: d.id,
        key: d.key,
        name: d.name,
        version: d.version,
        versionTag: d.versionTag,
        resource: d.resource,
        deploymentId: d.deploymentId,
        deploymentName: byId.get(d.deploymentId)?.name ?? null,
        deploymentTime: byId.get(d.deploymentId)?.deploymentTime ?? null,
        source: byId.get(d.deploymentId)?.source ?? null,
      })),
    });
  }));

  // The diagram of one version; diagrams are not secret, whoever is signed in may read them.
  r.get('/process-definitions/:id/xml', h(async (req, res) => {
    const def = await definition(definitionId.parse(req.params.id));
    res.json({ id: def.id, key: def.key, version: def.version, xml: await deps.engine.getProcessDefinitionXml(def.id) });
  }));

  /** The forms deployed with a definition, by file name, each as text: the first MAX_DIAGRAM_FORMS of them, as many as a proposal may carry. */
  async function deployedForms(def: ProcessDefinition): Promise<Map<string, string>> {
    const resources = (await deps.engine.deploymentResources(def.deploymentId)).filter((x) => FORM_FILE_NAME.test(x.name)).slice(0, MAX_DIAGRAM_FORMS);
    const texts = await Promise.all(resources.map((x) => deps.engine.deploymentResourceText(def.deploymentId, x.id)));
    return new Map(resources.map((x, i) => [x.name, texts[i]!]));
  }

  // The forms deployed with one version, for the designer's form editor: each checked as any form is, a refused one without its schema.
  r.get('/process-definitions/:id/forms', h(async (req, res) => {
    const def = await definition(definitionId.parse(req.params.id));
    const forms = [...(await deployedForms(def))].map(([name, text]) => {
      const { schema, problems } = checkFormText(text);
      return { name, schema: problems.length ? null : (schema as Record<string, unknown>), problems: problems.map((p) => ({ code: p.code, message: p.message })) };
    });
    res.json({ id: def.id, forms });
  }));

  // A designer proposes the diagram edited in the modeller, with its forms; it is deployed only once someone else approves it.
  r.post('/process-definitions', h(async (req, res) => {
    const user = currentUser(req);
    if (!canDeploy(user)) throw forbidden('Chỉ người thiết kế quy trình được đề xuất triển khai sơ đồ.');
    const body = z
      .object({
        xml: z.string().min(1).max(MAX_BPMN_BYTES * 2),
        fileName: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.bpmn$/, 'tên tệp phải kết thúc bằng .bpmn').default('ho-so-trinh.bpmn'),
        forms: z.array(formFile).max(MAX_DIAGRAM_FORMS, `tối đa ${MAX_DIAGRAM_FORMS} biểu mẫu`).default([]),
      })
      .strict()
      .parse(req.body);
    checkBpmnXml(body.xml);
    checkDiagramForms(body.xml, body.forms);
    const processKeys = executableProcessIds(body.xml);
    if (processKeys.length === 0) throw new ApiError(422, 'BPMN_NOT_EXECUTABLE', 'Sơ đồ không có quy trình nào được đánh dấu thực thi (isExecutable).', { field: 'xml' });
    // The difference is taken from the version now deployed under the first key, so the approver reads what would change.
    const [base] = await deps.engine.listProcessDefinitions({ key: processKeys[0]!, latestVersion: true });
    const baseXml = base ? await deps.engine.getProcessDefinitionXml(base.id) : '';
    const baseForms = base ? await deployedForms(base) : new Map<string, string>();
    const proposal = await proposeDeployment(
      deps.ds,
      { fileName: body.fileName, processKeys, xml: body.xml, forms: body.forms, baseDefinitionId: base?.id ?? null, diff: withFormDiffs(xmlDiff(baseXml, body.xml), baseForms, body.forms) },
      { userId: user.id, role: user.role },
    );
    res.status(201).json({ proposal });
  }));

  const proposalId = z.string().uuid('mã đề xuất không hợp lệ');
  const mayReadProposals = (user: ReturnType<typeof currentUser>) => canDeploy(user) || canApproveDeployment(user);

  // Proposals with their difference from the deployed version: for designers and approvers.
  r.get('/deployment-proposals', h(async (req, res) => {
    if (!mayReadProposals(currentUser(req))) throw forbidden();
    res.json({ proposals: await listProposals(deps.ds) });
  }));

  r.get('/deployment-proposals/:id', h(async (req, res) => {
    if (!mayReadProposals(currentUser(req))) throw forbidden();
    const id = proposalId.parse(req.params.id);
    const proposal = await getProposal(deps.ds, id);
    if (!proposal) throw notFound(`đề xuất ${id}`);
    res.json({ proposal, xml: await proposalXml(deps.ds, id) });
  }));

  /** Refuses a decision by `user` on a proposal that is gone, their own or already decided. */
  function decidable(p: LockedProposal | null, id: string, user: ReturnType<typeof currentUser>): LockedProposal {
    if (!p) throw notFound(`đề xuất ${id}`);
    if (p.proposedBy === user.id) throw new ApiError(403, 'OWN_PROPOSAL', 'Người đề xuất không được tự phê duyệt hoặc từ chối đề xuất của mình.');
    if (p.status !== 'PROPOSED') throw new ApiError(409, 'PROPOSAL_DECIDED', 'Đề xuất này đã được quyết định.');
    return p;
  }

  // The second pair of eyes: only approval deploys, and the proposal, the decision and the deployment are one record.
  r.post('/deployment-proposals/:id/approve', h(async (req, res) => {
    const user = currentUser(req);
    if (!canApproveDeployment(user)) throw forbidden('Chỉ Chánh Văn phòng hoặc quản trị hệ thống được phê duyệt triển khai quy trình.');
    const id = proposalId.parse(req.params.id);
    z.object({}).strict().parse(req.body ?? {});
    const result = await approveProposal(deps.ds, id, { userId: user.id, role: user.role }, async (locked) => {
      const p = decidable(locked, id, user);
      // Checked again at approval: the rules may have grown since the proposal was stored.
      checkBpmnXml(p.xml);
      checkDiagramForms(p.xml, p.forms);
      let deployment;
      try {
        // The diagram and its forms in one deployment: its tasks bind their forms by deployment.
        deployment = await deps.engine.deploy(`designer:${p.fileName}`, [{ name: p.fileName, content: p.xml }, ...p.forms], false, `proposal:${id}`);
      } catch (err) {
        if (err instanceof EngineError && err.status >= 400 && err.status < 500) {
          throw new ApiError(422, 'DEPLOY_REFUSED', `Hệ thống quy trình từ chối sơ đồ: ${err.message.slice(0, 1000)}`);
        }
        throw err;
      }
      const definitions = Object.values(deployment.deployedProcessDefinitions ?? {}).map((d) => ({ id: d.id, key: d.key, version: d.version }));
      return { deploymentId: deployment.id, definitions };
    });
    res.json({ proposal: await getProposal(deps.ds, id), ...result });
  }));

  r.post('/deployment-proposals/:id/reject', h(async (req, res) => {
    const user = currentUser(req);
    if (!canApproveDeployment(user)) throw forbidden('Chỉ Chánh Văn phòng hoặc quản trị hệ thống được từ chối đề xuất triển khai.');
    const id = proposalId.parse(req.params.id);
    const { reason } = z.object({ reason: z.string().trim().min(3, 'cần nêu lý do từ chối').max(2000) }).strict().parse(req.body);
    await rejectProposal(deps.ds, id, { userId: user.id, role: user.role }, reason, (locked) => decidable(locked, id, user));
    res.json({ proposal: await getProposal(deps.ds, id) });
  }));

  // Per activity: dossiers waiting there, incidents, overdue user tasks and the average time spent.
  r.get('/process-definitions/:id/statistics', h(async (req, res) => {
    const user = currentUser(req);
    if (!canSeeDefinitionStatistics(user)) throw forbidden();
    const def = await definition(definitionId.parse(req.params.id));
    const [running, finished, overdueTasks] = await Promise.all([
      deps.engine.definitionStatistics(def.id),
      deps.engine.request<{ activityId: string; durationInMillis: number | null; canceled: boolean }[]>('GET', '/history/activity-instance', undefined, {
        processDefinitionId: def.id,
        finished: true,
        maxResults: 20_000,
      }),
      deps.engine.request<{ taskDefinitionKey: string }[]>('POST', '/task', { processDefinitionId: def.id, dueBefore: engineDate(now()) }, { maxResults: 5000 }),
    ]);
    const stats = new Map<string, Stat & { total: number }>();
    const at = (id: string) => {
      let s = stats.get(id);
      if (!s) stats.set(id, (s = { activityId: id, instances: 0, incidents: 0, overdue: 0, avgDurationMs: null, completed: 0, total: 0 }));
      return s;
    };
    for (const s of running) {
      const x = at(s.id);
      x.instances = s.instances;
      x.incidents = s.incidents.reduce((n, i) => n + i.incidentCount, 0);
    }
    for (const a of finished) {
      if (a.durationInMillis === null || a.canceled) continue;
      const x = at(a.activityId);
      x.completed += 1;
      x.total += a.durationInMillis;
    }
    for (const t of overdueTasks) at(t.taskDefinitionKey).overdue += 1;
    res.json({
      definition: { id: def.id, key: def.key, version: def.version, name: def.name },
      activities: [...stats.values()].map(({ total, ...s }) => ({ ...s, avgDurationMs: s.completed ? Math.round(total / s.completed) : null })),
    });
  }));

  r.get('/incidents', h(async (req, res) => {
    if (!canOperate(currentUser(req))) throw forbidden();
    const incidents = await deps.engine.request<(Incident & { processDefinitionId: string | null })[]>('GET', '/incident', undefined, { maxResults: 500, sortBy: 'incidentTimestamp', sortOrder: 'desc' });
    const ids = [...new Set(incidents.map((i) => i.processInstanceId))];
    const dossierOf = new Map((await dossiersOfInstances(deps.ds, ids)).map((x) => [x.processInstanceId, x]));
    const user = currentUser(req);
    // A failure's message may quote what a secret dossier says: only for those cleared to read it.
    const messageFor = (i: Incident) => {
      const d = dossierOf.get(i.processInstanceId);
      return !d || canSeeConfidentialSubject(user, d) ? i.incidentMessage : null;
    };
    res.json({
      items: incidents.map((i) => ({
        id: i.id,
        type: i.incidentType,
        message: messageFor(i),
        at: i.incidentTimestamp,
        activityId: i.activityId,
        processInstanceId: i.processInstanceId,
        processDefinitionId: i.processDefinitionId ?? null,
        dossierId: dossierOf.get(i.processInstanceId)?.id ?? null,
      })),
    });
  }));

  // Retry: give the failed external task (or job) its retries back; the engine resolves the incident.
  r.post('/incidents/:id/retry', h(async (req, res) => {
    const user = currentUser(req);
    if (!canOperate(user)) throw forbidden();
    const id = engineId.parse(req.params.id);
    const found = await deps.engine.request<Incident[]>('GET', '/incident', undefined, { incidentId: id });
    const incident = found[0];
    if (!incident) throw notFound(`sự cố ${id}`);
    if (!incident.configuration) throw new ApiError(409, 'NOT_RETRYABLE', 'Sự cố này không thử lại được.');
    if (incident.incidentType === 'failedExternalTask') await deps.engine.setExternalTaskRetries(incident.configuration, 3);
    else if (incident.incidentType === 'failedJob') await deps.engine.request('PUT', `/job/${encodeURIComponent(incident.configuration)}/retries`, { retries: 3 });
    else throw new ApiError(409, 'NOT_RETRYABLE', `Sự cố loại ${incident.incidentType} không thử lại được.`);
    const dossierId = await dossierIdOfInstance(deps.ds, incident.processInstanceId);
    await inTransaction(deps.ds, (m) => recordAudit(m, { dossierId, action: 'INCIDENT_RETRIED', actorUserId: user.id, actorRole: user.role, details: { incidentId: id, activityId: incident.activityId } }));
    if (dossierId) deps.events.publish({ type: 'dossier', dossierId, action: 'RETRIED' });
    res.status(204).end();
  }));

  // Where the dossiers the user may see are waiting: per step, their ids (the dossier list's step filter).
  r.get('/dossier-steps', h(async (req, res) => {
    const user = currentUser(req);
    const open = await deps.engine.request<{ activityId: string; activityName: string | null; activityType: string; processInstanceId: string }[]>(
      'GET',
      '/history/activity-instance',
      undefined,
      { unfinished: true, maxResults: 20_000 },
    );
    // Only instances of our dossiers count (the join below); scopes are not steps.
    const waiting = open.filter((a) => !['subProcess', 'multiInstanceBody', 'processDefinition'].includes(a.activityType));
    const ids = [...new Set(waiting.map((a) => a.processInstanceId))];
    const visible = new Map(
      (await dossiersOfInstances(deps.ds, ids)).filter((d) => canSeeDossier(user, d)).map((d) => [d.processInstanceId, d.id]),
    );
    const steps = new Map<string, { activityId: string; name: string | null; dossierIds: Set<string> }>();
    for (const a of waiting) {
      const dossierId = visible.get(a.processInstanceId);
      if (!dossierId) continue;
      let s = steps.get(a.activityId);
      if (!s) steps.set(a.activityId, (s = { activityId: a.activityId, name: a.activityName, dossierIds: new Set() }));
      s.dossierIds.add(dossierId);
    }
    res.json({ steps: [...steps.values()].map((s) => ({ activityId: s.activityId, name: s.name, dossierIds: [...s.dossierIds] })).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')) });
  }));

  return r;
}
