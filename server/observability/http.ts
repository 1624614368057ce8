/**
 * What the server adds around every request for operators: a request id (a well-formed incoming
 * `x-request-id`, else a new one, echoed in the answer), a JSON log line per request (pino-http),
 * the request's context for the engine calls it makes, and its metrics by route pattern; then the
 * `/metrics` and `/health/*` endpoints.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { fromPino, type Logger } from '../../platform/log.ts';
import type { EngineClient } from '../../platform/engine/client.ts';
import { ApiError, notFound } from '../errors.ts';
import { REQUEST_ID_HEADER, requestIdFrom, runInContext } from '../../platform/observability/context.ts';
import { refreshScrapedFigures, serverMetrics, within } from '../../platform/observability/metrics.ts';
import { pingDatabase } from '../../store/data-source.ts';

const MATCHED = Symbol('matchedRoute');
type Tracked = IncomingMessage & { [MATCHED]?: string };

/**
 * Remembers the route pattern the request matched, with the routers' mount points before it, at
 * the moment express matches it: by the time an error reaches the app's handler express has
 * already unwound `baseUrl`.
 */
function trackRoute(req: Request): void {
  let route: { path?: unknown } | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      const path = value?.path;
      (req as Tracked)[MATCHED] = `${req.baseUrl}${typeof path === 'string' ? path : '(pattern)'}`;
    },
  });
}

/** The route pattern a request matched ("/api/dossiers/:id"), never its raw URL. */
export function routeOf(req: IncomingMessage): string {
  return (req as Tracked)[MATCHED] ?? '(no route)';
}

const QUIET_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);
const LOGIN_ROUTE = '/api/auth/login';

/** The middleware to mount first: request id, request log, context, metrics. */
export function requestObservability(log: Logger): RequestHandler[] {
  const metrics = serverMetrics();
  const measure: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    trackRoute(req);
    res.once('close', () => {
      const route = routeOf(req);
      // A response cut off before its end (a client gone, a live-events stream closed) counts apart.
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      const labels = { method: req.method, route, status };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (route === LOGIN_ROUTE && req.method === 'POST' && (res.statusCode === 401 || res.statusCode === 429)) {
        metrics.signInFailures.inc({ reason: res.statusCode === 429 ? 'throttled' : 'invalid_credentials' });
      }
    });
    next();
  };
  const httpLog = pinoHttp<IncomingMessage, ServerResponse>({
    logger: log.pino,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged through req.log carry the request id only; the request itself is on its last line.
    quietReqLogger: true,
    // No headers (cookies, CSRF tokens, credentials) and no query string (search terms): method, path, status.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req) => ((req as Tracked)[MATCHED] ? { route: routeOf(req) } : {}),
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      return QUIET_ROUTES.has(routeOf(req)) && res.statusCode < 400 ? 'silent' : 'info';
    },
  });
  const context: RequestHandler = (req, _res, next) => {
    runInContext({ requestId: String(req.id), log: fromPino(req.log) }, next);
  };
  return [measure, httpLog, context];
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The Prometheus text of the server's registry, with the figures read at scrape refreshed first. */
export async function serverMetricsText(deps: { ds: DataSource; engine: EngineClient }): Promise<{ contentType: string; text: string }> {
  await refreshScrapedFigures(deps);
  const { registry } = serverMetrics();
  return { contentType: registry.contentType, text: await registry.metrics() };
}

/**
 * GET /metrics on the application's own port: only when METRICS_TOKEN is set, and only for
 * `Authorization: Bearer <token>`; otherwise a 404 (the separate metrics port serves the figures
 * to the local network instead).
 */
export function metricsEndpoint(deps: { ds: DataSource; engine: EngineClient; token: string | null }): RequestHandler {
  return async (req, res, next) => {
    // Not the web app's page either: the path simply does not exist here.
    if (!deps.token) return next(notFound('đường dẫn'));
    const given = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, deps.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      throw new ApiError(401, 'METRICS_UNAUTHORIZED', 'Cần mã truy cập hợp lệ để đọc số liệu giám sát.');
    }
    const { contentType, text } = await serverMetricsText(deps);
    res.setHeader('content-type', contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(text);
  };
}

const READY_TIMEOUT_MS = 3000;

/** /health/live: the process is up and its event loop answers; nothing outside is asked. */
export const liveness: RequestHandler = (_req, res) => {
  res.setHeader('cache-control', 'no-store');
  res.json({ ok: true });
};

/** /health/ready (and /health): 200 when our database and the engine both answer within 3 s, else 503. */
export function readiness(deps: { ds: DataSource; engine: EngineClient }): RequestHandler {
  return async (_req, res) => {
    const [db, engine] = await Promise.allSettled([within(pingDatabase(deps.ds), READY_TIMEOUT_MS), within(deps.engine.engineInfo(), READY_TIMEOUT_MS)]);
    const ok = db.status === 'fulfilled' && engine.status === 'fulfilled';
    res.setHeader('cache-control', 'no-store');
    res.status(ok ? 200 : 503).json({ ok, database: db.status === 'fulfilled', engine: engine.status === 'fulfilled' });
  };
}
