/**
 * Tasks UBND assigns on the real engine: registered by the Office from the UBND
 * document, reminded and escalated by their own process (processes/nhiem-vu-duoc-giao.bpmn), with
 * the agency's progress reports, and completed by a dossier the Office accepts or by a report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { doTask, waitForStatus, waitForTask, type TaskItem } from '../support/flow.ts';
import { expectRule, fireTimer, historyOf, refusal } from '../support/engine.ts';
import { addWorkingDays, toIsoLocal } from '../../domain/calendar.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Task = {
  id: string;
  status: string;
  dueAt: string;
  reminderAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  completedAt: string | null;
  completionKind: string | null;
  completedByDossierId: string | null;
  dossierIds?: string[];
  lastProgress?: { content: string; percent: number | null } | null;
};

const today = () => toIsoLocal(new Date()).slice(0, 10);
let serial = 0;

describe('R-22/R-25/R-07 tasks UBND assigns, through their own process', () => {
  let env: TestEnv;
  let office: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    office = await env.as('vp.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  const register = (agency: string, extra: Record<string, unknown> = {}) =>
    office.post<Task>('/api/assigned-tasks', {
      sourceRef: `${++serial}/TB-UBND`,
      sourceDate: today(),
      assignedBy: 'CHU_TICH',
      assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: agency,
      content: `Tham mưu kế hoạch số ${serial} theo chỉ đạo của Chủ tịch UBND tỉnh`,
      workingDays: 10,
      ...extra,
    });
  const row = async (id: string) =>
    ((await env.ds.query('SELECT process_instance_id, status, overdue, reminded_at, completion_kind, completed_by_dossier_id FROM assigned_task WHERE id = $1', [id])) as {
      process_instance_id: string;
      status: string;
      overdue: boolean;
      reminded_at: Date | null;
      completion_kind: string | null;
      completed_by_dossier_id: string | null;
    }[])[0]!;
  const notified = async (id: string, kind: string) =>
    ((await env.ds.query(`SELECT recipient_group FROM notification WHERE kind = $1 AND idempotency_key LIKE $2 ORDER BY recipient_group`, [kind, `%${id}%`])) as { recipient_group: string }[]).map(
      (n) => n.recipient_group,
    );
  const ended = async (instance: string) => (await env.engine.historicProcessInstance(instance)).state;

  /** A dossier of `agency` without consultation, drafted and waiting for its head's signature. */
  async function atSigning(agency: string, extra: Record<string, unknown> = {}): Promise<string> {
    const drafter = await env.as(`${agency.toLowerCase()}.chuyenvien`);
    const { dossier } = await drafter.post<{ dossier: { id: string } }>(
      '/api/dossiers',
      validDossierInput({ leadAgencyCode: agency, consultedAgencyCodes: [], documents: [submissionDocument({ symbol: `/TTr-${agency}` }), draftDecision()], ...extra }),
    );
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    return dossier.id;
  }

  it('R-22 should register a task from its UBND document with a deadline in working days, start its process, and refuse bad registrations with their codes', async () => {
    // when the Office registers a task of 10 working days from today's document
    const t = await register('SCT');

    // then its deadline is 10 working days after the document's date, the reminder before it, and its process waits for completion
    expect(new Date(t.dueAt).getTime()).toBe(addWorkingDays(new Date(`${today()}T00:00:00+07:00`), 10, env.deps.policy.calendar).getTime());
    expect(new Date(t.reminderAt!).getTime()).toBeLessThan(new Date(t.dueAt).getTime());
    expect(t).toMatchObject({ status: 'OPEN', overdue: false, completedAt: null });
    const instance = (await row(t.id)).process_instance_id;
    expect(instance).toBeTruthy();
    await eventually(async () => (await env.engine.activityInstances(instance)).childActivityInstances.some((a) => a.activityId === 'Task_AwaitCompletion'), 'waiting for completion');

    // and a second registration of the same document answers the same task
    const again = await office.post<Task>('/api/assigned-tasks', {
      sourceRef: `${serial}/TB-UBND`,
      sourceDate: today(),
      assignedBy: 'CHU_TICH',
      assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: 'SCT',
      content: `Tham mưu kế hoạch số ${serial} theo chỉ đạo của Chủ tịch UBND tỉnh`,
      workingDays: 10,
    });
    expect(again.id).toBe(t.id);

    // when a registration is bad, then it is refused with a code naming the problem
    expectRule(await refusal(register('SCT', { dueAt: new Date().toISOString() })), 400, 'INVALID_INPUT');
    expectRule(await refusal(register('KHONGCO')), 422, 'UNKNOWN_AGENCY');
    expectRule(await refusal(register('SCT', { toUbndMemberHead: true })), 422, 'HEAD_NOT_UBND_MEMBER');
    expect((await refusal((await env.as('sct.chuyenvien')).post('/api/assigned-tasks', { sourceRef: 'x/TB-UBND' }))).status).toBe(403);
  });

  it('R-22 should take the agency progress reports, remind before the deadline, escalate to the Office when it passes, and end when a dossier the Office accepts completes it (late)', async () => {
    // given a task assigned to Sở Công Thương
    const t = await register('SCT');
    const instance = (await row(t.id)).process_instance_id;
    const drafter = await env.as('sct.chuyenvien');

    // the assignee agency sees it and reports progress; another agency neither sees it nor reports on it
    expect((await drafter.get<{ items: Task[] }>('/api/assigned-tasks')).items.map((x) => x.id)).toContain(t.id);
    const stc = await env.as('stc.chuyenvien');
    expect((await stc.get<{ items: Task[] }>('/api/assigned-tasks')).items.map((x) => x.id)).not.toContain(t.id);
    expect((await refusal(stc.get(`/api/assigned-tasks/${t.id}`))).status).toBe(404);
    expect((await refusal(stc.post(`/api/assigned-tasks/${t.id}/progress`, { content: 'Không phải việc của Sở Tài chính.' }))).status).toBe(404);
    await drafter.post(`/api/assigned-tasks/${t.id}/progress`, { content: 'Đã xây dựng dự thảo kế hoạch, đang hoàn thiện.', percent: 40 });
    expect((await drafter.get<{ items: Task[] }>('/api/assigned-tasks')).items.find((x) => x.id === t.id)?.lastProgress).toMatchObject({ percent: 40 });

    // when the reminder's time comes (the clock moved: the reminder is now due)
    await env.ds.query(`UPDATE assigned_task SET reminder_at = now() - interval '1 minute' WHERE id = $1`, [t.id]);
    await fireTimer(env, instance, 'Boundary_TaskReminder');

    // then the agency is reminded, once per group
    await eventually(async () => (await row(t.id)).reminded_at, 'reminded');
    expect(await notified(t.id, 'ASSIGNED_TASK_REMINDER')).toEqual(['SCT_chuyenvien', 'SCT_lanhdao']);

    // when the deadline passes with the task not done
    await env.ds.query(`UPDATE assigned_task SET due_at = now() - interval '1 minute' WHERE id = $1`, [t.id]);
    await fireTimer(env, instance, 'Boundary_TaskOverdue');

    // then it is overdue, escalated to the Office's monitors, and their follow-up task opens
    await eventually(async () => (await row(t.id)).overdue, 'overdue');
    expect(await notified(t.id, 'ASSIGNED_TASK_OVERDUE')).toEqual(['SCT_lanhdao', 'VPUBND_theodoi']);
    const monitor = await env.as('vp.theodoi');
    const listed = (await monitor.get<{ items: Task[] }>('/api/assigned-tasks')).items.find((x) => x.id === t.id)!;
    expect(listed).toMatchObject({ overdue: true, status: 'OPEN' });
    expect(listed.escalatedAt).toBeTruthy();
    const followUp = await eventually(
      async () => (await monitor.get<{ items: TaskItem[] }>('/api/tasks')).items.find((x) => x.taskDefinitionKey === 'Task_FollowUpAssignedTask'),
      'the Office follow-up task',
    );
    await monitor.claimAndComplete(followUp.id, { note: 'Đã đôn đốc Sở Công Thương bằng văn bản.' });

    // when the agency's dossier carrying it out goes up and the Office accepts it
    const id = await atSigning('SCT', { assignedTaskId: t.id });
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
    await waitForStatus(drafter, id, 'ACCEPTED');

    // then the task is done, late, by that dossier, and its process has ended
    await eventually(async () => (await ended(instance)) === 'COMPLETED', 'the task process ended');
    expect(await row(t.id)).toMatchObject({ status: 'DONE_LATE', completion_kind: 'DOSSIER', completed_by_dossier_id: id });
    expect(await historyOf(env, instance)).toEqual(expect.arrayContaining(['Task_RemindAssignee', 'Task_EscalateOverdue', 'Task_FollowUpAssignedTask', 'Task_RecordCompletion', 'End_Completed']));
    expect(await notified(t.id, 'ASSIGNED_TASK_DONE')).toEqual(['VPUBND_theodoi']);
    expectRule(await refusal(drafter.post(`/api/assigned-tasks/${t.id}/progress`, { content: 'Báo cáo thêm.' })), 409, 'ASSIGNED_TASK_COMPLETED');
  });

  it('R-22 should not remind or escalate a task completed by a report on time, and count it done on time', async () => {
    // given a task of Sở Tài chính, completed by its head's report of the result
    const t = await register('STC');
    const instance = (await row(t.id)).process_instance_id;
    expect((await refusal((await env.as('stc.chuyenvien')).post(`/api/assigned-tasks/${t.id}/complete`, { report: 'Chuyên viên không báo cáo hoàn thành.' }))).status).toBe(403);
    const done = await (await env.as('stc.giamdoc')).post<{ task: Task }>(`/api/assigned-tasks/${t.id}/complete`, { report: 'Đã ban hành kế hoạch số 12/KH-STC, gửi kèm báo cáo kết quả.' });

    // then it is done on time and its process ends without any reminder or escalation
    expect(done.task).toMatchObject({ status: 'DONE', completionKind: 'REPORT', overdue: false });
    await eventually(async () => (await ended(instance)) === 'COMPLETED', 'the task process ended');
    const history = await historyOf(env, instance);
    expect(history).not.toContain('Task_RemindAssignee');
    expect(history).not.toContain('Task_EscalateOverdue');
    expect(await notified(t.id, 'ASSIGNED_TASK_REMINDER')).toEqual([]);
    expectRule(await refusal((await env.as('stc.giamdoc')).post(`/api/assigned-tasks/${t.id}/complete`, { report: 'Báo cáo hoàn thành lần hai.' })), 409, 'ASSIGNED_TASK_COMPLETED');
  });

  it('R-07 should keep a deputy from signing a dossier linked to a task UBND assigned to a head who is a UBND member', async () => {
    // given a task assigned to the head of Sở Nội vụ (a UBND member) in person
    const t = await register('SNV', { toUbndMemberHead: true });
    // and an urgent dossier of Sở Nội vụ, delegated to the deputy, drafted before it was linked
    const drafter = await env.as('snv.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>(
      '/api/dossiers',
      validDossierInput({
        leadAgencyCode: 'SNV',
        matterCategory: 'noi-vu',
        urgency: 'KHAN',
        urgentReason: 'Kiện toàn tổ chức trước ngày 01/12.',
        consultedAgencyCodes: [],
        documents: [submissionDocument({ symbol: '/TTr-SNV' }), draftDecision()],
      }),
    );
    await env.ds.query(
      `INSERT INTO delegation (agency_code, grantor_user_id, grantee_user_id, matter_categories, valid_from, valid_to, reason)
       VALUES ('SNV', 'snv.giamdoc', 'snv.phogiamdoc', '{noi-vu}', now() - interval '1 hour', now() + interval '1 day', 'Giám đốc đi công tác')`,
    );
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');

    // when the agency links the dossier to the task
    await drafter.post(`/api/assigned-tasks/${t.id}/dossiers`, { dossierId: dossier.id });
    expect((await env.ds.query('SELECT assigned_to_ubnd_member FROM dossier WHERE id = $1', [dossier.id]))[0]).toEqual({ assigned_to_ubnd_member: true });
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });

    // then the deputy cannot take the signing task, however urgent and delegated
    const head = await env.as('snv.giamdoc');
    const sign = await waitForTask(head, dossier.id, 'Task_Sign');
    const deputy = await env.as('snv.phogiamdoc');
    expect([403, 404, 422]).toContain((await refusal(deputy.post(`/api/tasks/${sign.id}/claim`))).status);

    // and the head signs in person
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    await waitForStatus(drafter, dossier.id, 'SUBMITTED');
    const signers = (await env.ds.query('SELECT signer_user_id FROM signature WHERE dossier_id = $1', [dossier.id])) as { signer_user_id: string }[];
    expect(signers.map((s) => s.signer_user_id)).toEqual(['snv.giamdoc']);

    // and another agency's dossier, or a second link, is refused with its code
    const other = await atSigning('SCT');
    expectRule(await refusal(drafter.post(`/api/assigned-tasks/${t.id}/dossiers`, { dossierId: other })), 422, 'UNKNOWN_DOSSIER');
  });

  type Figures = { assigned: number; doneOnTime: number; doneLate: number; overdueOpen: number; open: number; onTimeRate: number | null };
  type Report = {
    agencies: { agencyCode: string; assigned: number; tasks: Figures }[];
    heads: { accountableUserId: string; tasksAssigned: number; tasksDoneLate: number; tasksOverdueOpen: number; vagueProposals: number; outOfAuthority: number }[];
    definitions: Record<string, string>;
  };

  it('R-25 should count the tasks assigned, done on time, done late and overdue per agency and per head (not dossiers), each figure defined in the report and its CSV', async () => {
    // given four tasks of Sở Kế hoạch và Đầu tư: done on time, done late, overdue, open
    const monitor = await env.as('vp.theodoi');
    const year = Number(today().slice(0, 4));
    const report = () => monitor.get<Report>(`/api/reports/agencies?year=${year}`);
    const dossiersBefore = (await report()).agencies.find((a) => a.agencyCode === 'SKHDT')!.assigned;
    const head = await env.as('skhdt.giamdoc');
    const [onTime, late, overdue] = [await register('SKHDT'), await register('SKHDT'), await register('SKHDT'), await register('SKHDT')];
    await head.post(`/api/assigned-tasks/${onTime!.id}/complete`, { report: 'Đã hoàn thành đúng hạn, báo cáo kèm theo.' });
    await env.ds.query(`UPDATE assigned_task SET due_at = now() - interval '1 day' WHERE id = ANY($1)`, [[late!.id, overdue!.id]]);
    await head.post(`/api/assigned-tasks/${late!.id}/complete`, { report: 'Đã hoàn thành sau hạn, báo cáo kèm theo.' });

    // when the Office reads the year's report
    const r = await report();
    const skhdt = r.agencies.find((a) => a.agencyCode === 'SKHDT')!;

    // then the tasks are counted as tasks, and the dossier figure is untouched
    expect(skhdt.tasks).toEqual({ assigned: 4, doneOnTime: 1, doneLate: 1, overdueOpen: 1, open: 1, onTimeRate: 1 / 3 });
    expect(skhdt.assigned).toBe(dossiersBefore);
    expect(r.heads.find((h) => h.accountableUserId === 'skhdt.giamdoc')).toMatchObject({ tasksAssigned: 4, tasksDoneLate: 1, tasksOverdueOpen: 1 });
    expect(r.definitions['tasks.assigned']).toMatch(/Nhiệm vụ được giao/);
    expect(Object.keys(r.definitions)).toEqual(expect.arrayContaining(['assigned', 'doneOnTime', 'doneLate', 'overdueOpen', 'onTimeRate', 'tasks.doneLate', 'tasks.overdueOpen', 'heads.vagueProposals', 'heads.outOfAuthority']));

    // and the CSV carries the task columns and, below the tables, every figure's definition
    const csv = await monitor.request<string>('GET', `/api/reports/agencies?year=${year}&format=csv`);
    expect(csv.split('\r\n')[0]).toContain('Nhiệm vụ được giao');
    expect(csv).toMatch(/\r\nSKHDT,[^\r]*,4,1,1,1,1,33\.3(,|\r)/);
    expect(csv).toContain('Định nghĩa,Cách tính');
    const definitionLines = csv.slice(csv.indexOf('Định nghĩa,Cách tính')).split('\r\n');
    expect(definitionLines.find((l) => l.startsWith('Nhiệm vụ được giao,'))).toContain(r.definitions['tasks.assigned']!);
    expect(csv).toContain('Trình vượt thẩm quyền,');
  });

  it('R-02/R-26 should count per head the refused out-of-authority submissions and the returns for vague proposals', async () => {
    // given Sở Công Thương's head figures
    const monitor = await env.as('vp.theodoi');
    const year = Number(today().slice(0, 4));
    const sctHead = async () => (await monitor.get<Report>(`/api/reports/agencies?year=${year}`)).heads.find((h) => h.accountableUserId === 'sct.giamdoc') ?? { outOfAuthority: 0, vagueProposals: 0 };
    const before = await sctHead();

    // when a specialist tries to submit a matter that is the department's own to decide, it is refused before anything is stored
    const drafter = await env.as('sct.chuyenvien');
    const refused = await refusal(drafter.post('/api/dossiers', validDossierInput({ matterCategory: 'cong-thuong/giay-phep-ban-le-ruou', consultedAgencyCodes: [] })));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('ERR_OUT_OF_AUTHORITY');

    // and when the Office returns a dossier of the same head for a vague proposal
    const id = await atSigning('SCT');
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'VAGUE_PROPOSAL', note: 'Đề xuất chỉ xin chủ trương, chưa cụ thể.' });
    await waitForStatus(drafter, id, 'REVISION_REQUIRED');

    // then both count against the accountable head
    const after = await sctHead();
    expect(after.outOfAuthority).toBe(before.outOfAuthority + 1);
    expect(after.vagueProposals).toBe(before.vagueProposals + 1);
  });
});
