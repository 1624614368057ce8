/** Typed client of the Operaton REST API (/engine-rest): the server's only way to the engine. */
import type http from 'node:http';
import { httpCall, keepAliveAgent } from '../keep-alive-http.ts';
import { toEngineVariables, type EngineVariables, type PlainValue } from './variables.ts';
import { currentContext, outsideContext, REQUEST_ID_HEADER } from '../observability/context.ts';
import { observeEngineCall } from '../observability/metrics.ts';
import { classifyNodeFailure, EngineNodes, repeatable, type NodeFailure } from './failover.ts';

export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
  /** The engine could not be reached at all (down, restarting). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** The engine lost an optimistic-locking race (two writers on one instance): the call can simply be repeated. */
export function isOptimisticLockConflict(err: unknown): boolean {
  const e = err as { type?: string; message?: string } | null;
  return /OptimisticLocking|ENGINE-03005|updated by another transaction concurrently/i.test(`${e?.type ?? ''} ${e?.message ?? String(err)}`);
}

export type ProcessDefinition = {
  id: string;
  key: string;
  name: string | null;
  version: number;
  deploymentId: string;
  resource: string;
  versionTag: string | null;
  suspended: boolean;
};

export type Deployment = {
  id: string;
  name: string;
  deploymentTime: string;
  deployedProcessDefinitions: Record<string, ProcessDefinition> | null;
};

export type ProcessInstance = { id: string; definitionId: string; businessKey: string | null; ended: boolean; suspended: boolean };

export type Task = {
  id: string;
  name: string | null;
  assignee: string | null;
  created: string;
  due: string | null;
  followUp: string | null;
  description: string | null;
  executionId: string;
  processDefinitionId: string;
  processInstanceId: string;
  taskDefinitionKey: string;
  formKey: string | null;
  priority: number;
};

export type ActivityInstanceTree = {
  id: string;
  activityId: string;
  activityType: string;
  activityName: string | null;
  childActivityInstances: ActivityInstanceTree[];
  childTransitionInstances: { activityId: string; activityType: string }[];
  incidentIds?: string[];
};

export type HistoricActivityInstance = {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  startTime: string;
  endTime: string | null;
  durationInMillis: number | null;
  canceled: boolean;
  assignee: string | null;
  taskId: string | null;
  sequenceCounter: number;
};

export type HistoricProcessInstance = {
  id: string;
  businessKey: string | null;
  processDefinitionKey: string;
  processDefinitionId: string;
  startTime: string;
  endTime: string | null;
  state: string;
  endActivityId: string | null;
};

export type Incident = {
  id: string;
  processInstanceId: string;
  activityId: string;
  incidentType: string;
  incidentMessage: string | null;
  incidentTimestamp: string;
  configuration: string | null;
};

export type Job = { id: string; processInstanceId: string; dueDate: string | null; retries: number; exceptionMessage: string | null };

export type ExternalTask = {
  id: string;
  topicName: string;
  processInstanceId: string;
  activityId: string;
  retries: number | null;
  errorMessage: string | null;
  lockExpirationTime: string | null;
  workerId: string | null;
};

export type EngineClientOptions = {
  /** One engine node, or several on one engine database: calls fail over between them. */
  baseUrl: string | readonly string[];
  user?: string;
  password?: string;
  timeoutMs?: number;
  /** How long a call keeps trying the nodes, with back-off, while none answers (default 5 s with several nodes, 0 with one). */
  failoverMs?: number;
  /** The node tried first (spreads processes over the nodes); default: by process id. */
  startNode?: number;
};

/** Whether `text` is what GET /engine answers: the engines a node runs, by name. */
function isEngineList(text: string): boolean {
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) && list.length > 0 && list.every((e) => typeof (e as { name?: unknown })?.name === 'string');
  } catch {
    return false;
  }
}

export class EngineClient {
  private readonly auth: string | undefined;
  private readonly agents = new Map<string, http.Agent>();
  readonly nodes: EngineNodes;
  constructor(private readonly opts: EngineClientOptions) {
    this.auth = opts.user ? 'Basic ' + Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64') : undefined;
    const urls = typeof opts.baseUrl === 'string' ? [opts.baseUrl] : opts.baseUrl;
    this.nodes = new EngineNodes(urls, { start: opts.startNode ?? process.pid });
  }

