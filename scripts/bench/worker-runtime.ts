/**
 * Worker runtime throughput and pickup latency, on a one-task diagram: our runtime (client
 * options, interceptor, wrapper, back-off) with a no-op handler against a raw REST loop
 * (fetchAndLock with maxTasks 25 and long polling, completions in parallel) on the same engine.
 */
import type { DataSource } from 'typeorm';
import { EngineClient } from '../../platform/engine/client.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import { createWorkerClient, subscribeAll, type Logger } from '../../workers/runtime/run-worker.ts';
import { createLogger } from '../../platform/log.ts';
import { complete } from '../../workers/runtime/outcome.ts';
import { sleep, type EngineRef } from './stack.ts';
import { percentile, pool } from './stats.ts';

export const ONE_TASK_KEY = 'bench-one-task';
const TOPIC = 'bench-noop';

export function oneTaskDiagram(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Bench" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${ONE_TASK_KEY}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_Noop" camunda:type="external" camunda:topic="\${topic}"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Noop" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_Noop" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

const quietLog: Logger = createLogger('bench', 'silent');

function client(engine: EngineRef): EngineClient {
  return new EngineClient({ baseUrl: engine.restUrl, user: engine.user, password: engine.password, timeoutMs: 60_000 });
}

/** The topic is a variable so each measurement has tasks of its own on one deployed diagram. */
async function startInstances(engine: EngineClient, topic: string, count: number, tag: string): Promise<void> {
  await pool(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    await engine.startProcess(ONE_TASK_KEY, `${tag}-${i}`, { topic });
  });
}

async function openTasks(engine: EngineClient, topic: string): Promise<number> {
  const r = await engine.request<{ count: number }>('GET', '/external-task/count', undefined, { topicName: topic });
  return r.count;
}

async function waitDrained(engine: EngineClient, topic: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await openTasks(engine, topic)) > 0) {
    if (Date.now() > deadline) throw new Error(`tasks of ${topic} not drained within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function deployOneTask(engine: EngineRef): Promise<void> {
  await client(engine).deploy('bench-one-task', [{ name: 'bench-one-task.bpmn', content: oneTaskDiagram() }], true, 'bench');
}

/** The raw loop: fetchAndLock (maxTasks 25, long polling), complete the batch in parallel, again. */
async function rawLoop(engine: EngineClient, topic: string, stop: () => boolean): Promise<void> {
  const workerId = `bench-raw-${process.pid}`;
  while (!stop()) {
    const tasks = await engine.request<{ id: string }[]>('POST', '/external-task/fetchAndLock', {
      workerId,
      maxTasks: 25,
      usePriority: false,
      asyncResponseTimeout: 1000,
      topics: [{ topicName: topic, lockDuration: 30_000 }],
    });
    await Promise.all(tasks.map((t) => engine.request('POST', `/external-task/${t.id}/complete`, { workerId })));
  }
}

export type ThroughputResult = { tasks: number; rawPerSec: number; oursPerSec: number; ratio: number };

/** Pre-creates `tasks` instances per side, then times how fast each consumer drains them. */
export async function measureThroughput(engineRef: EngineRef, tasks: number, log: (l: string) => void, warmUpTasks = 0): Promise<ThroughputResult> {
  const engine = client(engineRef);
  await deployOneTask(engineRef);

  // A freshly started engine compiles its hot paths during its first minutes: an untimed round first,
  // so that whichever loop is measured first does not pay for it alone.
  if (warmUpTasks > 0) {
    const warmTopic = `${TOPIC}-warm-${Date.now()}`;
    await startInstances(engine, warmTopic, warmUpTasks, 'warm-up');
    let stopWarm = false;
    const warm = rawLoop(engine, warmTopic, () => stopWarm);
    await waitDrained(engine, warmTopic, 600_000);
    stopWarm = true;
    await warm;
  }

  const rawTopic = `${TOPIC}-raw-${Date.now()}`;
  await startInstances(engine, rawTopic, tasks, 'raw');
  let stopRaw = false;
  const t0 = performance.now();
  const raw = rawLoop(engine, rawTopic, () => stopRaw);
  await waitDrained(engine, rawTopic, 600_000);
  const rawSec = (performance.now() - t0) / 1000;
  stopRaw = true;
  await raw;
  log(`raw REST loop: ${tasks} tasks in ${rawSec.toFixed(2)} s`);

  const oursTopic = `${TOPIC}-ours-${Date.now()}`;
  await startInstances(engine, oursTopic, tasks, 'ours');
  const workerClient = ourClient(engineRef);
  subscribeAll(workerClient, [{ topic: oursTopic, refreshesDeadlines: false, handle: async () => complete() }], {
    ds: {} as DataSource,
    policy: DEFAULT_POLICY,
    log: quietLog,
    retries: 3,
    retryTimeoutMs: 1000,
  });
  const t1 = performance.now();
  workerClient.start();
  await waitDrained(engine, oursTopic, 600_000);
  const oursSec = (performance.now() - t1) / 1000;
  workerClient.stop();
  log(`our runtime: ${tasks} tasks in ${oursSec.toFixed(2)} s`);
  const rawPerSec = tasks / rawSec;
  const oursPerSec = tasks / oursSec;
  return { tasks, rawPerSec, oursPerSec, ratio: oursPerSec / rawPerSec };
}

/** Our worker client exactly as the workers process configures it (long polling, no pause, back-off). */
function ourClient(engineRef: EngineRef) {
  return createWorkerClient({
    baseUrl: engineRef.restUrl,
    user: engineRef.user,
    password: engineRef.password,
    maxTasks: 25,
    lockDurationMs: 30_000,
    asyncResponseTimeoutMs: 10_000,
    maxBackoffMs: 5_000,
    log: quietLog,
  });
}

export type PickupResult = { samples: number; p50: number; p95: number; max: number };

/**
 * Pickup latency: from the start request of an instance to the entry of our handler, one
 * instance at a time so the worker is always waiting in its long poll, as in production.
 */
export async function measurePickup(engineRef: EngineRef, samples: number): Promise<PickupResult> {
  const engine = client(engineRef);
  await deployOneTask(engineRef);
  const topic = `${TOPIC}-pickup-${Date.now()}`;
  const waiting = new Map<string, (at: number) => void>();
  const workerClient = ourClient(engineRef);
  subscribeAll(
    workerClient,
    [
      {
        topic,
        refreshesDeadlines: false,
        handle: async ({ task }) => {
          waiting.get(task.businessKey ?? '')?.(performance.now());
          return complete();
        },
      },
    ],
    { ds: {} as DataSource, policy: DEFAULT_POLICY, log: quietLog, retries: 3, retryTimeoutMs: 1000 },
  );
  workerClient.start();
  await sleep(300);
  const latencies: number[] = [];
  const warmup = Math.min(20, Math.ceil(samples / 10));
  for (let i = 0; i < samples + warmup; i++) {
    const key = `pickup-${i}`;
    const entered = new Promise<number>((resolve) => waiting.set(key, resolve));
    const t0 = performance.now();
    await engine.startProcess(ONE_TASK_KEY, key, { topic });
    const at = await Promise.race([entered, sleep(15_000).then(() => NaN)]);
    waiting.delete(key);
    if (i >= warmup) latencies.push(at - t0);
    // Let the completion land and the worker go back to its long poll.
    await sleep(10 + Math.random() * 20);
  }
  workerClient.stop();
  const ok = latencies.filter((l) => Number.isFinite(l));
  return { samples: ok.length, p50: percentile(ok, 50), p95: percentile(ok, 95), max: Math.max(...ok) };
}
