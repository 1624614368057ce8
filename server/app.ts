/** The express app: the only door people have to the engine. Built without listening (tests use port 0). */
import express from 'express';
import path from 'node:path';
import { z } from 'zod';
import { createAuth, requireUser, type AuthOptions, DEFAULT_AUTH_OPTIONS } from './auth.ts';
import { noStore, refuseInvalidCharacters, securityHeaders } from './http-guards.ts';
import type { ServerDeps } from './deps.ts';
import { errorHandler, notFound } from './errors.ts';
import { guardDossierAnswers } from './present/dossier.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { signInRoutes, sessionRoutes } from './routes/auth.ts';
import { dossierRoutes } from './routes/dossiers.ts';
import { taskRoutes } from './routes/tasks.ts';
import { reportRoutes } from './routes/reports.ts';
import { processRoutes } from './routes/processes.ts';
import { eventRoutes } from './routes/events.ts';
import { officeRouter } from './routes/office.ts';
import { assignedTaskRouter } from './routes/assigned-tasks.ts';
import { uploadRouter } from './routes/uploads.ts';
import { openApiRoutes } from './openapi/index.ts';
import fs from 'node:fs';
import { liveness, metricsEndpoint, readiness, requestObservability } from './observability/http.ts';

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

  api.use(signInRoutes(auth));

  api.use(requireUser);
  // A dossier row that did not go through server/present/dossier.ts is never sent.
  api.use(guardDossierAnswers);

  api.use(sessionRoutes(auth));
  api.use(dossierRoutes(deps));
  api.use(taskRoutes(deps));
  api.use(reportRoutes(deps));
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
