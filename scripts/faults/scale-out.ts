/**
 * The fault run's scale-out phase: a second engine node on the same engine database, two server
 * processes and a worker process given both nodes (ENGINE_URLS). While dossiers run through the
 * first server, the second engine node is killed with SIGKILL: the servers' answers, the workers'
 * next step and the timers of instances started on that node are timed against the kill. The node
 * is then started again on its port, and its rejoining is timed: the worker's poll of it, and which
 * servers call it again. Then the first server is killed: the second answers, and a live stream
 * reconnects to it and hears events.
 *
 * Every process started here takes the share of PostgreSQL's connections the stack computed for
 * the run's largest shape (config/connection-budget.ts), as the stack's own processes do.
 */
import path from 'node:path';
import { startEngine, type EngineHandle } from '../engine.ts';
import { freePort, waitForHttp } from '../lib/ports.ts';
import { connectedTo } from '../lib/processes.ts';
import { NodeProcess, sleep, type Stack } from '../bench/stack.ts';
import { figure, round, type Figure } from '../bench/stats.ts';
import { poolEnv, type Shape } from '../../config/connection-budget.ts';
import { createDossiers, login, type DriverStats } from '../bench/people.ts';
import { EngineClient } from '../../platform/engine/client.ts';
import { loadConfig } from '../../config/index.ts';
import { validDossierInput } from '../../test/support/dossiers.ts';

type RunUntil = (
  stack: Pick<Stack, 'baseUrl' | 'databaseUrl' | 'engineClient'>,
  stats: DriverStats,
  status: string,
  target: () => number,
  timeoutMs: number,
  log: (l: string) => void,
  extra?: () => Promise<void>,
) => Promise<number>;

const TIMER_KEY = 'fault-timer';
const timerDiagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_${TIMER_KEY}" targetNamespace="http://ho-so-trinh.faults">
  <bpmn:process id="${TIMER_KEY}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

type Probe = { server: string; at: number; status: number; ms: number };

/**
 * Every process that holds connections during this phase: the stack's own engine, server and worker
 * (the worker only pauses, keeping its pool) and the node, two servers and worker added here. The
 * fault run sizes the stack's pools for it (createStack's largestShape).
 */
export const SCALE_OUT_SHAPE: Shape = { engines: 2, servers: 3, workerProcesses: 2 };

/** Reads a live stream until it ends; resolves with the events seen (ids and an action), and when it ended. */
async function openStream(baseUrl: string, cookie: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: ctrl.signal });
  const events: Record<string, unknown>[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        for (const m of decoder.decode(chunk as Uint8Array, { stream: true }).matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!) as Record<string, unknown>);
      }
    } catch {
      // broken by the kill, or aborted
    }
    return Date.now();
  })();
  return { status: res.status, events, ended, close: () => ctrl.abort() };
}

