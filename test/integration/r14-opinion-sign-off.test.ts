import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, giveOpinion, signOffOpinion, waitForTask } from '../support/flow.ts';
import { completionRefused, historyOf, instanceOf, refusal } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

/**
 * R-14 on the real engine and database: a consulted agency's opinion counts only once its head, or a
 * deputy the head authorised (signing KT.), signed it off; the head may send it back to the specialist.
 */
describe('R-14 opinion sign-off by the consulted agency head', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  async function create(): Promise<string> {
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    return dossier.id;
  }
  const opinionOf = async (id: string, agency: string) => (await detail(drafter, id)).opinions.filter((o) => o.agency_code === agency);
  const requestOf = async (id: string, agency: string) => (await detail(drafter, id)).opinionRequests.find((r) => r.agency_code === agency)?.status;
  const signedOffRow = async (id: string, agency: string) =>
    ((await env.ds.query(
      `SELECT status, signed_off_by_user_id, sign_off_capacity, sign_off_delegation_id, signed_off_at FROM opinion WHERE dossier_id = $1 AND agency_code = $2 ORDER BY received_at`,
      [id, agency],
    )) as { status: string; signed_off_by_user_id: string | null; sign_off_capacity: string | null; sign_off_delegation_id: string | null; signed_off_at: Date | null }[]);

  it('R-14 should not count a drafted opinion until the head approves it, and count it once approved (HEAD)', async () => {
    // given both consulted agencies drafted their opinion
    const id = await create();
    await doTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion', opinionForm('STC', 'DISAGREE', { content: 'Kinh phí vượt dự toán.' }));
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));

    // then STC's opinion awaits its head: its request is unanswered, the consolidation has not run, the summary does not name STC
    await waitForTask(await env.as('stc.giamdoc'), id, 'Task_ApproveOpinion');
    expect((await opinionOf(id, 'STC')).map((o) => o.status)).toEqual(['AWAITING_SIGN_OFF']);
    expect(await requestOf(id, 'STC')).toBe('PENDING');
    expect(await historyOf(env, await instanceOf(env, id))).not.toContain('Task_Consolidate');
    expect((await detail(drafter, id)).dossier.opinionSummary).toEqual([]);

    // when STC's head approves it
    await signOffOpinion(await env.as('stc.giamdoc'), id);

    // then it counts: request received, signed off by the head in person, consolidated into a choice of option
    await waitForTask(drafter, id, 'Task_ChooseOption');
    expect(await requestOf(id, 'STC')).toBe('RECEIVED');
    expect(await signedOffRow(id, 'STC')).toEqual([expect.objectContaining({ status: 'SIGNED_OFF', signed_off_by_user_id: 'stc.giamdoc', sign_off_capacity: 'HEAD', sign_off_delegation_id: null })]);
    const summary = (await detail(drafter, id)).dossier.opinionSummary as { agencyCode: string; position: string }[];
    expect(summary.map((s) => [s.agencyCode, s.position]).sort()).toEqual([['SKHDT', 'AGREE'], ['STC', 'DISAGREE']]);
  });

  it('R-14 should give the task back to the specialist of that agency only when the head sends the opinion back with a reason', async () => {
    // given both agencies drafted, SKHDT's is signed off
    const id = await create();
    const stcSpecialist = await env.as('stc.chuyenvien');
    const head = await env.as('stc.giamdoc');
    const first = await doTask(stcSpecialist, id, 'Task_GiveOpinion', opinionForm('STC'));
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));

    // when the head sends it back without a reason, it is refused naming the field
    const approval = await waitForTask(head, id, 'Task_ApproveOpinion');
    const noReason = await completionRefused(head, approval.id, { decision: 'SEND_BACK' });
    expect({ status: noReason.status, code: noReason.code, field: noReason.body?.error?.field }).toEqual({ status: 422, code: 'ERR_OPINION_SEND_BACK_REASON', field: 'reason' });

    // and with a reason, the STC specialist gets "Tham gia ý kiến" again (a new task), SKHDT nothing
    await head.post(`/api/tasks/${approval.id}/complete`, { decision: 'SEND_BACK', reason: 'Nêu rõ nguồn kinh phí.' });
    const again = await waitForTask(stcSpecialist, id, 'Task_GiveOpinion');
    expect(again.id).not.toBe(first.id);
    expect((await (await env.as('skhdt.chuyenvien')).get<{ items: unknown[] }>(`/api/tasks?dossier=${id}&step=Task_GiveOpinion`)).items).toEqual([]);
    expect((await opinionOf(id, 'STC')).map((o) => [o.status, o.sent_back_reason])).toEqual([['SENT_BACK', 'Nêu rõ nguồn kinh phí.']]);
    expect(await requestOf(id, 'STC')).toBe('PENDING');

    // when the specialist redrafts and the head approves, the new one counts and the dossier goes on
    await giveOpinion(env, id, 'STC', opinionForm('STC', 'AGREE_WITH_COMMENTS', { content: 'Thống nhất, nguồn kinh phí ngân sách tỉnh.' }), stcSpecialist);
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    expect((await opinionOf(id, 'STC')).map((o) => o.status)).toEqual(['SENT_BACK', 'SIGNED_OFF']);
    expect(await requestOf(id, 'STC')).toBe('RECEIVED');
  });

  it('R-14 should refuse the sign-off to a specialist of the agency and to the head of another agency, and to a deputy without delegation; a deputy with one signs KT.', async () => {
    // given STC's opinion awaiting sign-off
    const id = await create();
    await doTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion', opinionForm('STC'));
    const approval = await waitForTask(await env.as('stc.giamdoc'), id, 'Task_ApproveOpinion');

    // then STC's specialist (who drafted it) and SKHDT's head do not get the task: it is not theirs to see or complete
    for (const who of ['stc.chuyenvien', 'skhdt.giamdoc']) {
      const c = await env.as(who);
      expect((await c.get<{ items: unknown[] }>(`/api/tasks?dossier=${id}&step=Task_ApproveOpinion`)).items, who).toEqual([]);
      const e = await refusal(c.post(`/api/tasks/${approval.id}/claim`));
      expect(e.status, who).toBe(404);
      expect((await refusal(c.post(`/api/tasks/${approval.id}/complete`, { decision: 'APPROVE' }))).status, who).toBe(404);
    }

    // when STC's deputy, without any delegation, tries to approve: 403 with the rule's code, the task stays open
    const deputy = await env.as('stc.phogiamdoc');
    const refused = await completionRefused(deputy, approval.id, { decision: 'APPROVE' });
    expect({ status: refused.status, code: refused.code, rule: refused.body?.error?.rule }).toEqual({ status: 403, code: 'ERR_OPINION_SIGN_OFF_NOT_ALLOWED', rule: 'R-14' });
    expect((await opinionOf(id, 'STC')).map((o) => o.status)).toEqual(['AWAITING_SIGN_OFF']);

    // when the head delegates to the deputy for this dossier, the deputy's approval is taken and recorded as KT. under that delegation
    const head = await env.as('stc.giamdoc');
    const { delegation } = await head.post<{ delegation: { id: string } }>('/api/admin/delegations', {
      granteeUserId: 'stc.phogiamdoc',
      dossierIds: [id],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'Thủ trưởng đi công tác',
    });
    await deputy.post(`/api/tasks/${approval.id}/complete`, { decision: 'APPROVE' });
    expect(await signedOffRow(id, 'STC')).toEqual([expect.objectContaining({ status: 'SIGNED_OFF', signed_off_by_user_id: 'stc.phogiamdoc', sign_off_capacity: 'DEPUTY', sign_off_delegation_id: delegation.id })]);
    const audit = (await env.ds.query(`SELECT details FROM audit_event WHERE dossier_id = $1 AND action = 'OPINION_SIGNED_OFF'`, [id])) as { details: { signingForm: string; capacity: string } }[];
    expect(audit.map((a) => [a.details.capacity, a.details.signingForm])).toEqual([['DEPUTY', 'KT']]);
  });
});