  /** The node calls go to now. */
  get baseUrl(): string {
    return this.nodes.active;
  }

  /**
   * One call to the engine. A node that cannot be reached (refused, reset, timed out) or that
   * answers 502/503/504 rests, and the call goes to the next node, with back-off while none
   * answers, for at most `failoverMs`. A call that changes the engine is repeated elsewhere only
   * when the first node surely did not take it (refused, 503), so it never happens twice.
   */
  async request<T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | boolean | undefined>, raw = false): Promise<T> {
    // One node: no other to turn to, so a failure is answered at once (the caller says the engine is away).
    const deadline = Date.now() + (this.opts.failoverMs ?? (this.nodes.urls.length > 1 ? 5000 : 0));
    for (let round = 0; ; round++) {
      let last: EngineError | undefined;
      for (const i of this.nodes.order()) {
        const attempt = await this.attempt<T>(this.nodes.urls[i]!, method, path, body, query, raw);
        if (attempt.ok) {
          this.nodes.succeeded(i);
          return attempt.value;
        }
        last = attempt.error;
        if (!attempt.failure) {
          // The engine itself answered (an error of the call, not of the node).
          this.nodes.succeeded(i);
          throw attempt.error;
        }
        this.nodes.failed(i);
        this.watchHome();
        if (attempt.failure === 'lost' && !repeatable(method)) throw attempt.error;
        if (Date.now() >= deadline) throw attempt.error;
      }
      const pause = Math.min(this.nodes.untilNextTry() || this.nodes.backoff(round + 1), deadline - Date.now());
      if (pause <= 0 || !last) throw last ?? new EngineError(0, 'Unreachable', 'engine unreachable', path);
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  private homeProbe: NodeJS.Timeout | undefined;

  /**
   * After a failover the own node is asked in the background, never on someone's call, once its
   * rest after the failure is over; when it answers, calls go back to it, so the processes spread
   * over the nodes again. A failed probe rests it longer (EngineNodes' back-off): a node that stays
   * away, or answers the probe but fails the calls, is asked ever less often, not each second by
   * every process.
   */
  private watchHome(): void {
    if (this.homeProbe || !this.nodes.awayFromHome) return;
    const home = this.nodes.home;
    const next = () => {
      this.homeProbe = setTimeout(() => void outsideContext(probe), this.nodes.restFor(home));
      this.homeProbe.unref();
    };
    const probe = async () => {
      if (this.nodes.awayFromHome) {
        // raw, then read here: whatever answers at that address can neither make the probe throw nor
        // pass for an engine unless it answers as one (its list of engines).
        const answer = await this.attempt<string>(this.nodes.urls[home]!, 'GET', '/engine', undefined, undefined, true);
        if (!answer.ok || !isEngineList(answer.value)) {
          this.nodes.failed(home);
          next();
          return;
        }
        this.nodes.backHome();
      }
      this.homeProbe = undefined;
    };
    next();
  }

  private async attempt<T>(
    baseUrl: string,
    method: string,
    path: string,
    body: unknown,
    query: Record<string, string | number | boolean | undefined> | undefined,
    raw = false,
  ): Promise<{ ok: true; value: T } | { ok: false; error: EngineError; failure: NodeFailure | null }> {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    // A resource's data and a deployed form answer in the type of their file: asking for JSON only could be refused.
    const headers: Record<string, string> = { accept: raw ? '*/*' : 'application/json' };
    if (this.auth) headers.authorization = this.auth;
    // The request (or task) this call is part of: its id travels on, and the call is logged and timed under it.
    const work = currentContext();
    if (work) headers[REQUEST_ID_HEADER] = work.requestId;
    const started = performance.now();
    const done = (status: number) => {
      const ms = performance.now() - started;
      observeEngineCall(method, path, status, ms / 1000);
      work?.log.debug('engine call', { method, path, status, durationMs: Math.round(ms * 10) / 10, node: baseUrl });
    };
    let answer: { status: number; text: string };
    try {
      if (body instanceof FormData) {
        // Deployments only: fetch encodes the multipart body.
        const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
        answer = { status: res.status, text: await res.text() };
      } else {
        if (body !== undefined) headers['content-type'] = 'application/json';
        // Kept-alive node:http, not fetch: see platform/keep-alive-http.ts.
        let agent = this.agents.get(baseUrl);
        if (!agent) this.agents.set(baseUrl, (agent = keepAliveAgent(url)));
        answer = await httpCall(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), agent, timeoutMs: this.timeoutMs });
      }
    } catch (err) {
      done(0);
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const detail = `${e.name} ${e.message} ${e.cause?.code ?? ''} ${e.cause?.message ?? ''}`;
      return { ok: false, error: new EngineError(0, 'Unreachable', `engine unreachable: ${e.message}`, path), failure: classifyNodeFailure(0, detail) };
    }
    const { status, text } = answer;
    done(status);
    if (status === 204) return { ok: true, value: undefined as T };
    if (status < 200 || status > 299) {
      let type = 'HttpError';
      let message = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { type?: string; message?: string };
        type = parsed.type ?? type;
        message = parsed.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      return { ok: false, error: new EngineError(status, type, message, path), failure: classifyNodeFailure(status, text) };
    }
    if (raw) return { ok: true, value: text as T };
    return { ok: true, value: (text ? JSON.parse(text) : undefined) as T };
  }

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? 30_000;
  }

  engineInfo(): Promise<{ name: string }[]> {
    return this.request('GET', '/engine');
  }

  /**
   * Deploys BPMN files (and the forms they reference). `changedOnly`: true deploys only the changed
   * files, 'whole' deploys all of them when any changed (a diagram and the forms it binds by
   * deployment must stay in one deployment) and nothing when none did; false always deploys.
   */
  deploy(name: string, files: { name: string; content: string | Uint8Array }[], changedOnly: boolean | 'whole' = true, source = 'ho-so-trinh'): Promise<Deployment> {
    const form = new FormData();
    form.set('deployment-name', name);
    form.set('deploy-changed-only', String(changedOnly === true));
    form.set('deployment-source', source);
    form.set('enable-duplicate-filtering', String(changedOnly !== false));
    for (const f of files) form.set(f.name, new Blob([f.content], { type: 'application/octet-stream' }), f.name);
    return this.request('POST', '/deployment/create', form);
  }

  listProcessDefinitions(query: { key?: string; latestVersion?: boolean } = {}): Promise<ProcessDefinition[]> {
    return this.request('GET', '/process-definition', undefined, { ...query, sortBy: 'version', sortOrder: 'desc' });
  }

  getProcessDefinition(id: string): Promise<ProcessDefinition> {
    return this.request('GET', `/process-definition/${encodeURIComponent(id)}`);
  }

  /** The resources of a deployment (diagrams, forms), by name. */
  deploymentResources(deploymentId: string): Promise<{ id: string; name: string }[]> {
    return this.request('GET', `/deployment/${encodeURIComponent(deploymentId)}/resources`);
  }

  /** One resource of a deployment as text, not parsed here: the caller checks it. */
  deploymentResourceText(deploymentId: string, resourceId: string): Promise<string> {
    return this.request<string>('GET', `/deployment/${encodeURIComponent(deploymentId)}/resources/${encodeURIComponent(resourceId)}/data`, undefined, undefined, true);
  }

  /** The text of the form a task's camunda:formRef names, as deployed (GET /task/{id}/deployed-form); not parsed here, the caller checks it. */
  deployedForm(taskId: string): Promise<string> {
    return this.request<string>('GET', `/task/${encodeURIComponent(taskId)}/deployed-form`, undefined, undefined, true);
  }

  async getProcessDefinitionXml(id: string): Promise<string> {
    const res = await this.request<{ bpmn20Xml: string }>('GET', `/process-definition/${encodeURIComponent(id)}/xml`);
    return res.bpmn20Xml;
  }

  startProcess(key: string, businessKey: string, variables: Record<string, PlainValue | undefined>): Promise<ProcessInstance> {
    return this.request('POST', `/process-definition/key/${encodeURIComponent(key)}/start`, {
      businessKey,
      variables: toEngineVariables(variables),
    });
  }

  listProcessInstances(query: { businessKey?: string; processDefinitionKey?: string; activityIdIn?: string }): Promise<ProcessInstance[]> {
    return this.request('GET', '/process-instance', undefined, query);
  }

  activityInstances(processInstanceId: string): Promise<ActivityInstanceTree> {
    return this.request('GET', `/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`);
  }

  processVariables(processInstanceId: string): Promise<EngineVariables> {
    return this.request('GET', `/process-instance/${encodeURIComponent(processInstanceId)}/variables`, undefined, { deserializeValues: false });
  }

  historicProcessInstance(id: string): Promise<HistoricProcessInstance> {
    return this.request('GET', `/history/process-instance/${encodeURIComponent(id)}`);
  }

  historicProcessInstances(query: { processInstanceBusinessKey?: string; processDefinitionKey?: string }): Promise<HistoricProcessInstance[]> {
    return this.request('GET', '/history/process-instance', undefined, query);
  }

  historicActivityInstances(processInstanceId: string): Promise<HistoricActivityInstance[]> {
    return this.request('GET', '/history/activity-instance', undefined, {
      processInstanceId,
      sortBy: 'occurrence',
      sortOrder: 'asc',
      maxResults: 2000,
    });
  }

  taskIdentityLinks(id: string): Promise<{ userId: string | null; groupId: string | null; type: string }[]> {
    return this.request('GET', `/task/${encodeURIComponent(id)}/identity-links`);
  }

  taskVariables(id: string): Promise<EngineVariables> {
    return this.request('GET', `/task/${encodeURIComponent(id)}/variables`, undefined, { deserializeValues: false });
  }

  claim(taskId: string, userId: string): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/claim`, { userId });
  }

  unclaim(taskId: string): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/unclaim`, {});
  }

  /**
   * Completes a user task. Parallel tasks of one instance (the opinions of a multi-instance)
   * completed at the same moment conflict on the engine's optimistic lock: the loser is retried.
   */
  async complete(taskId: string, variables: Record<string, PlainValue | undefined>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request('POST', `/task/${encodeURIComponent(taskId)}/complete`, { variables: toEngineVariables(variables) });
      } catch (err) {
        if (!(err instanceof EngineError) || !isOptimisticLockConflict(err) || attempt >= 4) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * (attempt + 1)));
      }
    }
  }

  correlateMessage(body: {
    messageName: string;
    processInstanceId?: string;
    businessKey?: string;
    localCorrelationKeys?: EngineVariables;
    correlationKeys?: EngineVariables;
    processVariables?: EngineVariables;
    all?: boolean;
    resultEnabled?: boolean;
  }): Promise<unknown> {
    return this.request('POST', '/message', body);
  }

  incidents(query: { processInstanceId?: string } = {}): Promise<Incident[]> {
    return this.request('GET', '/incident', undefined, query);
  }

  jobs(query: { processInstanceId?: string; timers?: boolean; activityId?: string } = {}): Promise<Job[]> {
    return this.request('GET', '/job', undefined, query);
  }

  executeJob(id: string): Promise<void> {
    return this.request('POST', `/job/${encodeURIComponent(id)}/execute`);
  }

  externalTasks(query: { processInstanceId?: string; topicName?: string; locked?: boolean } = {}): Promise<ExternalTask[]> {
    return this.request('GET', '/external-task', undefined, query);
  }

  setExternalTaskRetries(id: string, retries: number): Promise<void> {
    return this.request('PUT', `/external-task/${encodeURIComponent(id)}/retries`, { retries });
  }

  definitionStatistics(id: string): Promise<{ id: string; instances: number; failedJobs: number; incidents: { incidentType: string; incidentCount: number }[] }[]> {
    return this.request('GET', `/process-definition/${encodeURIComponent(id)}/statistics`, undefined, { incidents: true });
  }
}
