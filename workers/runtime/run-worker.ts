/**
 * The one wrapper every handler runs in. The client swallows a handler's exceptions and leaves the
 * task locked until its lock expires, so here every task ends in exactly one engine call:
 * complete, handleBpmnError (a business outcome) or handleFailure (a fault: retries with back-off,
 * then an incident).
 */
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  Client,
  Variables,
  type Handler,
  type Interceptor,
  type Task,
  type TaskService,
} from 'camunda-external-task-client-js';
import type { DataSource } from 'typeorm';
import { toEngineVariables, type PlainValue } from '../../platform/engine/variables.ts';
import { isOptimisticLockConflict } from '../../platform/engine/client.ts';
import { classifyNodeFailure, EngineNodes, withFailover, type NodeFailure } from '../../platform/engine/failover.ts';
import type { Outcome } from './outcome.ts';
import type { Policy } from '../../config/policy.ts';
import { nextDeadlines } from '../../domain/calendar.ts';
import { isDatabaseUnavailable } from '../../store/db-errors.ts';
import type { Logger } from '../../platform/log.ts';
import { currentContext, REQUEST_ID_HEADER, runInContext } from '../../platform/observability/context.ts';
import { workerMetrics, type WorkerOutcome } from '../../platform/observability/metrics.ts';

export type { Logger } from '../../platform/log.ts';

export type WorkerDeps = {
  ds: DataSource;
  policy: Policy;
  log: Logger;
  retries: number;
  retryTimeoutMs: number;
  /** For tests and benchmarks: the clock the handlers see. */
  now?: () => Date;
};

export type WorkerContext = {
  task: Task;
  /** Process variables as plain values. */
  vars: Record<string, unknown>;
  ds: DataSource;
  policy: Policy;
  now: Date;
  log: Logger;
};

export type WorkerDefinition = {
  topic: string;
  /**
   * Whether completing refreshes the due dates of the user tasks that may come next. Off for
   * side branches that run in parallel within one instance (reminders), where writing shared
   * variables would only cause optimistic-locking conflicts.
   */
  refreshesDeadlines: boolean;
  /**
   * The process variables the handler reads: the engine sends these with the task and no others
   * (a dossier's instance carries documents and forms it has no use for). Every worker of
   * workers/all.ts lists them; absent means all, for a test's ad-hoc worker.
   */
  variables?: readonly string[];
  lockDurationMs?: number;
  handle(ctx: WorkerContext): Promise<Outcome>;
};

const OPTIMISTIC_LOCK_RETRIES = 4;

function typed(values: Record<string, PlainValue | undefined>): Variables {
  const v = new Variables();
  v.setAllTyped(toEngineVariables(values));
  return v;
}

/** Retries an engine call that lost an optimistic-locking race with a sibling in the same instance. */
async function withLockRetry(call: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call();
      return;
    } catch (err) {
      if (!isOptimisticLockConflict(err) || attempt >= OPTIMISTIC_LOCK_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * (attempt + 1)));
    }
  }
}

/** Retries left after this failure: the engine reports null until the first failure. */
export function retriesAfterFailure(taskRetries: number | null, configured: number): number {
  return Math.max(0, (taskRetries ?? configured) - 1);
}

/** Back-off between retries grows with each failure. */
export function retryTimeoutFor(configured: number, baseMs: number, retriesLeft: number): number {
  const failuresSoFar = configured - retriesLeft;
  return baseMs * 2 ** Math.max(0, failuresSoFar - 1);
}

/** Handlers running now, so a shutdown can let them finish instead of leaving their tasks locked. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  private isClosed = false;
  /** From now on a task that arrives (from the poll that was running when the worker stopped) is unlocked, not handled. */
  close(): void {
    this.isClosed = true;
  }
  get closed(): boolean {
    return this.isClosed;
  }
  enter(): void {
    this.count++;
  }
  leave(): void {
    this.count--;
    if (this.count === 0) for (const w of this.waiters.splice(0)) w();
  }
  get size(): number {
    return this.count;
  }
  /** Resolves when no handler runs, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export function wrapHandler(def: WorkerDefinition, deps: WorkerDeps, inFlight?: InFlight): Handler {
  const run = wrapped(def, deps);
  if (!inFlight) return run;
  return async (args) => {
    inFlight.enter();
    try {
      if (inFlight.closed) await giveBack(def, args.task, args.taskService, deps.log);
      else await run(args);
    } finally {
      inFlight.leave();
    }
  };
}

/** A task fetched while the worker stops goes back to the engine at once rather than staying locked until its lock expires. */
async function giveBack(def: WorkerDefinition, task: Task, taskService: TaskService, log: Logger): Promise<void> {
  try {
    await taskService.unlock(task);
    log.info(`${def.topic}: task ${task.id} given back to the engine: this worker is stopping`);
  } catch (err) {
    log.warn(`${def.topic}: could not give back task ${task.id}: ${(err as Error).message}`);
  }
}

