/**
 * Workers subscribe with the variables they read (WorkerDefinition.variables): the engine sends
 * those with the task and no others, and a worker that lists none still gets them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { complete } from '../../workers/runtime/outcome.ts';
import type { WorkerDefinition } from '../../workers/runtime/run-worker.ts';
import { oneTaskDiagram } from '../support/diagrams.ts';


describe('worker subscriptions with a variables list, on the real engine', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  async function varsSeenBy(key: string, variables: readonly string[] | undefined): Promise<Record<string, unknown>> {
    await env.engine.deploy(key, [{ name: `${key}.bpmn`, content: oneTaskDiagram(key, key) }], false);
    const instance = await env.engine.startProcess(key, `${key}-1`, { dossierId: 'D-1', round: 2, bulky: 'x'.repeat(3_000), other: true });
    let seen: Record<string, unknown> | undefined;
    const def: WorkerDefinition = {
      topic: key,
      refreshesDeadlines: false,
      ...(variables ? { variables } : {}),
      async handle({ vars }) {
        seen = vars;
        return complete({});
      },
    };
    const workers = env.startWorkers([def]);
    try {
      await eventually(async () => (await env.engine.listProcessInstances({ processDefinitionKey: key })).every((i) => i.id !== instance.id), 'instance ended', 20_000);
      return seen!;
    } finally {
      workers.stop();
    }
  }

  it('should hand the handler only the listed variables when the worker lists them', async () => {
    // given an instance with four variables, when a worker that reads two handles its task
    const vars = await varsSeenBy('test-listed-variables', ['dossierId', 'round']);
    // then it got those two, typed, and neither of the others
    expect(vars).toEqual({ dossierId: 'D-1', round: 2 });
  });

  it('should hand the handler every variable when the worker lists none', async () => {
    const vars = await varsSeenBy('test-all-variables', undefined);
    expect(Object.keys(vars).sort()).toEqual(['bulky', 'dossierId', 'other', 'round']);
  });
});
