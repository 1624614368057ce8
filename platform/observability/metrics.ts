/**
 * Prometheus metrics (prom-client): one registry for the server, one for the workers, each served
 * by its own process. Names start with `hosotrinh_`; Node's own process metrics come with each.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DOSSIER_STATUSES } from '../../domain/model.ts';
import { dossierCountsByStatus } from '../../store/dossiers.ts';

// Requests and engine calls take milliseconds to seconds; worker handlers up to a lock's length.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function serverFamilies() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'hosotrinh_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'hosotrinh_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    engineCalls: new Histogram({
      name: 'hosotrinh_engine_call_duration_seconds',
      help: 'Time of a call to the engine REST API, by operation and status (0: no answer)',
      labelNames: ['operation', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    engineUp: new Gauge({
      name: 'hosotrinh_engine_up',
      help: 'Whether the engine answered at the last scrape (1) or not (0)',
      registers: [registry],
    }),
    incidentsOpen: new Gauge({
      name: 'hosotrinh_engine_incidents_open',
      help: 'Incidents open in the engine (failed tasks or jobs waiting for a person), read at scrape',
      registers: [registry],
    }),
    dossiers: new Gauge({
      name: 'hosotrinh_dossiers',
      help: 'Dossiers by status, read from the database at scrape',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    signInFailures: new Counter({
      name: 'hosotrinh_sign_in_failures_total',
      help: 'Refused sign-ins, by reason (invalid_credentials, throttled)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

function workerFamilies() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    fetched: new Counter({
      name: 'hosotrinh_worker_tasks_fetched_total',
      help: 'External tasks fetched and locked, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    handled: new Counter({
      name: 'hosotrinh_worker_tasks_handled_total',
      help: 'External tasks handled, by topic and outcome (completed, bpmn_error, failed, unreported)',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'hosotrinh_worker_handler_duration_seconds',
      help: 'Time from a task handed to its handler to its outcome reported, by topic and outcome',
      labelNames: ['topic', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
}

let server: ReturnType<typeof serverFamilies> | undefined;
let worker: ReturnType<typeof workerFamilies> | undefined;

/** The server's metric families (created on first use, once per process). */
export function serverMetrics(): ReturnType<typeof serverFamilies> {
  return (server ??= serverFamilies());
}

/** The workers' metric families (created on first use, once per process). */
export function workerMetrics(): ReturnType<typeof workerFamilies> {
  return (worker ??= workerFamilies());
}

export type WorkerOutcome = 'completed' | 'bpmn_error' | 'failed' | 'unreported';

const KNOWN_ENGINE_WORDS = new Set([
  'engine', 'deployment', 'create', 'process-definition', 'key', 'start', 'xml', 'statistics', 'process-instance', 'activity-instances',
  'variables', 'localVariables', 'history', 'activity-instance', 'task', 'identity-links', 'claim', 'unclaim', 'complete', 'message',
  'incident', 'count', 'job', 'execute', 'retries', 'external-task', 'fetchAndLock', 'failure', 'bpmnError', 'variable-instance',
]);

/**
 * The engine operation of a call, e.g. "GET /task/{id}/variables": every path segment that is not
 * one of the API's own words is an id, so the label never grows with the data.
 */
export function engineOperation(method: string, path: string): string {
  const pattern = path
    .split('?')[0]!
    .split('/')
    .map((s) => (s === '' || KNOWN_ENGINE_WORDS.has(s) ? s : '{id}'))
    .join('/');
  return `${method} ${pattern}`;
}

/** Records one engine call. */
export function observeEngineCall(method: string, path: string, status: number, seconds: number): void {
  serverMetrics().engineCalls.observe({ operation: engineOperation(method, path), status: String(status) }, seconds);
}

const SCRAPE_CACHE_MS = 10_000;
const SCRAPE_SOURCE_TIMEOUT_MS = 5_000;
const refreshes = new WeakMap<DataSource, { at: number; running: Promise<void> }>();

/** `p`, or a rejection once `ms` passed without its answer. */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads the figures that live elsewhere (dossiers by status from our database, open incidents from
 * the engine), at most once per 10 s however often Prometheus scrapes. A source that does not answer
 * leaves its figures out of the scrape (and `hosotrinh_engine_up` at 0) rather than stale.
 */
export function refreshScrapedFigures(deps: { ds: DataSource; engine: { request<T>(method: 'GET', path: string): Promise<T> } }): Promise<void> {
  const last = refreshes.get(deps.ds);
  if (last && Date.now() - last.at < SCRAPE_CACHE_MS) return last.running;
  const m = serverMetrics();
  const running = (async () => {
    const [rows, incidents] = await Promise.allSettled([
      within(dossierCountsByStatus(deps.ds), SCRAPE_SOURCE_TIMEOUT_MS),
      within(deps.engine.request<{ count: number }>('GET', '/incident/count'), SCRAPE_SOURCE_TIMEOUT_MS),
    ]);
    m.dossiers.reset();
    if (rows.status === 'fulfilled') {
      // Every status has a figure, zeros included, so a query over one never finds no series.
      for (const status of DOSSIER_STATUSES) m.dossiers.set({ status }, 0);
      for (const r of rows.value) m.dossiers.set({ status: r.status }, r.n);
    }
    m.incidentsOpen.reset();
    if (incidents.status === 'fulfilled') m.incidentsOpen.set(incidents.value.count);
    m.engineUp.set(incidents.status === 'fulfilled' ? 1 : 0);
  })();
  refreshes.set(deps.ds, { at: Date.now(), running });
  return running;
}
