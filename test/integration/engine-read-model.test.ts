/**
 * The server reads task lists and instance progress from the engine's tables
 * (store/engine-read-model.ts): what it reads must be what the engine's REST API says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { waitForTask } from '../support/flow.ts';
import { instanceOf } from '../support/engine.ts';
import type { Task } from '../../platform/engine/client.ts';
import { fromEngineVariables, type EngineVariables } from '../../platform/engine/variables.ts';

describe('reads of the engine tables', () => {
  let env: TestEnv;
  let dossierId: string;
  let instanceId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    const drafter = await env.as('sct.chuyenvien');
    dossierId = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC', 'SKHDT'] }))).dossier.id;
    await waitForTask(await env.as('stc.chuyenvien'), dossierId, 'Task_GiveOpinion');
    await waitForTask(await env.as('skhdt.chuyenvien'), dossierId, 'Task_GiveOpinion');
    instanceId = await instanceOf(env, dossierId);
  });
  afterAll(async () => {
    await env?.close();
  });

  const restTasks = (body: Record<string, unknown>) =>
    env.engine.request<Task[]>('POST', '/task', { processInstanceBusinessKey: dossierId, sorting: [{ sortBy: 'dueDate', sortOrder: 'asc' }], ...body });

  it('should list, count and read the same tasks as the REST API, with the same times', async () => {
    // given the dossier waiting for the opinions of STC and SKHDT
    const filter = { scope: 'all' as const, userId: 'stc.chuyenvien', groups: ['STC_chuyenvien'], businessKeys: [dossierId] };

    // when the tables are read for stc.chuyenvien
    const { tasks: read, total } = await env.engineDb.taskPage(filter, { offset: 0, limit: 20 }, 100);
    const rest = await restTasks({ orQueries: [{ candidateGroups: ['STC_chuyenvien'], candidateUser: 'stc.chuyenvien', assignee: 'stc.chuyenvien' }] });

    // then the same single task comes back, field for field (times as the same instants)
    expect(rest).toHaveLength(1);
    expect(read.map((t) => t.id)).toEqual(rest.map((t) => t.id));
    const [{ businessKey, processDefinitionKey, ...r }, e] = [read[0]!, rest[0]!];
    expect({ businessKey, processDefinitionKey }).toEqual({ businessKey: dossierId, processDefinitionKey: 'ho-so-trinh' });
    expect({ ...r, created: Date.parse(r.created), due: Date.parse(r.due!) }).toMatchObject({
      name: e.name,
      assignee: e.assignee,
      taskDefinitionKey: e.taskDefinitionKey,
      processInstanceId: e.processInstanceId,
      processDefinitionId: e.processDefinitionId,
      executionId: e.executionId,
      priority: e.priority,
      created: Date.parse(e.created),
      due: Date.parse(e.due!),
    });
    expect(total).toEqual({ count: 1, capped: false });

    // and one task with its candidates matches the REST task and its identity links
    const one = await env.engineDb.task(e.id);
    const links = await env.engine.taskIdentityLinks(e.id);
    expect(one?.candidateGroups).toEqual(links.filter((l) => l.type === 'candidate' && l.groupId).map((l) => l.groupId));
    expect(await env.engineDb.task('no-such-task')).toBeNull();
  });

  it('should read a task’s variables as the REST API gives them, the nearest scope first', async () => {
    // given each agency's opinion task (one instance of the multi-instance each, with its own opinionAgency)
    const tasks = await restTasks({ taskDefinitionKey: 'Task_GiveOpinion' });
    expect(tasks).toHaveLength(2);
    // and, on the first, a task-local variable hiding the instance's of the same name
    await env.engine.request('PUT', `/task/${tasks[0]!.id}/localVariables/round`, { value: 7, type: 'Integer' });
    expect((await env.engineDb.taskVariables(tasks[0]!.id, ['round'])).round).toBe(7);
    expect((await env.engineDb.taskVariables(tasks[1]!.id, ['round'])).round).toBe(1);
    for (const t of tasks) {
      // when its variables are read from the tables
      const names = ['round', 'opinionAgency', 'leadAgency', 'needsOpinions', 'dossierId', 'noSuchVariable'];
      const read = await env.engineDb.taskVariables(t.id, names);

      // then they are the REST API's, per instance
      const rest = fromEngineVariables((await env.engine.taskVariables(t.id)) as EngineVariables);
      expect(read).toEqual(Object.fromEntries(names.filter((n) => n in rest).map((n) => [n, rest[n]])));
    }
    const agencies = await Promise.all(tasks.map(async (t) => (await env.engineDb.taskVariables(t.id, ['opinionAgency'])).opinionAgency));
    expect(agencies.sort()).toEqual(['SKHDT', 'STC']);
  });

  it('should follow a claim: the task leaves the claimable list and joins the claimer’s own', async () => {
    // given stc.chuyenvien's claimable opinion task
    const stc = { userId: 'stc.chuyenvien', groups: ['STC_chuyenvien'], businessKeys: [dossierId] };
    const list = async (scope: 'group' | 'mine') => (await env.engineDb.taskPage({ ...stc, scope }, { offset: 0, limit: 20 }, 100)).tasks.map((t) => t.id);
    const [task] = (await env.engineDb.taskPage({ ...stc, scope: 'group' }, { offset: 0, limit: 20 }, 100)).tasks;

    // when they claim it in the engine
    await env.engine.claim(task!.id, 'stc.chuyenvien');

    // then the tables say what the REST API says
    expect(await list('group')).toEqual([]);
    expect(await list('mine')).toEqual([task!.id]);
    expect((await restTasks({ assignee: 'stc.chuyenvien' })).map((t) => t.id)).toEqual([task!.id]);
    await env.engine.unclaim(task!.id);
  });

  it('should cap a count and page in due-date order across both branches', async () => {
    // given an Office-wide view of both opinion tasks (two groups)
    const both = { scope: 'all' as const, userId: 'nobody', groups: ['STC_chuyenvien', 'SKHDT_chuyenvien'], businessKeys: [dossierId] };

    // when counted with a cap of one and read one page of one at a time
    const first = await env.engineDb.taskPage(both, { offset: 0, limit: 1 }, 1, { stc: { ...both, groups: ['STC_chuyenvien'] } });
    const second = await env.engineDb.taskPage(both, { offset: 1, limit: 1 }, 1);
    const past = await env.engineDb.taskPage(both, { offset: 2, limit: 1 }, 1);

    // then the count says "more than one", a narrower count is exact, a page past the end is empty
    // but still counted, and the pages are the REST API's order
    expect(first.total).toEqual({ count: 1, capped: true });
    expect(first.counts.stc).toEqual({ count: 1, capped: false });
    expect(past).toEqual({ tasks: [], total: { count: 1, capped: true }, counts: {} });
    const rest = await restTasks({ candidateGroups: ['STC_chuyenvien', 'SKHDT_chuyenvien'] });
    expect([...first.tasks, ...second.tasks].map((t) => t.id)).toEqual(rest.map((t) => t.id));
  });

  it('should give the same history, active activities and times as the REST API', async () => {
    // given the running instance
    // when its progress is read from the tables
    const progress = await env.engineDb.progress(instanceId);

    // then history, active activities and start time are the engine's
    const history = await env.engine.historicActivityInstances(instanceId);
    // (ours in start-time order, the REST API's by sequence counter: the same entries)
    const entries = (hs: { activityId: string; startTime: string; canceled: boolean }[]) => hs.map((h) => `${h.activityId} ${Date.parse(h.startTime)} ${h.canceled}`).sort();
    expect(entries(progress!.history)).toEqual(entries(history));
    const starts = progress!.history.map((h) => Date.parse(h.startTime));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const tree = await env.engine.activityInstances(instanceId);
    const walk = (n: typeof tree): string[] => [...(n.activityType === 'processDefinition' ? [] : [n.activityId]), ...n.childActivityInstances.flatMap(walk)];
    expect([...(progress?.active ?? [])].sort()).toEqual([...new Set(walk(tree))].sort());
    const historic = await env.engine.historicProcessInstance(instanceId);
    expect(progress).toMatchObject({ processDefinitionId: historic.processDefinitionId, state: historic.state, endTime: null });
    expect(Date.parse(progress!.startTime)).toBe(Date.parse(historic.startTime));
    expect(await env.engineDb.progress('no-such-instance')).toBeNull();
    // and the running instance of the dossier is found by its business key, as the REST API finds it
    const byKey = await env.engine.listProcessInstances({ businessKey: dossierId, processDefinitionKey: 'ho-so-trinh' });
    expect(await env.engineDb.runningInstance('ho-so-trinh', dossierId)).toBe(byKey[0]!.id);
    expect(await env.engineDb.runningInstance('ho-so-trinh', 'HS-0000-000000')).toBeNull();
  });

  it("should tell whether the engine's PostgreSQL runs without autovacuum, as the server reports at start", async () => {
    const [setting] = (await env.ds.query(`SELECT setting FROM pg_settings WHERE name = 'autovacuum'`)) as { setting: string }[];
    expect(await env.engineDb.autovacuumOff()).toBe(setting!.setting === 'off');
  });
});