export async function scaleOutPhase(
  s: Stack,
  stats: DriverStats,
  opts: { smoke: boolean; dossiers: number; timers: number; doneSoFar: number; logDir: string; log: (l: string) => void; runUntil: RunUntil; workerEnv: NodeJS.ProcessEnv },
): Promise<{ figures: Figure[]; done: number; notes: string[] }> {
  const { log } = opts;
  const figures: Figure[] = [];
  const notes: string[] = [];
  let node2: EngineHandle | null = null;
  const procs: NodeProcess[] = [];
  const oldWorker = s.workers?.pid;
  const pools = poolEnv(s.pools);
  try {
    const started = Date.now();
    const node2Port = await freePort();
    const startNode2 = () =>
      startEngine({
        port: node2Port,
        databaseUrl: s.engine.databaseUrl,
        user: s.engine.user,
        password: s.engine.password,
        logFile: path.join(opts.logDir, 'engine-node2.log'),
        readyTimeoutMs: 300_000,
        quickStart: opts.smoke,
        dbPool: s.pools.engine,
      });
    node2 = await startNode2();
    log(`  engine node 2 ready at ${node2.restUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const urls = [node2.restUrl, s.engine.restUrl];
    const env: NodeJS.ProcessEnv = { ...s.env, ENGINE_URLS: urls.join(',') };
    delete env.ENGINE_URL;
    delete env.METRICS_PORT;
    const servers: { name: string; proc: NodeProcess; baseUrl: string }[] = [];
    for (const name of ['server-a', 'server-b']) {
      const port = await freePort();
      const proc = new NodeProcess(name, 'server/main.ts', { ...env, ...pools.server, PORT: String(port) }, path.join(opts.logDir, `${name}.log`));
      procs.push(proc);
      proc.start();
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(`${baseUrl}/health`, 180_000);
      servers.push({ name, proc, baseUrl });
    }
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const workerEnv = { ...env, ...pools.workers, ...opts.workerEnv };
    const worker = new NodeProcess('workers-two-nodes', 'workers/index.ts', workerEnv, path.join(opts.logDir, 'workers-two-nodes.log'));
    procs.push(worker);
    worker.start();
    while (!worker.lines.some((l) => /polling/.test(l.text))) await sleep(50);
    // The worker of the earlier phases (one node) pauses, so the steps below are this worker's.
    if (oldWorker) process.kill(oldWorker, 'SIGSTOP');

    // Timers of instances started on node 2, due after it is gone.
    const viaNode2 = new EngineClient({ baseUrl: urls, user: s.engine.user, password: s.engine.password, startNode: 0 });
    await viaNode2.deploy(TIMER_KEY, [{ name: `${TIMER_KEY}.bpmn`, content: timerDiagram }], false);

    log(`phase 5: ${opts.dossiers} dossiers through two servers and two engine nodes; engine node 2 killed with SIGKILL mid-run`);
    const target = opts.doneSoFar + opts.dossiers;
    const creating = createDossiers(a.baseUrl, opts.dossiers, 4, stats, 'scale-out');
    let killAt = 0;
    const probes: Probe[] = [];
    let timerIds: string[] = [];
    let onNode2AtKill: string[] = [];
    const ready = (srv: (typeof servers)[0]) => fetch(`${srv.baseUrl}/health/ready`, { signal: AbortSignal.timeout(20_000) }).catch(() => null);
    const done = await opts.runUntil({ baseUrl: a.baseUrl, databaseUrl: s.databaseUrl, engineClient: s.engineClient }, stats, 'DECIDED_APPROVED', () => target, opts.smoke ? 120_000 : 1_800_000, log, async () => {
      // Mid-run: every dossier acknowledged (none of their starts in flight), their first worker steps pending.
      await creating;
      if (!opts.smoke) await sleep(3000);
      timerIds = (await Promise.all(Array.from({ length: opts.timers }, (_, k) => viaNode2.startProcess(TIMER_KEY, `timer-${k}`, {})))).map((p) => p.id);
      // Which servers call node 2 now: each has just asked the engine, over its kept-alive connection.
      await Promise.all(servers.map(ready));
      onNode2AtKill = servers.filter((srv) => connectedTo(srv.proc.pid!, node2Port)).map((srv) => srv.name);
      node2!.process.kill('SIGKILL');
      await new Promise((r) => node2!.process.once('exit', r));
      killAt = Date.now();
      // Both servers, every 200 ms for 10 s: readiness asks the engine, through whichever node each is on.
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        await Promise.all(
          servers.map(async (srv) => {
            const t0 = performance.now();
            const res = await ready(srv);
            probes.push({ server: srv.name, at: Date.now(), status: res?.status ?? 0, ms: performance.now() - t0 });
          }),
        );
        await sleep(200);
      }
    });
    const slowest = Math.max(0, ...probes.map((p) => p.ms));
    const failed = probes.filter((p) => p.status !== 200).length;
    const firstStep = worker.lines.find((l) => l.at >= killAt && /: task \S+ (completed|bpmn_error)/.test(l.text));
    const stepSec = firstStep ? (firstStep.at - killAt) / 1000 : null;
    log(`  ${probes.length} readiness probes after the kill: ${failed} not 200, slowest ${round(slowest)} ms; worker's first step ${stepSec ?? 'never'} s after; ${done}/${target} approved; servers on node 2 at the kill: ${onNode2AtKill.join(', ') || 'none'}`);
    if (onNode2AtKill.length === 0) notes.push('engine node kill: no server was calling node 2 when it was killed (each server picks its first node by its pid), so no server had to fail over this run');
    figures.push(figure('engine node kill: server answers not 200', failed, 'count', { op: '==', target: 0 }, { note: `of ${probes.length} readiness probes to 2 servers in the 10 s after` }));
    figures.push(figure('engine node kill: slowest server answer', slowest, 'ms', { op: '<=', target: 5000 }, { note: 'servers fail over' }));
    figures.push(figure('engine node kill: worker step after the kill', stepSec, 's', { op: '<=', target: 5 }, { note: 'first task the two-node worker completed' }));
    figures.push(figure('engine node kill: dossiers approved', done - opts.doneSoFar, 'count', { op: '>=', target: opts.dossiers }));
    // Timers: every instance started on the dead node ends, fired by the surviving node's job executor.
    const timersDeadline = Date.now() + 90_000;
    let timersEnded = 0;
    while (Date.now() < timersDeadline) {
      const open = (await s.engineClient.request<{ count: number }>('POST', '/process-instance/count', { processInstanceIds: timerIds })).count;
      timersEnded = timerIds.length - open;
      if (open === 0) break;
      await sleep(500);
    }
    const timersSec = (Date.now() - killAt) / 1000;
    figures.push(figure('engine node kill: timers fired on the other node', timersEnded, 'count', { op: '==', target: opts.timers }, { note: `all within ${round(timersSec)} s of the kill` }));

    // Node 2 comes back on its port: how soon does it take work again? The worker's poller of that
    // node backs off while it is away (at most WORKER_MAX_BACKOFF_MS); its next poll is held open at
    // the node, seen as the worker's connection to it (the "reachable again" line comes only when
    // that long poll returns, up to WORKER_ASYNC_RESPONSE_TIMEOUT_MS later when there is no work).
    // The servers are watched the same way while they answer readiness probes.
    log('phase 5b: engine node 2 started again on its port');
    const restartAt = Date.now();
    node2 = await startNode2();
    const node2ReadyAt = Date.now();
    let workerBackAt: number | null = null;
    const serversBack = new Set<string>();
    // The worker's own settings, as it read them from the environment it was given.
    const workerSettings = loadConfig(workerEnv).worker;
    const rejoinWaitMs = workerSettings.maxBackoffMs + workerSettings.asyncResponseTimeoutMs + 5000;
    const watchUntil = node2ReadyAt + rejoinWaitMs;
    // Only the servers that were on it at the kill come back to it (the others' own node is node 1).
    while (Date.now() < watchUntil && (workerBackAt === null || onNode2AtKill.some((n) => !serversBack.has(n)))) {
      if (workerBackAt === null && connectedTo(worker.pid!, node2Port)) workerBackAt = Date.now();
      await Promise.all(servers.map(ready));
      for (const srv of servers) if (connectedTo(srv.proc.pid!, node2Port)) serversBack.add(srv.name);
      await sleep(100);
    }
    const pollSec = workerBackAt === null ? null : Math.max(0, workerBackAt - node2ReadyAt) / 1000;
    const reachable = worker.lines.find((l) => l.at >= restartAt && /engine reachable again/.test(l.text) && l.text.includes(`:${node2Port}/`));
    log(
      `  node 2 ready again in ${((node2ReadyAt - restartAt) / 1000).toFixed(1)} s; the worker polled it ${pollSec ?? 'never'} s after (its first poll returned ${reachable ? `${((reachable.at - node2ReadyAt) / 1000).toFixed(1)} s after` : 'later'}); servers calling it again: ${[...serversBack].join(', ') || 'none'}`,
    );
    figures.push(figure('engine node rejoin: worker polls it again', pollSec, 's', { op: '<=', target: 5 }, { note: `after its readiness (started again in ${round((node2ReadyAt - restartAt) / 1000)} s)` }));
    // Each server probes its own node after a failover and goes back to it: those that were on it
    // return. With none on it at the kill there is nothing to come back, and no goal to claim met.
    const back = onNode2AtKill.filter((n) => serversBack.has(n)).length;
    figures.push(
      figure('engine node rejoin: servers calling it again', back, 'count', onNode2AtKill.length > 0 ? { op: '==', target: onNode2AtKill.length } : undefined, {
        note: `of the ${onNode2AtKill.length} on it at the kill (${onNode2AtKill.join(', ') || 'none'}), within ${round(rejoinWaitMs / 1000)} s of its readiness`,
      }),
    );

    // The first server goes: the second answers, and a live stream moves to it.
    log('phase 6: server A killed with SIGKILL; server B answers, the live stream reconnects to it');
    const drafter = await login(a.baseUrl, 'sct.chuyenvien');
    const first = await openStream(a.baseUrl, drafter.sessionCookie);
    await sleep(300);
    a.proc.kill9();
    const serverKillAt = Date.now();
    const brokenAt = await first.ended;
    // As EventSource does: the stream is opened again, here on the address still answering.
    let second: Awaited<ReturnType<typeof openStream>> | null = null;
    for (let attempt = 0; attempt < 50 && !second; attempt++) {
      const tryIt = await openStream(b.baseUrl, drafter.sessionCookie).catch(() => null);
      if (tryIt?.status === 200) second = tryIt;
      else await sleep(100);
    }
    const reconnectMs = second ? Date.now() - serverKillAt : null;
    // The drafter signed in through A: the same session, through B.
    const throughB = await fetch(`${b.baseUrl}/api/dossiers`, { headers: { cookie: drafter.sessionCookie } });
    const created = await fetch(`${b.baseUrl}/api/dossiers`, {
      method: 'POST',
      headers: { cookie: drafter.sessionCookie, 'x-csrf-token': drafter.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(validDossierInput({ externalRef: 'server-kill' })),
    }).catch(() => null);
    const heard = async () => {
      const until = Date.now() + 10_000;
      while (Date.now() < until && second && second.events.length === 0) await sleep(100);
      return second?.events.length ?? 0;
    };
    const events = await heard();
    second?.close();
    // The dossier created through B goes to its end like the others (the integrity counts every dossier).
    const final = created?.status === 201 ? await opts.runUntil({ baseUrl: b.baseUrl, databaseUrl: s.databaseUrl, engineClient: s.engineClient }, stats, 'DECIDED_APPROVED', () => done + 1, opts.smoke ? 120_000 : 600_000, log) : done;
    log(`  stream on A ended ${brokenAt - serverKillAt} ms after the kill; reconnected on B after ${reconnectMs ?? 'never'} ms; B answered ${throughB.status}; ${events} events heard on B (create ${created?.status ?? 'failed'})`);
    figures.push(figure('server kill: the other server answers', throughB.status === 200 ? 1 : 0, 'count', { op: '==', target: 1 }, { note: 'same session' }));
    figures.push(figure('server kill: live stream reconnected', reconnectMs, 'ms', { op: '<=', target: 5000 }, { note: 'on the other server' }));
    figures.push(figure('server kill: events on the reconnected stream', events, 'count', { op: '>=', target: 1 }));
    return { figures, done: final, notes };
  } finally {
    if (oldWorker) {
      try {
        process.kill(oldWorker, 'SIGCONT');
      } catch {
        // gone
      }
    }
    for (const p of procs) await p.stop().catch(() => {});
    if (node2 && node2.process.exitCode === null && node2.process.signalCode === null) await node2.stop();
  }
}
