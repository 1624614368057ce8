/**
 * Two engine nodes on one engine database (Operaton's clustering): the suite's engine and a second
 * node started here. The second is killed with SIGKILL while work is under way; the engine client
 * (the server's) and the workers carry on against the first, and its job executor fires the timers.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { startEngine, type EngineHandle } from '../../scripts/engine.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { EngineClient } from '../../platform/engine/client.ts';
import { startWorkers } from '../../workers/start.ts';
import { complete } from '../../workers/runtime/outcome.ts';
import type { WorkerDefinition } from '../../workers/runtime/run-worker.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';

const KEY = 'test-failover';
const TOPIC = 'test-failover-work';
/** Start → a 2 s timer (fired by a job executor) → one external task → end. */
const timerThenTask = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_${KEY}" targetNamespace="http://ho-so-trinh.test">
  <bpmn:process id="${KEY}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="Work" />
    <bpmn:serviceTask id="Work" camunda:type="external" camunda:topic="${TOPIC}" />
    <bpmn:sequenceFlow id="F3" sourceRef="Work" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

describe('two engine nodes on one database', () => {
  let env: TestEnv;
  let second: EngineHandle;
  const first = inject('engineRestUrl');

  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
    const root = path.resolve(import.meta.dirname, '..', '..');
    second = await startEngine({
      port: await freePort(),
      databaseUrl: inject('engineDatabaseUrl'),
      user: inject('engineUser'),
      password: inject('enginePassword'),
      logFile: path.join(root, 'artifacts', 'engine-test-node2.log'),
      readyTimeoutMs: 300_000,
      quickStart: true,
    });
  }, 360_000);
  afterAll(async () => {
    if (second && second.process.exitCode === null && second.process.signalCode === null) await second.stop();
    await env?.close();
  });

  it('should carry on against the other node within 5 s, timers firing and every task handled once, when one node is killed with SIGKILL', async () => {
    // given a client and workers that prefer the second node, and instances started through it
    const client = new EngineClient({ baseUrl: [second.restUrl, first], user: inject('engineUser'), password: inject('enginePassword'), startNode: 0 });
    expect(client.baseUrl).toBe(second.restUrl);
    await client.deploy(KEY, [{ name: `${KEY}.bpmn`, content: timerThenTask }], false);
    const handled = new Map<string, number>();
    const worker: WorkerDefinition = {
      topic: TOPIC,
      refreshesDeadlines: false,
      async handle({ task }) {
        handled.set(task.businessKey!, (handled.get(task.businessKey!) ?? 0) + 1);
        return complete({});
      },
    };
    const config = { ...env.config, engine: { ...env.config.engine, restUrls: [second.restUrl, first] } };
    const workers = startWorkers({ config, policy: DEFAULT_POLICY, ds: env.ds, log: env.log, workers: [worker] });
    try {
      const before = await Promise.all(Array.from({ length: 10 }, (_, k) => client.startProcess(KEY, `FO-A-${k}`, {})));

      // when the second node is killed while their timers wait
      second.process.kill('SIGKILL');
      await new Promise((r) => second.process.once('exit', r));
      const killedAt = Date.now();

      // then the next calls, reads and a start alike, are answered by the first node at once
      const defs = await client.listProcessDefinitions({ key: KEY });
      const after = await Promise.all(Array.from({ length: 5 }, (_, k) => client.startProcess(KEY, `FO-B-${k}`, {})));
      const failoverMs = Date.now() - killedAt;
      console.log(`engine client failover: ${failoverMs} ms to a read and 5 starts on the surviving node`);
      expect(defs.length).toBeGreaterThan(0);
      expect(failoverMs).toBeLessThan(5000);
      expect(client.baseUrl).toBe(first);

      // and the first node's job executor fires every timer, the workers handle each task once, every instance ends
      const ids = [...before, ...after].map((p) => p.id);
      await eventually(
        async () => {
          const ended = await Promise.all(ids.map((id) => client.historicProcessInstance(id).then((h) => h.state === 'COMPLETED')));
          return ended.every(Boolean) || undefined;
        },
        'all 15 instances completed on the surviving node',
        40_000,
      );
      console.log(`all 15 instances ended ${Date.now() - killedAt} ms after the kill`);
      expect([...handled.keys()].sort()).toEqual([...ids.keys()].map((k) => (k < 10 ? `FO-A-${k}` : `FO-B-${k - 10}`)).sort());
      expect([...handled.values()].every((n) => n === 1)).toBe(true);
    } finally {
      workers.stop();
    }
  }, 120_000);
});
