import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskService, Variables } from 'camunda-external-task-client-js';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { pdf, opinionForm, validDossierInput } from '../support/dossiers.ts';
import { doTask, detail, waitForTask, giveOpinion } from '../support/flow.ts';
import { fireTimer, instanceOf } from '../support/engine.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import { ALL_WORKERS } from '../../workers/all.ts';
import { wrapHandler, type WorkerDeps } from '../../workers/runtime/run-worker.ts';
import { fromEngineVariables, toEngineVariables, type EngineVariables } from '../../platform/engine/variables.ts';
import { toIsoLocal } from '../../domain/calendar.ts';
import type { Outcome } from '../../workers/runtime/outcome.ts';

const WORKER_ID = 'double-delivery-test';
type Fetched = { id: string; topicName: string; businessKey: string | null; processInstanceId: string; retries: number | null; variables: EngineVariables };

describe('at-least-once delivery: every worker topic has its side effects once when a task is delivered again', () => {
  let env: TestEnv;
  let deps: WorkerDeps;
  const outcomes: Record<string, Outcome['kind'][]> = {};
  const extra: string[] = [];

  // No running workers: the test is the worker, and delivers each task more than once.
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
    deps = { ds: env.ds, policy: DEFAULT_POLICY, log: env.log, retries: 3, retryTimeoutMs: 200 };
  });
  afterAll(async () => {
    // A refused API call answers 500 without its cause: the server's log has it.
    const errors = (env.log as unknown as { lines: string[] }).lines.filter((l) => l.startsWith('ERROR'));
    if (errors.length > 0) console.error(errors.join('\n'));
    for (const id of extra) await env.engine.request('DELETE', `/process-instance/${id}`, undefined, { skipCustomListeners: true }).catch(() => {});
    await env?.close();
  });

  /** The client's TaskService, as plain calls to the engine's REST API under our worker id. */
  const taskService: TaskService = {
    complete: (task: Task, variables?: Variables) =>
      env.engine.request('POST', `/external-task/${task.id}/complete`, { workerId: WORKER_ID, variables: variables?.getAllTyped() ?? {} }),
    handleBpmnError: (task: Task, errorCode: string, errorMessage?: string, variables?: Variables) =>
      env.engine.request('POST', `/external-task/${task.id}/bpmnError`, { workerId: WORKER_ID, errorCode, errorMessage, variables: variables?.getAllTyped() ?? {} }),
    handleFailure: (task: Task, options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number }) =>
      env.engine.request('POST', `/external-task/${task.id}/failure`, { workerId: WORKER_ID, ...options }),
  } as unknown as TaskService;

  /**
   * One real external task of `topic`, locked by us and handled three times: twice as a worker
   * whose completion never reached the engine, then by the runtime, which completes it.
   */
  async function deliverThrice(topic: string, businessKey: string): Promise<void> {
    const def = ALL_WORKERS.find((w) => w.topic === topic)!;
    const fetched = await eventually(async () => {
      const tasks = await env.engine.request<Fetched[]>('POST', '/external-task/fetchAndLock', {
        workerId: WORKER_ID,
        maxTasks: 1,
        topics: [{ topicName: topic, lockDuration: 60_000, businessKey }],
      });
      return tasks[0];
    }, `external task ${topic} of ${businessKey}`);
    const vars = fromEngineVariables(fetched.variables);
    const task = { ...fetched, variables: { getAll: () => vars } } as unknown as Task;
    const kinds: Outcome['kind'][] = [];
    for (let i = 0; i < 2; i++) kinds.push((await def.handle({ task, vars, ds: env.ds, policy: DEFAULT_POLICY, now: new Date(), log: env.log })).kind);
    await wrapHandler(def, deps)({ task, taskService });
    (outcomes[topic] ??= []).push(...kinds);
    // The runtime reported it: the task is gone from the engine.
    const left = await env.engine.request<unknown[]>('GET', '/external-task', undefined, { processInstanceId: fetched.processInstanceId, topicName: topic });
    expect(left, `${topic} completed by the runtime`).toEqual([]);
  }

  const count = async (sql: string, params: unknown[]) => ((await env.ds.query(sql, params)) as { n: number }[])[0]!.n;

  it('should write opinion requests, notifications, audit events, the number and the submission once when every topic of ho-so-trinh is delivered three times', async () => {
    // given a legal-normative dossier of Sở Công Thương consulting STC
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ isLegalNormative: true, consultedAgencyCodes: ['STC'] }));
    const id = dossier.id;
    const instance = await instanceOf(env, id);

    // when every external task on its way is delivered three times
    await deliverThrice('validate-dossier', id);
    await deliverThrice('request-opinions', id);
    await fireTimer(env, instance, 'Boundary_OpinionReminder', 'STC');
    await deliverThrice('opinion-reminder', id);
    await fireTimer(env, instance, 'Boundary_OpinionOverdue', 'STC');
    await deliverThrice('opinion-overdue', id);
    await fireTimer(env, instance, 'Start_DossierReminder');
    await deliverThrice('send-reminder', id);
    await fireTimer(env, instance, 'Start_DossierOverdue');
    await deliverThrice('report-delay', id);
    await giveOpinion(env, id, 'STC', opinionForm('STC'));
    await deliverThrice('consolidate-opinions', id);
    await doTask(await env.as('stp.chuyenvien'), id, 'Task_Appraise', {
      conclusion: 'ELIGIBLE',
      lawful: true,
      reasons: 'Đủ điều kiện trình; ban hành là đúng thẩm quyền.',
      report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: '/BC-STP', subject: 'Báo cáo thẩm định', ...pdf('tham-dinh.pdf', 'x') },
    });
    await deliverThrice('appraisal', id);
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await deliverThrice('validate-dossier', id);
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
    await deliverThrice('head-signature', id);
    await deliverThrice('forward-to-ubnd', id);

    // then no delivery was refused, and the dossier reached the Office once
    expect(Object.values(outcomes).flat().every((k) => k === 'complete')).toBe(true);
    await waitForTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck');
    const d = await detail(drafter, id);
    expect(d.dossier.status).toBe('SUBMITTED');

    // and every side effect exists once per its key
    expect(await count(`SELECT count(*)::int AS n FROM opinion_request WHERE dossier_id = $1 AND agency_code = 'STC' AND round = 1`, [id])).toBe(1);
    expect(await count(`SELECT cardinality(reminded_at) AS n FROM opinion_request WHERE dossier_id = $1`, [id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM submission WHERE dossier_id = $1 AND round = 1', [id])).toBe(1);
    const numbered = (await env.ds.query('SELECT number, symbol FROM document WHERE dossier_id = $1 AND number IS NOT NULL', [id])) as { number: number; symbol: string }[];
    expect(numbered).toEqual([{ number: 1, symbol: '01/TTr-SCT' }]);
    expect(await count(`SELECT count(*)::int AS n FROM document WHERE issuer_agency_code = 'SCT' AND number IS NOT NULL`, [])).toBe(1);
    const notes = (await env.ds.query('SELECT kind, count(*)::int AS n FROM notification WHERE dossier_id = $1 GROUP BY kind ORDER BY kind', [id])) as { kind: string; n: number }[];
    expect(Object.fromEntries(notes.map((n) => [n.kind, n.n]))).toEqual({
      DOSSIER_OVERDUE: 2,
      DOSSIER_REMINDER: 2,
      OPINION_OVERDUE: 3,
      OPINION_REMINDER: 1,
      OPINION_REQUESTED: 1,
      SUBMITTED: 1,
    });
    const actions = (await env.ds.query(`SELECT action, count(*)::int AS n FROM audit_event WHERE dossier_id = $1 AND actor_role = 'SYSTEM' OR (dossier_id = $1 AND action = 'SIGNED') GROUP BY action`, [id])) as {
      action: string;
      n: number;
    }[];
    expect(Object.fromEntries(actions.map((a) => [a.action, a.n]))).toEqual({
      VALIDATED_INTAKE: 1,
      OPINIONS_REQUESTED: 1,
      OPINION_OVERDUE: 1,
      DOSSIER_OVERDUE: 1,
      OPINIONS_CONSOLIDATING: 1,
      OPINIONS_CONSOLIDATED: 1,
      APPRAISAL_ACCEPTED: 1,
      VALIDATED_PRE_SIGN: 1,
      SIGNED: 1,
      FORWARDED: 1,
    });
  });

  it('should mark the handling overdue and notify once when proactive-overdue of van-ban-den-dong-gui is delivered three times', async () => {
    // given an incoming document co-addressed to Sở Công Thương, waiting for its proactive handling
    const rows = (await env.ds.query(
      `INSERT INTO incoming_document (issuer, number_symbol, subject, co_addressed_agency_codes) VALUES ('Bộ Công Thương', '123/BCT-XTTM', 'Về xúc tiến thương mại', '{SCT}') RETURNING id`,
    )) as { id: string }[];
    const docId = rows[0]!.id;
    await env.ds.query(`INSERT INTO proactive_handling (incoming_document_id, agency_code, due_at) VALUES ($1, 'SCT', now() + interval '5 days')`, [docId]);
    const instance = await env.engine.request<{ id: string }>('POST', '/process-definition/key/van-ban-den-dong-gui/start', {
      businessKey: `VBD-${docId}`,
      variables: toEngineVariables({ incomingDocumentId: docId, agencyCount: 1, agencyCodesCsv: 'SCT', proactiveDueAt: toIsoLocal(new Date(Date.now() + 5 * 86_400_000)) }),
    });
    extra.push(instance.id);

    // when its overdue timer fires and the task is delivered three times
    await fireTimer(env, instance.id, 'Boundary_ProactiveOverdue');
    await deliverThrice('proactive-overdue', `VBD-${docId}`);

    // then the handling is overdue and each group was told once
    expect(await count(`SELECT count(*)::int AS n FROM proactive_handling WHERE incoming_document_id = $1 AND status = 'OVERDUE'`, [docId])).toBe(1);
    const notes = (await env.ds.query(`SELECT recipient_group FROM notification WHERE kind = 'PROACTIVE_OVERDUE' ORDER BY recipient_group`)) as { recipient_group: string }[];
    expect(notes.map((n) => n.recipient_group)).toEqual(['SCT_lanhdao', 'VPUBND_theodoi']);
  });

  it('should remind, escalate and record completion once when every topic of nhiem-vu-duoc-giao is delivered three times', async () => {
    // given a task UBND assigned to Sở Tài chính, registered by the Office
    const office = await env.as('vp.chuyenvien');
    const t = await office.post<{ id: string }>('/api/assigned-tasks', {
      sourceRef: '77/TB-UBND',
      sourceDate: toIsoLocal(new Date()).slice(0, 10),
      assignedBy: 'CHU_TICH',
      assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: 'STC',
      content: 'Tham mưu phương án phân bổ vốn theo chỉ đạo của Chủ tịch UBND tỉnh',
      workingDays: 10,
    });
    const instance = ((await env.ds.query('SELECT process_instance_id FROM assigned_task WHERE id = $1', [t.id])) as { process_instance_id: string }[])[0]!.process_instance_id;
    extra.push(instance);

    // when the reminder and the deadline come (the clock moved), then its head reports the result, each task delivered three times
    await env.ds.query(`UPDATE assigned_task SET reminder_at = now() - interval '1 minute' WHERE id = $1`, [t.id]);
    await fireTimer(env, instance, 'Boundary_TaskReminder');
    await deliverThrice('assigned-task-reminder', t.id);
    await env.ds.query(`UPDATE assigned_task SET due_at = now() - interval '1 minute' WHERE id = $1`, [t.id]);
    await fireTimer(env, instance, 'Boundary_TaskOverdue');
    await deliverThrice('assigned-task-overdue', t.id);
    await (await env.as('stc.giamdoc')).post(`/api/assigned-tasks/${t.id}/complete`, { report: 'Đã trình phương án phân bổ vốn, báo cáo kèm theo.' });
    await deliverThrice('assigned-task-completed', t.id);

    // then each group was told once of each, and the task is done late, once
    const notes = (await env.ds.query(
      `SELECT kind, count(*)::int AS n FROM notification WHERE idempotency_key LIKE $1 GROUP BY kind`,
      [`%${t.id}%`],
    )) as { kind: string; n: number }[];
    expect(Object.fromEntries(notes.map((n) => [n.kind, n.n]))).toEqual({ ASSIGNED_TASK_REMINDER: 2, ASSIGNED_TASK_OVERDUE: 2, ASSIGNED_TASK_DONE: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM assigned_task WHERE id = $1 AND status = 'DONE_LATE'`, [t.id])).toBe(1);
  });

  it('should have delivered every topic the workers subscribe to', () => {
    expect(Object.keys(outcomes).sort()).toEqual(ALL_WORKERS.map((w) => w.topic).sort());
  });
});