function wrapped(def: WorkerDefinition, deps: WorkerDeps): Handler {
  const metrics = workerMetrics();
  return async ({ task, taskService }: { task: Task; taskService: TaskService }) => {
    const started = performance.now();
    // Every line about this task, and its calls to the engine (x-request-id), carry one correlation id.
    const correlationId = randomUUID();
    const log = deps.log.child({ taskId: task.id, topic: def.topic, businessKey: task.businessKey ?? null, processInstanceId: task.processInstanceId, correlationId });
    const outcome = await runInContext({ requestId: correlationId, log }, () => handleTask(def, deps, task, taskService));
    const ms = performance.now() - started;
    metrics.handled.inc({ topic: def.topic, outcome });
    metrics.handlerDuration.observe({ topic: def.topic, outcome }, ms / 1000);
    log.info(`${def.topic}: task ${task.id} ${outcome}`, { outcome, durationMs: Math.round(ms) });
  };
}

async function handleTask(def: WorkerDefinition, deps: WorkerDeps, task: Task, taskService: TaskService): Promise<WorkerOutcome> {
  const now = deps.now?.() ?? new Date();
  let outcome: Outcome;
  try {
    outcome = await def.handle({ task, vars: task.variables.getAll(), ds: deps.ds, policy: deps.policy, now, log: deps.log });
  } catch (err) {
    await reportFailure(def, task, taskService, err, deps);
    return 'failed';
  }
  const deadlines = def.refreshesDeadlines ? nextDeadlines(now, deps.policy.calendar, deps.policy.deadlines) : {};
  try {
    if (outcome.kind === 'complete') {
      // A step on the main path that succeeds clears the error shown at the last return.
      const cleared = def.refreshesDeadlines ? { lastErrorCode: null, lastErrorMessage: null } : {};
      const variables = { ...deadlines, ...cleared, ...outcome.variables };
      await withLockRetry(() => taskService.complete(task, typed(variables)));
      return 'completed';
    } else {
      const variables = { ...deadlines, lastErrorCode: outcome.code, lastErrorMessage: outcome.message, ...outcome.variables };
      await withLockRetry(() => taskService.handleBpmnError(task, outcome.code, outcome.message, typed(variables)));
      return 'bpmn_error';
    }
  } catch (err) {
    // The engine refused (lock lost, task gone) or is down: the lock expires and the task is
    // delivered again; every side effect above is idempotent, so that is safe.
    deps.log.warn(`${def.topic}: could not report the outcome of task ${task.id}: ${(err as Error).message}`);
    return 'unreported';
  }
}

async function reportFailure(def: WorkerDefinition, task: Task, taskService: TaskService, err: unknown, deps: WorkerDeps): Promise<void> {
  // Our database being away is no fault of the task: retry it without spending its retries, so
  // an outage longer than the back-off never turns healthy dossiers into incidents.
  const unavailable = isDatabaseUnavailable(err);
  const retries = unavailable ? (task.retries ?? deps.retries) : retriesAfterFailure(task.retries, deps.retries);
  const message = err instanceof Error ? err.message : String(err);
  const line = `${def.topic}: task ${task.id} (${task.businessKey ?? '-'}) failed, ${retries} retries left: ${message}`;
  if (unavailable) deps.log.warn(`database unavailable; ${line}`);
  else deps.log.error(line);
  try {
    await taskService.handleFailure(task, {
      errorMessage: message.slice(0, 600),
      errorDetails: err instanceof Error ? (err.stack ?? message) : message,
      retries,
      retryTimeout: unavailable ? Math.min(deps.retryTimeoutMs, 2000) : retryTimeoutFor(deps.retries, deps.retryTimeoutMs, retries),
    });
  } catch (reportErr) {
    deps.log.warn(`${def.topic}: could not report the failure of task ${task.id}: ${(reportErr as Error).message}`);
  }
}

export type WorkerClientOptions = {
  baseUrl: string;
  user: string;
  password: string;
  maxTasks: number;
  lockDurationMs: number;
  asyncResponseTimeoutMs: number;
  maxBackoffMs: number;
  log: Logger;
  workerId?: string;
};

/** The id of the task being handled, sent with its engine calls (the poll itself has none). */
function correlationHeader(): Record<string, string> {
  const work = currentContext();
  return work ? { [REQUEST_ID_HEADER]: work.requestId } : {};
}

/** A unique id per process, so the engine's locks say which worker holds a task. */
export function newWorkerId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * The client as we use it: long polling with no pause between polls (the client otherwise waits
 * `interval` after every poll, even one that returned tasks), an HTTP timeout, and an exponential
 * back-off only while the engine answers with errors or not at all.
 */
