import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput, opinionForm } from '../support/dossiers.ts';
import { doTask, detail, waitForStatus, giveOpinion } from '../support/flow.ts';

describe('a dossier from creation to the leaders decision, on the real engine', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should end approved when two consulted agencies agree, the head signs and the Office accepts', async () => {
    // given a specialist of Sở Công Thương and a dossier consulting STC and SKHDT
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string; status: string } }>('/api/dossiers', validDossierInput());
    expect(dossier.id).toMatch(/^HS-\d{4}-\d{6}$/);

    // when each consulted agency gives its opinion through its own specialist
    const stc = await env.as('stc.chuyenvien');
    const skhdt = await env.as('skhdt.chuyenvien');
    // (and the dossier list finds it by the step it waits at)
    const waiting = await eventually(async () => {
      const list = await drafter.get<{ items: { id: string }[] }>('/api/dossiers?step=Task_GiveOpinion');
      return list.items.length > 0 ? list : undefined;
    }, 'dossier at Task_GiveOpinion');
    expect(waiting.items.map((d) => d.id)).toEqual([dossier.id]);
    const stcTask = await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'), stc);
    expect(stcTask.due).not.toBeNull();
    await giveOpinion(env, dossier.id, 'SKHDT', opinionForm('SKHDT'), skhdt);

    // and the drafter finalises, the head signs, the Office accepts, the Chairman approves
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    const head = await env.as('sct.giamdoc');
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    const office = await env.as('vp.chuyenvien');
    await doTask(office, dossier.id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
    const chairman = await env.as('ubnd.chutich');
    await doTask(chairman, dossier.id, 'Task_LeaderDecision', { decision: 'APPROVED' });

    // then the instance has ended and every step is in its history, in order
    const done = await waitForStatus(drafter, dossier.id, 'DECIDED_APPROVED');
    expect((await drafter.get<{ total: number }>('/api/dossiers?step=Task_GiveOpinion')).total).toBe(0);
    const ended = await eventually(async () => {
      const d = await detail(drafter, dossier.id);
      return d.process?.endTime ? d : undefined;
    }, 'instance end');
    const steps = ended.process!.history.map((h) => h.activityId);
    const order = ['StartEvent_Created', 'Task_Validate', 'Task_RequestOpinions', 'Task_GiveOpinion', 'Task_ApproveOpinion', 'Task_Consolidate', 'Task_DraftSubmission', 'Task_ValidatePreSign', 'Task_Sign', 'Task_HeadSignature', 'Task_Forward', 'Task_OfficeCheck', 'Task_LeaderDecision', 'End_Approved'];
    const positions = order.map((id) => steps.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(steps.filter((s) => s === 'Task_GiveOpinion')).toHaveLength(2);
    expect(steps.filter((s) => s === 'Task_ApproveOpinion')).toHaveLength(2);

    // and the record holds one submission, a registered and locked tờ trình with valid signatures
    expect(done.submissions).toHaveLength(1);
    expect(done.submissions[0]).toMatchObject({ channel: 'ELECTRONIC', intake_status: 'ACCEPTED', leader_decision: 'APPROVED' });
    const toTrinh = done.documents.find((d) => d.role === 'SUBMISSION_DOC')!;
    expect(toTrinh.symbol).toMatch(/^\d+\/TTr-SCT$/);
    expect(toTrinh.locked).toBe(true);
    expect(toTrinh.signatures.map((s) => [s.kind, s.ok]).sort()).toEqual([['ORGANISATION', true], ['PERSON', true]]);
    expect(done.opinionRequests.map((r) => r.status).sort()).toEqual(['RECEIVED', 'RECEIVED']);
    // every event names the accountable head
    expect(done.audit.length).toBeGreaterThan(8);
    expect(done.audit.every((a) => a.on_behalf_of === 'sct.giamdoc')).toBe(true);
  });
});
