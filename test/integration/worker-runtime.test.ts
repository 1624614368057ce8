import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { WorkerFault, complete } from '../../workers/runtime/outcome.ts';
import type { WorkerDefinition } from '../../workers/runtime/run-worker.ts';
import { oneTaskDiagram } from '../support/diagrams.ts';


describe('the worker runtime on the real engine', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should fail the task at once with decreasing retries, then raise an incident, when a handler throws', async () => {
    // given a diagram whose only worker always throws
    const key = 'test-failing-handler';
    await env.engine.deploy(key, [{ name: `${key}.bpmn`, content: oneTaskDiagram(key, 'test-always-fails') }], false);
    let calls = 0;
    const failing: WorkerDefinition = {
      topic: 'test-always-fails',
      refreshesDeadlines: false,
      async handle() {
        calls++;
        throw new Error('database exploded');
      },
    };
    const instance = await env.engine.startProcess(key, 'FAIL-1', {});

    // when the worker runs (3 retries, 200 ms base back-off, 10 s lock)
    const workers = env.startWorkers([failing]);
    try {
      // then the first failure unlocks the task well before its 10 s lock would expire
      const afterFirst = await eventually(async () => {
        const [t] = await env.engine.externalTasks({ processInstanceId: instance.id });
        return t && t.retries === 2 ? t : undefined;
      }, 'first failure reported', 5_000);
      // (the engine keeps a failed task locked for the retry timeout only: 200 ms here, not 10 s)
      expect(Date.parse(afterFirst.lockExpirationTime!.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))).toBeLessThan(Date.now() + 2_000);
      expect(afterFirst.errorMessage).toContain('database exploded');

      // and once retries run out, the engine shows an incident for the task
      const incident = await eventually(async () => (await env.engine.incidents({ processInstanceId: instance.id }))[0], 'incident', 15_000);
      expect(incident.activityId).toBe('Task_Work');
      expect(incident.incidentType).toBe('failedExternalTask');
      expect(calls).toBe(3);
      const [t] = await env.engine.externalTasks({ processInstanceId: instance.id });
      expect(t!.retries).toBe(0);
    } finally {
      workers.stop();
      await env.engine.request('DELETE', `/process-instance/${instance.id}`).catch(() => {});
    }
  });

  it('should complete a task that was delivered again after its lock expired, with its side effect once', async () => {
    // given a worker whose side effect is keyed by the task id, and a first delivery that "crashes" after the effect
    const key = 'test-redelivery';
    await env.engine.deploy(key, [{ name: `${key}.bpmn`, content: oneTaskDiagram(key, 'test-redelivered') }], false);
    await env.ds.query('CREATE TABLE IF NOT EXISTS test_effect (task_id text PRIMARY KEY, n int NOT NULL DEFAULT 1)');
    const effect = async (taskId: string) => {
      await env.ds.query('INSERT INTO test_effect (task_id) VALUES ($1) ON CONFLICT (task_id) DO NOTHING', [taskId]);
    };
    const instance = await env.engine.startProcess(key, 'REDELIVER-1', {});
    const locked = await env.engine.request<{ id: string }[]>('POST', '/external-task/fetchAndLock', {
      workerId: 'crashing-worker',
      maxTasks: 1,
      topics: [{ topicName: 'test-redelivered', lockDuration: 1000 }],
    });
    expect(locked).toHaveLength(1);
    await effect(locked[0]!.id);

    // when the real worker starts and the lock expires
    let deliveries = 0;
    const worker: WorkerDefinition = {
      topic: 'test-redelivered',
      refreshesDeadlines: false,
      async handle({ task }) {
        deliveries++;
        if (task.id !== locked[0]!.id) throw new WorkerFault('another task');
        await effect(task.id);
        return complete({ done: true });
      },
    };
    const workers = env.startWorkers([worker]);
    try {
      // then the instance ends, the same task was delivered to it, and the effect exists once
      await eventually(async () => (await env.engine.historicProcessInstance(instance.id)).endTime, 'instance end', 15_000);
      expect(deliveries).toBe(1);
      const rows = (await env.ds.query('SELECT count(*)::int AS n FROM test_effect WHERE task_id = $1', [locked[0]!.id])) as { n: number }[];
      expect(rows[0]!.n).toBe(1);
    } finally {
      workers.stop();
    }
  });
  it('should let a running handler finish and report its task when the workers are drained for a shutdown', async () => {
    // given a slow handler that has started on a task
    const key = 'test-drain';
    await env.engine.deploy(key, [{ name: `${key}.bpmn`, content: oneTaskDiagram(key, 'test-slow') }], false);
    let entered = false;
    const slow: WorkerDefinition = {
      topic: 'test-slow',
      refreshesDeadlines: false,
      async handle() {
        entered = true;
        await new Promise((r) => setTimeout(r, 1_000));
        return complete({ done: true });
      },
    };
    const instance = await env.engine.startProcess(key, 'DRAIN-1', {});
    const workers = env.startWorkers([slow]);
    await eventually(async () => entered, 'handler entered', 10_000);

    // when the process is asked to stop
    await workers.drain(5_000);

    // then the handler has finished and its task was completed, not left locked until its lock expires
    const ended = await env.engine.historicProcessInstance(instance.id);
    expect(ended.endTime).not.toBeNull();
  });
});