export function createWorkerClient(opts: WorkerClientOptions): Client {
  const auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
  const interceptor: Interceptor = (config) => ({
    ...config,
    headers: { ...config.headers, Authorization: auth, ...correlationHeader() },
    timeout: { request: opts.asyncResponseTimeoutMs + 10_000 },
    retry: { limit: 0 },
  });
  const client = new Client({
    baseUrl: opts.baseUrl,
    workerId: opts.workerId ?? newWorkerId(),
    maxTasks: opts.maxTasks,
    interval: 0,
    asyncResponseTimeout: opts.asyncResponseTimeoutMs,
    lockDuration: opts.lockDurationMs,
    autoPoll: false,
    interceptors: [interceptor],
  });
  const fetched = workerMetrics().fetched;
  client.on('poll:success', (tasks: { topicName?: string }[]) => {
    for (const t of tasks) fetched.inc({ topic: t.topicName ?? 'unknown' });
  });
  let failing = 0;
  client.on('poll:error', (err: unknown) => {
    failing++;
    const next = Math.min(opts.maxBackoffMs, Math.max(100, client.options.interval * 2));
    client.options.interval = next;
    // One line when the engine goes away, then one every 20 failures: no flood in the logs.
    if (failing === 1 || failing % 20 === 0) {
      opts.log.warn(`engine unreachable (${(err as Error)?.message ?? err}); retrying every ${next} ms`, { engine: opts.baseUrl });
    }
  });
  client.on('poll:success', () => {
    // The node's address: with several nodes, each has a poller of its own that goes and comes back alone.
    if (failing > 0) opts.log.info(`engine reachable again after ${failing} failed polls`, { engine: opts.baseUrl });
    failing = 0;
    client.options.interval = 0;
  });
  return client;
}

type RequestFn = (method: string, path: string, options: unknown) => Promise<unknown>;

/** How a call of the external-task client failed, as far as choosing an engine node goes. */
export function workerCallFailure(err: unknown): NodeFailure | null {
  const e = err as { httpStatusCode?: number; response?: { body?: unknown }; code?: string; message?: string; name?: string } | null;
  if (e && typeof e.httpStatusCode === 'number') return classifyNodeFailure(e.httpStatusCode, String(e.response?.body ?? ''));
  return classifyNodeFailure(0, `${e?.name ?? ''} ${e?.code ?? ''} ${e?.message ?? String(err)}`);
}

/**
 * One client per engine node, all under one worker id. Each long-polls its own node: the engine
 * wakes a waiting poll only for tasks created on its own node, so every node needs a poll of
 * ours, and a node that goes away only stops its own client, which backs off and tries again.
 * A task's report (complete, failure, BPMN error, unlock) goes to the node that gave it, and to
 * another node when that one cannot be reached (all nodes share one database; repeating a report
 * is harmless: the engine refuses the second one, which the wrapper logs as unreported).
 */
export function createWorkerClients(opts: Omit<WorkerClientOptions, 'baseUrl'> & { baseUrls: readonly string[]; failoverMs?: number }): Client[] {
  const workerId = opts.workerId ?? newWorkerId();
  const clients = opts.baseUrls.map((baseUrl) => createWorkerClient({ ...opts, baseUrl, workerId }));
  if (clients.length < 2) return clients;
  const services = clients.map((c) => (c as unknown as { engineService: { request: RequestFn } }).engineService);
  const direct = services.map((svc) => svc.request);
  const nodes = new EngineNodes(opts.baseUrls, { maxBackoffMs: opts.maxBackoffMs });
  const byUrl = new Map(nodes.urls.map((u, i) => [u, i]));
  services.forEach((svc, own) => {
    svc.request = (method, path, options) => {
      // Polls stay on their node: its client backs off on its own while that node is away.
      if (path === '/external-task/fetchAndLock') return direct[own]!(method, path, options);
      return withFailover(nodes, (url) => direct[byUrl.get(url)!]!(method, path, options), workerCallFailure, {
        budgetMs: opts.failoverMs ?? 5000,
        repeatLost: true,
        first: own,
      });
    };
  });
  return clients;
}

/** Subscribes every definition with the wrapper; the caller starts and stops the client. */
export function subscribeAll(client: Client, defs: readonly WorkerDefinition[], deps: WorkerDeps, inFlight?: InFlight): void {
  for (const def of defs) {
    const options = { ...(def.lockDurationMs ? { lockDuration: def.lockDurationMs } : {}), ...(def.variables ? { variables: [...def.variables] } : {}) };
    client.subscribe(def.topic, options, wrapHandler(def, deps, inFlight));
  }
}
