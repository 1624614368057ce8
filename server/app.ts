/** The express app: the only door people have to the engine. Built without listening (tests use port 0). */
import express, { type Request, type Response, type NextFunction } from 'express';
import path from 'node:path';
import { z } from 'zod';
import { changePasswordInput, createAuth, currentUser, requireUser, type AuthOptions, DEFAULT_AUTH_OPTIONS } from './auth.ts';
import { noStore, refuseInvalidCharacters, securityHeaders } from './http-guards.ts';
import type { ServerDeps } from './deps.ts';
import { ApiError, errorHandler, forbidden, notFound } from './errors.ts';
import { agencyParam, createDossierInput, dossierListQuery, documentInput, idParam, loginInput, reportQuery, taskListQuery, updateDossierInput, uuidParam, waiveInput } from './schemas.ts';
import { createDossier, dossierDetail, listDossiers, startDossier, updateDossier, visibleDossier } from './dossiers/service.ts';
import { guardDossierAnswers, presentTask } from './present/dossier.ts';
import { assertAcceptsDocuments, assertNoUbndWhileConsulting, LEAD_AGENCY_DOOR, saveDocuments } from './dossiers/documents.ts';
import { claimTask, listTasks, unclaimTask, visibleTask, withDossierFacts } from './tasks/service.ts';
import { completeTask, formKeyOf } from './tasks/complete.ts';
import { formSchema } from './forms/index.ts';
import { taskFormContext } from './forms/context.ts';
import { adminRoutes } from './routes/admin.ts';
import { waiveOpinion } from './dossiers/waiver.ts';
import { reportCsv } from './reports.ts';
import { agencyReport } from '../store/reports.ts';
import { canEditDossier, canReadReportsOf, canSeeConfidentialSubject, groupsOf } from '../domain/access.ts';
import { recordAudit } from '../store/audit.ts';
import { fromEngineVariables } from '../platform/engine/variables.ts';
import { processRoutes } from './routes/processes.ts';
import { eventRoutes } from './routes/events.ts';
import { officeRouter } from './routes/office.ts';
import { assignedTaskRouter } from './routes/assigned-tasks.ts';
import { uploadRouter } from './routes/uploads.ts';
import { openApiRoutes } from './openapi/index.ts';
import fs from 'node:fs';
import { vietnamYear } from '../domain/calendar.ts';
import { liveness, metricsEndpoint, readiness, requestObservability } from './observability/http.ts';


