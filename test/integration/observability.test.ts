import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { opinionForm, submissionDocument, draftDecision, validDossierInput } from '../support/dossiers.ts';
import { waitForStatus, giveOpinion } from '../support/flow.ts';
import { createApp } from '../../server/app.ts';
import { EngineClient } from '../../platform/engine/client.ts';
import { memoryLogger } from '../../platform/log.ts';
import { serveMetrics } from '../../platform/observability/metrics-server.ts';
import { serverMetricsText } from '../../server/observability/http.ts';
import { workerMetrics } from '../../platform/observability/metrics.ts';
import { startWorkers, type RunningWorkers } from '../../workers/start.ts';
import type { WorkerDefinition } from '../../workers/runtime/run-worker.ts';
import { bpmnError } from '../../workers/runtime/outcome.ts';
import type { ServerDeps } from '../../server/deps.ts';
import type { Config } from '../../config/index.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { ApiClient, type ApiError } from '../../scripts/lib/api-client.ts';

const FAIL_KEY = 'observability-fail-probe';
const FAIL_TOPIC = 'observability-fail-probe';
const REFUSE_KEY = 'observability-refuse-probe';
const REFUSE_TOPIC = 'observability-refuse-probe';

/** One external task of `topic`, with a boundary catching any BPMN error it ends with. */
function probeBpmn(key: string, topic: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_${key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${key}" name="Thăm dò giám sát (kiểm thử)" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start_Probe"><bpmn:outgoing>Flow_ToProbe</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_Probe" camunda:type="external" camunda:topic="${topic}">
      <bpmn:incoming>Flow_ToProbe</bpmn:incoming><bpmn:outgoing>Flow_ToEnd</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Boundary_Refused" attachedToRef="Task_Probe">
      <bpmn:outgoing>Flow_ToRefused</bpmn:outgoing>
      <bpmn:errorEventDefinition id="Boundary_Refused_Def" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="End_Refused"><bpmn:incoming>Flow_ToRefused</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_Probe"><bpmn:incoming>Flow_ToEnd</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_ToProbe" sourceRef="Start_Probe" targetRef="Task_Probe" />
    <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="Task_Probe" targetRef="End_Probe" />
    <bpmn:sequenceFlow id="Flow_ToRefused" sourceRef="Boundary_Refused" targetRef="End_Refused" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** A handler that always throws: its task fails through its retries into an incident. */
const failingProbe: WorkerDefinition = {
  topic: FAIL_TOPIC,
  refreshesDeadlines: false,
  handle: () => Promise.reject(new Error('probe handler fails on purpose')),
};

/** A handler that ends its task with a business outcome (a BPMN error), as a broken rule does. */
const refusingProbe: WorkerDefinition = {
  topic: REFUSE_TOPIC,
  refreshesDeadlines: false,
  handle: () => Promise.resolve(bpmnError('ERR_PROBE_REFUSED', 'Thăm dò bị từ chối (kiểm thử).')),
};

type Seen = { method: string; path: string; requestId: string | undefined };

/** A pass-through HTTP proxy in front of the real engine that records each call's x-request-id. */
async function recordingProxy(target: string): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const to = new URL(target);
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const id = req.headers['x-request-id'];
    seen.push({ method: req.method ?? '', path: req.url ?? '', requestId: typeof id === 'string' ? id : undefined });
    const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function listen(app: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/** Sample values of a family in Prometheus text, keyed by their label text. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{.*\\})? (\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

function sum(values: Map<string, number>, labelPart: string): number {
  let total = 0;
  for (const [labels, v] of values) if (labels.includes(labelPart)) total += v;
  return total;
}

describe('observability: JSON logs with request ids, /metrics, /health/live and /health/ready', () => {
  let env: TestEnv;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let probeWorkers: RunningWorkers | null = null;
  const probeLog = memoryLogger();
  const closers: (() => Promise<void>)[] = [];
  let deploymentId = '';
  const probeInstances: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    proxy = await recordingProxy(env.config.engine.restUrl);
    const files = [FAIL_KEY, REFUSE_KEY].map((key) => ({ name: `${key}.bpmn`, content: probeBpmn(key, key) }));
    deploymentId = (await env.engine.deploy('observability-probes', files, false, 'tests')).id;
  });
  afterAll(async () => {
    probeWorkers?.stop();
    for (const id of probeInstances) await env.engine.request('DELETE', `/process-instance/${id}`, undefined, { skipCustomListeners: true }).catch(() => {});
    if (deploymentId) await env.engine.request('DELETE', `/deployment/${deploymentId}`, undefined, { cascade: true }).catch(() => {});
    for (const close of closers) await close();
    await proxy?.close();
    await env?.close();
  });

  /** The test's server again, with another logger, engine client or configuration. */
  async function serverWith(over: Partial<ServerDeps>): Promise<string> {
    const { url, server } = await listen(createApp({ ...env.deps, ...over }));
    closers.push(() => closeServer(server));
    return url;
  }

  function configWith(observability: Partial<Config['observability']>): Config {
    return { ...env.config, observability: { ...env.config.observability, ...observability } };
  }

  it('should show every family on the server and worker metrics ports when dossiers ran through the real engine and workers', async () => {
    // given the two metrics listeners as the processes open them (METRICS_PORT, WORKER_METRICS_PORT)
    const serverPort = await serveMetrics({ host: '127.0.0.1', port: 0, source: () => serverMetricsText(env.deps), log: env.log });
    const { registry } = workerMetrics();
    const workerPort = await serveMetrics({ host: '127.0.0.1', port: 0, source: async () => ({ contentType: registry.contentType, text: await registry.metrics() }), log: env.log });
    closers.push(() => closeServer(serverPort), () => closeServer(workerPort));

    // when a dossier is created and moved on (validated, consulted, consolidated), another is refused
    // by a rule, a probe task ends with a BPMN error, another fails into an incident, and a sign-in is refused
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'));
    await waitForStatus(drafter, dossier.id, 'DRAFTING_SUBMISSION');
    const refused = await drafter
      .post('/api/dossiers', validDossierInput({ documents: [submissionDocument({ docType: 'BAO_CAO', symbol: '/BC-SCT' }), draftDecision()] }))
      .catch((err: unknown) => err as ApiError);
    expect(refused).toMatchObject({ status: 422 });
    // (the probes' worker calls the engine through the recording proxy)
    const proxiedUrl = proxy.origin + new URL(env.config.engine.restUrl).pathname;
    const proxied = { ...env.config, engine: { ...env.config.engine, restUrl: proxiedUrl, restUrls: [proxiedUrl] } };
    probeWorkers = startWorkers({ config: proxied, policy: env.deps.policy, ds: env.ds, log: probeLog, workers: [failingProbe, refusingProbe] });
    probeInstances.push((await env.engine.startProcess(REFUSE_KEY, 'probe-refuse', {})).id);
    probeInstances.push((await env.engine.startProcess(FAIL_KEY, 'probe-fail', {})).id);
    await eventually(async () => (await env.engine.incidents({ processInstanceId: probeInstances[1] })).length > 0, 'probe incident');
    const wrong = await fetch(`${env.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sct.chuyenvien', password: 'not-the-password' }) });
    expect(wrong.status).toBe(401);
    await drafter.get(`/api/dossiers/${dossier.id}`);

    // then the server's port shows requests by route pattern and status with their latency, engine calls
    // by operation, open incidents, dossiers by status and sign-in failures
    const serverText = await (await fetch(`http://127.0.0.1:${(serverPort.address() as AddressInfo).port}/metrics`)).text();
    expect(sum(samples(serverText, 'hosotrinh_http_requests_total'), 'route="/api/dossiers/:id",status="200"')).toBeGreaterThanOrEqual(1);
    expect(sum(samples(serverText, 'hosotrinh_http_requests_total'), 'method="POST",route="/api/dossiers",status="201"')).toBe(1);
    expect(sum(samples(serverText, 'hosotrinh_http_requests_total'), 'method="POST",route="/api/dossiers",status="422"')).toBe(1);
    expect(sum(samples(serverText, 'hosotrinh_http_request_duration_seconds_count'), 'route="/api/tasks/:id/complete"')).toBeGreaterThanOrEqual(1);
    expect(serverText).toMatch(/^hosotrinh_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/dossiers\/:id",status="200"\} \d+$/m);
    expect(serverText).not.toContain(dossier.id);
    expect(sum(samples(serverText, 'hosotrinh_engine_call_duration_seconds_count'), 'operation="POST /process-definition/key/{id}/start",status="200"')).toBeGreaterThanOrEqual(1);
    expect(sum(samples(serverText, 'hosotrinh_engine_call_duration_seconds_count'), 'operation="POST /task/{id}/complete"')).toBeGreaterThanOrEqual(1);
    expect(samples(serverText, 'hosotrinh_engine_incidents_open').get('')).toBeGreaterThanOrEqual(1);
    expect(samples(serverText, 'hosotrinh_engine_up').get('')).toBe(1);
    const byStatus = samples(serverText, 'hosotrinh_dossiers');
    expect(byStatus.get('{status="DRAFTING_SUBMISSION"}')).toBe(1);
    expect(byStatus.get('{status="REVISION_REQUIRED"}')).toBe(0);
    expect(byStatus.get('{status="DECIDED_APPROVED"}')).toBe(0);
    expect(samples(serverText, 'hosotrinh_sign_in_failures_total').get('{reason="invalid_credentials"}')).toBe(1);
    expect(serverText).toContain('process_resident_memory_bytes');

    // and the workers' port shows tasks fetched, completed, BPMN-errored and failed by topic, with handler durations
    // (a handler's outcome is counted once the engine took it, a moment after the dossier moved)
    const workerUrl = `http://127.0.0.1:${(workerPort.address() as AddressInfo).port}/metrics`;
    const workerText = await eventually(async () => {
      const text = await (await fetch(workerUrl)).text();
      const h = samples(text, 'hosotrinh_worker_tasks_handled_total');
      const settled = h.get(`{topic="${REFUSE_TOPIC}",outcome="bpmn_error"}`) === 1 && h.get('{topic="consolidate-opinions",outcome="completed"}') === 1 && h.get(`{topic="${FAIL_TOPIC}",outcome="failed"}`) === env.config.worker.retries;
      return settled ? text : undefined;
    }, 'worker outcomes counted');
    const fetched = samples(workerText, 'hosotrinh_worker_tasks_fetched_total');
    const handled = samples(workerText, 'hosotrinh_worker_tasks_handled_total');
    expect(fetched.get('{topic="validate-dossier"}')).toBe(1);
    expect(handled.get('{topic="validate-dossier",outcome="completed"}')).toBe(1);
    expect(handled.get(`{topic="${REFUSE_TOPIC}",outcome="bpmn_error"}`)).toBe(1);
    expect(handled.get(`{topic="${FAIL_TOPIC}",outcome="failed"}`)).toBe(env.config.worker.retries);
    expect(fetched.get(`{topic="${FAIL_TOPIC}"}`)).toBe(env.config.worker.retries);
    expect(sum(samples(workerText, 'hosotrinh_worker_handler_duration_seconds_count'), 'topic="consolidate-opinions",outcome="completed"')).toBe(1);
    expect(workerText).toMatch(new RegExp(`^hosotrinh_worker_handler_duration_seconds_bucket\\{le="\\+Inf",topic="${REFUSE_TOPIC}",outcome="bpmn_error"\\} 1$`, 'm'));
    // (anything else on that port does not exist)
    expect((await fetch(`http://127.0.0.1:${(workerPort.address() as AddressInfo).port}/`)).status).toBe(404);

    // and each handled task was logged as JSON with its task id, topic, business key and correlation id
    const validated = env.log.records.filter((r) => r.topic === 'validate-dossier' && r.businessKey === dossier.id);
    expect(validated).toHaveLength(1);
    expect(validated[0]).toMatchObject({ level: 'info', component: 'test', outcome: 'completed', taskId: expect.any(String), processInstanceId: expect.any(String) });
    expect(validated[0]!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const refusal = probeLog.records.filter((r) => r.topic === REFUSE_TOPIC && r.outcome === 'bpmn_error' && r.businessKey === 'probe-refuse');
    expect(refusal).toHaveLength(1);
    // (and the engine received the task's outcome under that correlation id; the polls carry none)
    const sentWith = (id: unknown) => proxy.seen.filter((c) => c.requestId === id).map((c) => `${c.method} ${c.path.replace(/\/external-task\/[^/]+\//, '/external-task/{id}/')}`);
    expect(sentWith(refusal[0]!.correlationId)).toEqual([expect.stringMatching(/^POST \/.*\/external-task\/\{id\}\/bpmnError$/)]);
    expect(proxy.seen.filter((c) => c.path.endsWith('/fetchAndLock')).every((c) => c.requestId === undefined)).toBe(true);
    // (the failure lines written inside the handler's wrapper carry the same fields)
    const failures = probeLog.records.filter((r) => r.level === 'error' && r.topic === FAIL_TOPIC);
    expect(failures).toHaveLength(env.config.worker.retries);
    expect(new Set(failures.map((r) => r.correlationId)).size).toBe(env.config.worker.retries);
    expect(failures.every((r) => r.businessKey === 'probe-fail' && typeof r.taskId === 'string')).toBe(true);
    for (const f of failures) expect(sentWith(f.correlationId)).toEqual([expect.stringMatching(/\/external-task\/\{id\}\/failure$/)]);
  });

  it('should log each request as JSON with its request id and send that id with the engine calls it makes', async () => {
    // given the server with a debug-level log and its engine calls through a recording proxy
    const log = memoryLogger('debug');
    const restPath = new URL(env.config.engine.restUrl).pathname;
    const engine = new EngineClient({ baseUrl: proxy.origin + restPath, user: env.config.engine.user, password: env.config.engine.password });
    const url = await serverWith({ log, engine });
    const user = await new ApiClient(url).login('thietke', DEMO_PASSWORD);

    // when a request carrying a well-formed x-request-id reads the process definitions from the engine
    const res = await fetch(`${url}/api/processes`, { headers: { cookie: user.sessionCookie, 'x-request-id': 'obs-trace-0001' } });

    // then the answer echoes the id, every log line is a JSON object, and the request's line and the
    // engine call's line both carry it, as the call the engine received does
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('obs-trace-0001');
    for (const line of log.output) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const mine = log.records.filter((r) => r.requestId === 'obs-trace-0001');
    expect(mine.find((r) => r.msg === 'request completed')).toMatchObject({ level: 'info', route: '/api/processes', req: { method: 'GET', path: '/api/processes' }, res: { statusCode: 200 } });
    const call = mine.find((r) => r.msg === 'engine call');
    expect(call).toMatchObject({ level: 'debug', method: 'GET', path: '/process-definition', status: 200 });
    expect(typeof call!.durationMs).toBe('number');
    expect(proxy.seen.filter((s) => s.requestId === 'obs-trace-0001').map((s) => s.path.split('?')[0])).toEqual([`${restPath}/process-definition`]);
  });

  it('should give a fresh request id when the incoming one is malformed', async () => {
    // given the test's server
    // when ids too long, with spaces or with markup come in, or none
    const ids = ['x'.repeat(129), 'a b', '<script>', '"quoted"', ''];
    const answers = await Promise.all(ids.map((id) => fetch(`${env.baseUrl}/health/live`, { headers: id ? { 'x-request-id': id } : {} })));

    // then each answer carries a new UUID instead
    for (const res of answers) expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(answers.map((r) => r.headers.get('x-request-id'))).size).toBe(ids.length);
  });

  it('should never log passwords, session cookies or CSRF tokens when people sign in and work', async () => {
    // given the server with a debug-level log
    const log = memoryLogger('debug');
    const url = await serverWith({ log });

    // when someone signs in wrongly, then rightly, and sends a write with cookie and CSRF token
    const secret = 'Wr0ng-Secret-Never-Logged';
    await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sct.chuyenvien', password: secret }) });
    const user = await new ApiClient(url).login('sct.chuyenvien', DEMO_PASSWORD);
    await user.post('/api/dossiers', validDossierInput({ subject: 'Kiểm tra ghi nhật ký không lộ bí mật', consultedAgencyCodes: [] })).catch(() => undefined);
    // (and code logs an object holding such fields itself)
    log.warn('an object with secrets', { password: secret, nested: { csrfToken: user.csrfToken, cookie: user.sessionCookie } });

    // then none of those values is anywhere in the log, yet the lines are there
    const all = log.output.join('');
    expect(log.records.filter((r) => r.msg === 'request completed').length).toBeGreaterThanOrEqual(3);
    for (const value of [secret, DEMO_PASSWORD, user.csrfToken, user.sessionCookie.split('=')[1]!, 'Kiểm tra ghi nhật ký']) expect(all).not.toContain(value);
    expect(log.records.find((r) => r.msg === 'an object with secrets')).toMatchObject({ password: '[redacted]', nested: { csrfToken: '[redacted]', cookie: '[redacted]' } });
  });

  it('should answer /health/live and /health/ready (and /health) 200 when the database and the engine answer', async () => {
    // given the test's server with its database and engine up
    // when each is asked
    const [live, ready, health] = await Promise.all([fetch(`${env.baseUrl}/health/live`), fetch(`${env.baseUrl}/health/ready`), fetch(`${env.baseUrl}/health`)]);

    // then all answer 200, and readiness says what it checked
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: true, engine: true });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, database: true, engine: true });
  });

  it('should answer /health/ready 503 and /health/live 200 when the engine is unreachable or never answers', async () => {
    // given one server whose engine URL points at a closed port, another at an engine that accepts and never answers
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => void held.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => {
      for (const socket of held) socket.destroy();
      return new Promise((r) => silent.close(() => r()));
    });
    const down = await serverWith({ engine: new EngineClient({ baseUrl: `http://127.0.0.1:${closed}/engine-rest` }), log: memoryLogger() });
    const hung = await serverWith({ engine: new EngineClient({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/engine-rest` }), log: memoryLogger() });

    // when each is asked whether it is alive and ready
    const started = Date.now();
    const [live, ready, health, hungReady] = await Promise.all([fetch(`${down}/health/live`), fetch(`${down}/health/ready`), fetch(`${down}/health`), fetch(`${hung}/health/ready`)]);

    // then both are alive but not ready (the silent engine within the readiness check's 3 s), and the database still answers
    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, database: true, engine: false });
    expect(health.status).toBe(503);
    expect(hungReady.status).toBe(503);
    expect(await hungReady.json()).toEqual({ ok: false, database: true, engine: false });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('should hide /metrics on the application port unless METRICS_TOKEN is set, and then answer only that bearer token', async () => {
    // given the test's server (no token) and one with METRICS_TOKEN set
    const token = 'metrics-token-0123456789abcdef';
    const guarded = await serverWith({ config: configWith({ metricsToken: token }) });

    // when /metrics is asked without the token, with a wrong one, and with the right one
    const open = await fetch(`${env.baseUrl}/metrics`);
    const none = await fetch(`${guarded}/metrics`);
    const wrong = await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    const basic = await fetch(`${guarded}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` } });
    const right = await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${token}` } });

    // then without a token configured it does not exist, a missing or wrong token is a 401 with a code, and the right one reads the figures
    expect(open.status).toBe(404);
    for (const res of [none, wrong, basic]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('METRICS_UNAUTHORIZED');
      expect(body.error.message).toMatch(/mã truy cập/);
    }
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await right.text();
    expect(text).toContain('# TYPE hosotrinh_http_requests_total counter');
    // (refused and unknown paths are counted by pattern, never by their raw URL)
    await fetch(`${env.baseUrl}/api/no-such-route-abc123`);
    const after = await (await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(after).not.toContain('no-such-route-abc123');
    expect(after).toMatch(/hosotrinh_http_requests_total\{method="GET",route="\/metrics",status="401"\} 3/);
  });
});
