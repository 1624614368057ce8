/** Reaching into the real engine from a test: timers fired on demand, variables, history, refusals. */
import { expect } from 'vitest';
import { ApiError, type ApiClient } from '../../scripts/lib/api-client.ts';
import { fromEngineVariables, type EngineVariables } from '../../platform/engine/variables.ts';
import { eventually, type TestEnv } from './env.ts';
import { isOptimisticLockConflict } from '../../platform/engine/client.ts';

type JobRow = { id: string; executionId: string; processInstanceId: string };

/** The process instance of a dossier, as the server stored it. */
export async function instanceOf(env: TestEnv, dossierId: string): Promise<string> {
  const rows = (await env.ds.query('SELECT process_instance_id FROM dossier WHERE id = $1', [dossierId])) as { process_instance_id: string | null }[];
  const id = rows[0]?.process_instance_id;
  if (!id) throw new Error(`dossier ${dossierId} has no process instance`);
  return id;
}

/**
 * Fires a timer now by executing its job through the engine's REST API (never sleep for timers).
 * With `opinionAgency`, only the timer of that agency's Task_GiveOpinion.
 */
export async function fireTimer(env: TestEnv, processInstanceId: string, activityId: string, opinionAgency?: string): Promise<void> {
  const job = await eventually(async () => {
    const jobs = await env.engine.request<JobRow[]>('GET', '/job', undefined, { processInstanceId, activityId, timers: true });
    if (!opinionAgency) return jobs[0];
    for (const j of jobs) {
      const vars = await env.engine.request<{ value: unknown }[]>('GET', '/variable-instance', undefined, { executionIdIn: j.executionId, variableName: 'opinionAgency' });
      if (vars.some((v) => v.value === opinionAgency)) return j;
    }
    return undefined;
  }, `timer ${activityId}${opinionAgency ? ` of ${opinionAgency}` : ''} in ${processInstanceId}`);
  // Like the engine's own job executor, run it again when it lost a race with a worker in the same instance.
  for (let attempt = 0; ; attempt++) {
    try {
      await env.engine.executeJob(job.id);
      return;
    } catch (err) {
      if (attempt >= 5 || !isOptimisticLockConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}

export async function processVariables(env: TestEnv, processInstanceId: string): Promise<Record<string, unknown>> {
  return fromEngineVariables((await env.engine.processVariables(processInstanceId)) as EngineVariables);
}

/** The open user tasks of an instance, by definition key (what the engine itself says, not our API). */
export async function openTasks(env: TestEnv, processInstanceId: string): Promise<{ id: string; taskDefinitionKey: string; executionId: string }[]> {
  return env.engine.request('GET', '/task', undefined, { processInstanceId });
}

/** Ids of the activities the instance has passed through, in order. */
export async function historyOf(env: TestEnv, processInstanceId: string): Promise<string[]> {
  return (await env.engine.historicActivityInstances(processInstanceId)).map((h) => h.activityId);
}

/** The API refusal a call must end in; fails the test when the call succeeds. */
export async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the API to refuse the call');
}

/** Claims a task and expects its completion with `form` to be refused; the task stays open. */
export async function completionRefused(client: ApiClient, taskId: string, form: unknown): Promise<ApiError> {
  await client.post(`/api/tasks/${taskId}/claim`);
  return refusal(client.post(`/api/tasks/${taskId}/complete`, form));
}

/** The task's form as the API shows it, with the reason it came back (lastError). */
export async function taskForm(client: ApiClient, taskId: string): Promise<{ form: string; lastError: { code: string; message: string } | null }> {
  const { task } = await client.get<{ task: { form: string; lastError: { code: string; message: string } | null } }>(`/api/tasks/${taskId}`);
  return task;
}

export function expectRule(err: ApiError, status: number, code: string, rule?: string): void {
  expect({ status: err.status, code: err.code, ...(rule ? { rule: err.body?.error?.rule } : {}) }).toEqual({ status, code, ...(rule ? { rule } : {}) });
}