/** Express 5 forwards rejected promises to the error handler; this only types the handler. */
type Handler = (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown;
const h = (fn: Handler) => fn;

export function createApp(deps: ServerDeps, authOptions: AuthOptions = { ...DEFAULT_AUTH_OPTIONS, secureCookie: deps.config.server.secureCookie }) {
  // The API speaks Vietnamese: zod's own locale for the checks that carry no message of their own.
  z.config(z.locales.vi());
  const app = express();
  app.disable('x-powered-by');
  // Off unless TRUST_PROXY names the proxies in front: else any client picks its address by header.
  app.set('trust proxy', Array.isArray(deps.config.server.trustProxy) ? [...deps.config.server.trustProxy] : deps.config.server.trustProxy);
  // First, so every answer has its request id, log line and metrics.
  app.use(requestObservability(deps.log));
  app.use(securityHeaders({ hsts: authOptions.secureCookie }));
  const auth = createAuth(deps.ds, authOptions);
  const now = () => deps.now?.() ?? new Date();

  app.get('/health/live', liveness);
  // /health is /health/ready under its old name (scripts, compose and probes call it).
  const ready = readiness(deps);
  app.get('/health/ready', ready);
  app.get('/health', ready);
  app.get('/metrics', metricsEndpoint({ ds: deps.ds, engine: deps.engine, token: deps.config.observability.metricsToken }));

  const api = express.Router();
  api.use(noStore);
  // The session first (it reads only the cookie): no body is read for an anonymous request but a sign-in.
  api.use(auth.authenticate);
  // Documents travel base64-encoded in JSON: 10 MB files need about 14 MB of JSON, on those routes only.
  const jsonBody = { documents: express.json({ limit: '16mb', strict: true }), diagram: express.json({ limit: '5mb', strict: true }), small: express.json({ limit: '1mb', strict: true }) };
  api.use((req, res, next) => {
    if (!req.user && req.path !== '/auth/login') return next();
    const size = req.method !== 'POST' ? 'small' : /^\/(dossiers|dossiers\/[^/]+\/documents|tasks\/[^/]+\/complete)\/?$/.test(req.path) ? 'documents' : /^\/process-definitions\/?$/.test(req.path) ? 'diagram' : 'small';
    jsonBody[size](req, res, next);
  });
  api.use(refuseInvalidCharacters);
  // The API's own contract, readable without signing in (server/openapi/index.ts says why).
  api.use(openApiRoutes());

  api.post('/auth/login', h(async (req, res) => {
    const { username, password } = loginInput.parse(req.body);
    const session = await auth.login(req, res, username, password);
    res.json({ user: { ...session.user, groups: groupsOf(session.user) }, csrfToken: session.csrfToken });
  }));

  api.use(requireUser);
  // A dossier row that did not go through server/present/dossier.ts is never sent.
  api.use(guardDossierAnswers);

  api.post('/auth/logout', h(async (req, res) => {
    await auth.logout(req, res);
    res.status(204).end();
  }));

  api.post('/auth/password', h(async (req, res) => {
    const { currentPassword, newPassword } = changePasswordInput.parse(req.body);
    await auth.changePassword(req, res, currentPassword, newPassword);
    res.status(204).end();
  }));

  api.get('/auth/me', h((req, res) => {
    const user = currentUser(req);
    res.json({ user: { ...user, groups: groupsOf(user) }, csrfToken: req.csrfToken });
  }));

  api.get('/dossiers', h(async (req, res) => {
    res.json(await listDossiers(deps, currentUser(req), dossierListQuery.parse(req.query)));
  }));

  api.post('/dossiers', h(async (req, res) => {
    const dossier = await createDossier(deps, currentUser(req), createDossierInput.parse(req.body));
    // 202: stored, but the engine was away; it starts when the engine answers again.
    if (dossier.processInstanceId) res.status(201).json({ dossier });
    else res.status(202).json({ dossier, pending: { code: 'ENGINE_UNAVAILABLE', message: 'Hồ sơ đã được lưu; quy trình sẽ bắt đầu khi hệ thống xử lý quy trình hoạt động trở lại.' } });
  }));

  api.get('/dossiers/:id', h(async (req, res) => {
    res.json(await dossierDetail(deps, currentUser(req), idParam.parse(req.params.id)));
  }));

  api.patch('/dossiers/:id', h(async (req, res) => {
    res.json({ dossier: await updateDossier(deps, currentUser(req), idParam.parse(req.params.id), updateDossierInput.parse(req.body)) });
  }));

  api.post('/dossiers/:id/start', h(async (req, res) => {
    res.json({ dossier: await startDossier(deps, currentUser(req), idParam.parse(req.params.id)) });
  }));

  api.post('/dossiers/:id/documents', h(async (req, res) => {
    const user = currentUser(req);
    const d = await visibleDossier(deps, user, idParam.parse(req.params.id));
    if (!canEditDossier(user, d)) throw forbidden();
    assertAcceptsDocuments(d);
    const input = documentInput.parse(req.body);
    assertNoUbndWhileConsulting([input], deps.policy.rules);
    const ids = await deps.ds.transaction(async (m) => {
      const saved = await saveDocuments(m, d, user, [input], now(), LEAD_AGENCY_DOOR);
      await recordAudit(m, { dossierId: d.id, action: 'DOCUMENT_ADDED', actorUserId: user.id, actorRole: user.role, details: { documentId: saved[0], role: input.role } });
      return saved;
    });
    res.status(201).json({ documentId: ids[0] });
  }));

  api.get('/documents/:id/content', h(async (req, res) => {
    const user = currentUser(req);
    const id = uuidParam.parse(req.params.id);
    const rows = (await deps.ds.query('SELECT dossier_id, file_name, content_type FROM document WHERE id = $1', [id])) as {
      dossier_id: string;
      file_name: string | null;
      content_type: string | null;
    }[];
    const doc = rows[0];
    if (!doc) throw notFound('văn bản');
    const d = await visibleDossier(deps, user, doc.dossier_id);
    if (!canSeeConfidentialSubject(user, d)) throw notFound('văn bản');
    const body = (await deps.ds.query('SELECT bytes FROM document_body WHERE document_id = $1', [id])) as { bytes: Buffer }[];
    if (!body[0]) throw new ApiError(404, 'NO_FILE_BODY', 'Văn bản không có tệp điện tử (hồ sơ mật chỉ gửi bản giấy, R-19).', { rule: 'R-19' });
    res.setHeader('content-type', doc.content_type ?? 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.file_name ?? 'van-ban')}`);
    res.send(body[0].bytes);
  }));

  api.post('/dossiers/:id/opinions/:agency/waive', h(async (req, res) => {
    const body = waiveInput.parse(req.body);
    const agency = agencyParam.parse(req.params.agency);
    await waiveOpinion(deps, currentUser(req), idParam.parse(req.params.id), agency, body.reason);
    res.status(204).end();
  }));

  api.get('/tasks', h(async (req, res) => {
    res.json(await listTasks(deps, currentUser(req), taskListQuery.parse(req.query)));
  }));

  api.get('/tasks/:id', h(async (req, res) => {
    const user = currentUser(req);
    const task = await visibleTask(deps, user, idParam.parse(req.params.id));
    // The form shows why the dossier came back to this step (Task_Revise, Task_Sign, Task_Appraise…).
    const vars = fromEngineVariables(await deps.engine.taskVariables(task.id));
    const dossier = task.dossierId ? await visibleDossier(deps, user, task.dossierId) : null;
    const lastError = typeof vars.lastErrorCode === 'string' ? { code: vars.lastErrorCode, message: typeof vars.lastErrorMessage === 'string' ? vars.lastErrorMessage : '' } : null;
    // The message quotes notes and reasons: the presenter keeps it to those entitled on a secret dossier.
    const [withFacts] = await withDossierFacts(deps, user, [task]);
    res.json({ task: presentTask(user, { ...withFacts!, form: formKeyOf(task) }, dossier, lastError) });
  }));

  // The task's form-js schema (processes/forms/<formKey>.form) and the data it reads (options, conditions' facts): exactly what the server validates against.
  api.get('/tasks/:id/form', h(async (req, res) => {
    const user = currentUser(req);
    const task = await visibleTask(deps, user, idParam.parse(req.params.id));
    const formKey = formKeyOf(task);
    res.json({ formKey, schema: formSchema(formKey), data: await taskFormContext(deps, user, task) });
  }));

  api.post('/tasks/:id/claim', h(async (req, res) => {
    await claimTask(deps, currentUser(req), idParam.parse(req.params.id));
    res.status(204).end();
  }));

  api.post('/tasks/:id/unclaim', h(async (req, res) => {
    await unclaimTask(deps, currentUser(req), idParam.parse(req.params.id));
    res.status(204).end();
  }));

  api.post('/tasks/:id/complete', h(async (req, res) => {
    const { dryRun } = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict().parse(req.query);
    res.json(await completeTask(deps, currentUser(req), idParam.parse(req.params.id), req.body, { dryRun: dryRun === 'true' }));
  }));

  api.get('/reports/agencies', h(async (req, res) => {
    const user = currentUser(req);
    const q = reportQuery.parse(req.query);
    if (!canReadReportsOf(user, q.agency ?? (canReadReportsOf(user, null) ? null : user.agencyCode))) throw forbidden('Bạn không có quyền xem báo cáo này.');
    const agencyFilter = canReadReportsOf(user, null) ? (q.agency ?? null) : user.agencyCode;
    const report = await agencyReport(deps.ds, { year: q.year ?? vietnamYear(now()), agency: agencyFilter, now: now() });
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="bao-cao-${report.year}.csv"`);
      res.send(reportCsv(report));
    } else res.json(report);
  }));

  api.get('/processes', h(async (_req, res) => {
    res.json({ definitions: await deps.engine.listProcessDefinitions() });
  }));

  api.use(processRoutes(deps));
  api.use(eventRoutes(deps));
  api.use(officeRouter(deps));
  api.use(assignedTaskRouter(deps));
  api.use(uploadRouter(deps));

  api.use('/admin', adminRoutes(deps));

  api.use((_req, _res, next) => next(notFound('đường dẫn')));
  app.use('/api', api);

  // The web app (ui/dist) when built, with its pages answered by index.html; else the plain page.
  const uiDist = path.resolve(import.meta.dirname, '..', 'ui', 'dist');
  if (fs.existsSync(path.join(uiDist, 'index.html'))) {
    app.use('/assets', express.static(path.join(uiDist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(uiDist, { index: false, maxAge: 0 }));
    app.get(/^\/(?!api\/|assets\/).*/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(uiDist, 'index.html'));
    });
  }
  app.use(express.static(path.resolve(import.meta.dirname, 'public'), { index: 'index.html', maxAge: 0 }));
  app.use((_req, _res, next) => next(notFound('trang')));
  app.use(errorHandler(deps.log));
  return app;
}
