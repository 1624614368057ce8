import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { completionRefused, expectRule, refusal, taskForm } from '../support/engine.ts';

type Created = { dossier: { id: string; status: string } };

describe('the routes back to the drafter: revision, differing opinions, the Office returning a dossier', () => {
  let env: TestEnv;
  // No workers at first: the first test changes a stored dossier before any worker has seen it.
  const workers = () => env.workers ?? (env.workers = env.startWorkers());
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-16 should send the dossier to Task_Revise with the error code, take the fix by PATCH and go on when the worker finds the practical basis missing', async () => {
    // given a dossier the server accepted, whose practical basis is emptied before any worker checks it
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    await env.ds.query(`UPDATE dossier SET practical_basis = '' WHERE id = $1`, [dossier.id]);

    // when the workers run
    workers();

    // then the drafter's Task_Revise says why, the dossier waits for revision and the gate's return is counted
    const revise = await waitForTask(drafter, dossier.id, 'Task_Revise');
    expect((await taskForm(drafter, revise.id)).lastError?.code).toBe('ERR_MISSING_PRACTICAL_BASIS');
    const returned = await detail(drafter, dossier.id);
    expect(returned.dossier.status).toBe('REVISION_REQUIRED');
    expect(returned.returns).toEqual([expect.objectContaining({ source: 'GATE', reason: 'MISSING_PRACTICAL_BASIS' })]);

    // and only the lead agency's editors may change the content, never the fields the diagram routes on
    const path = `/api/dossiers/${dossier.id}`;
    const clerk = await env.as('sct.vanthu');
    expectRule(await refusal(clerk.request('PATCH', path, { practicalBasis: 'Văn thư sửa hồ sơ.' })), 403, 'FORBIDDEN');
    const consulted = await env.as('stc.chuyenvien');
    expectRule(await refusal(consulted.request('PATCH', path, { practicalBasis: 'Cơ quan khác sửa hồ sơ.' })), 404, 'NOT_FOUND');
    expectRule(await refusal(drafter.request('PATCH', path, { secrecyLevel: 'MAT' })), 422, 'FIELD_NOT_EDITABLE');

    // when the drafter fixes it and resubmits
    const fixed = await drafter.request<{ dossier: { practicalBasis: string } }>('PATCH', path, {
      practicalBasis: 'Năm 2025 tỉnh tổ chức 12 hội chợ; kim ngạch xuất khẩu tăng 8%.',
    });
    expect(fixed.dossier.practicalBasis).toMatch(/12 hội chợ/);
    await doTask(drafter, dossier.id, 'Task_Revise', { outcome: 'RESUBMIT' });

    // then it passes intake and goes on to the drafting of the tờ trình, every step audited
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const after = await waitForStatus(drafter, dossier.id, 'DRAFTING_SUBMISSION');
    const actions = after.audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['VALIDATION_FAILED_INTAKE', 'DOSSIER_UPDATED', 'RESUBMITTED', 'VALIDATED_INTAKE']));
    expect(actions.indexOf('DOSSIER_UPDATED')).toBeLessThan(actions.indexOf('VALIDATED_INTAKE'));
  });

  it('R-15 should refuse to create a dossier with 422 ERR_SUBMISSION_DOC_TYPE when the submission document is a báo cáo', async () => {
    // given a drafter and the count of stored dossiers
    workers();
    const drafter = await env.as('sct.chuyenvien');
    const before = (await env.ds.query('SELECT count(*)::int AS n FROM dossier')) as { n: number }[];

    // when the submission document is a báo cáo
    const err = await refusal(
      drafter.post('/api/dossiers', validDossierInput({ documents: [submissionDocument({ docType: 'BAO_CAO', symbol: '/BC-SCT' }), validDossierInput().documents![1]!] })),
    );

    // then the server answers with the rule and stores nothing
    expectRule(err, 422, 'ERR_SUBMISSION_DOC_TYPE', 'R-15');
    const after = (await env.ds.query('SELECT count(*)::int AS n FROM dossier')) as { n: number }[];
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('R-12 should refuse to complete Task_ChooseOption without a valid option and go on with one when an agency disagrees', async () => {
    // given a dossier consulting STC and SKHDT, which cannot be edited while consulting
    workers();
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput());
    const stc = await env.as('stc.chuyenvien');
    const skhdt = await env.as('skhdt.chuyenvien');
    await waitForTask(stc, dossier.id, 'Task_GiveOpinion');
    expectRule(await refusal(drafter.request('PATCH', `/api/dossiers/${dossier.id}`, { proposal: 'Sửa khi đang lấy ý kiến.' })), 409, 'DOSSIER_NOT_EDITABLE');

    // when STC disagrees and SKHDT agrees
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC', 'DISAGREE', { content: 'STC không thống nhất mức kinh phí.' }), stc);
    await giveOpinion(env, dossier.id, 'SKHDT', opinionForm('SKHDT'), skhdt);

    // then the lead agency must choose: no option, or one the dossier does not offer, is refused
    const choose = await waitForTask(drafter, dossier.id, 'Task_ChooseOption');
    expectRule(await completionRefused(drafter, choose.id, {}), 422, 'ERR_NO_CHOSEN_OPTION', 'R-12');
    expectRule(await completionRefused(drafter, choose.id, { chosenOptionId: 'PA9', rationale: 'Phương án không có trong hồ sơ.' }), 422, 'ERR_NO_CHOSEN_OPTION', 'R-12');
    expectRule(await completionRefused(drafter, choose.id, { chosenOptionId: 'PA1' }), 422, 'ERR_NO_CHOSEN_OPTION', 'R-12');

    // when it chooses PA1 with a rationale
    await doTask(drafter, dossier.id, 'Task_ChooseOption', { chosenOptionId: 'PA1', rationale: 'Kinh phí 5 tỷ đồng nằm trong dự toán năm 2026.' });

    // then the choice is recorded and the dossier goes on to drafting
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const d = await waitForStatus(drafter, dossier.id, 'DRAFTING_SUBMISSION');
    expect(d.dossier).toMatchObject({ chosenOptionId: 'PA1' });
    expect(d.audit.filter((a) => a.action === 'OPTION_CHOSEN')).toEqual([expect.objectContaining({ rule_id: 'R-12', on_behalf_of: 'sct.giamdoc' })]);
  });

  it('R-30 should refuse a return without reason, then return for content to Task_Revise in round 2, consult the named agency again and accept the resubmission', async () => {
    // given a dossier consulting STC, signed and forwarded to the Office
    workers();
    const drafter = await env.as('sct.chuyenvien');
    const stc = await env.as('stc.chuyenvien');
    const head = await env.as('sct.giamdoc');
    const office = await env.as('vp.chuyenvien');
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'), stc);
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    const check = await waitForTask(office, dossier.id, 'Task_OfficeCheck');

    // when the Office returns it without a reason
    const err = await completionRefused(office, check.id, { outcome: 'RETURN', note: 'Sai thể thức.' });

    // then it is refused
    expectRule(err, 422, 'ERR_RETURN_REASON_REQUIRED', 'R-30');

    // when it returns it for its legal basis, naming STC to consult again (R-30: a format return goes to the tờ trình only)
    await doTask(office, dossier.id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_LEGAL_BASIS', reconsultAgencies: ['STC'], note: 'Thiếu căn cứ pháp lý.' });

    // then the drafter revises round 2, and the return is on record
    const revise = await waitForTask(drafter, dossier.id, 'Task_Revise');
    expect((await taskForm(drafter, revise.id)).lastError?.code).toBe('RETURNED_MISSING_LEGAL_BASIS');
    const returned = await detail(drafter, dossier.id);
    expect(returned.dossier).toMatchObject({ status: 'REVISION_REQUIRED', round: 2 });
    expect(returned.returns).toEqual([expect.objectContaining({ source: 'OFFICE', reason: 'MISSING_LEGAL_BASIS', round: 1 })]);
    expect(returned.submissions).toEqual([expect.objectContaining({ round: 1, intake_status: 'RETURNED' })]);

    // when the drafter resubmits, STC is consulted again in round 2, and the dossier is signed and sent again
    await doTask(drafter, dossier.id, 'Task_Revise', { outcome: 'RESUBMIT', note: 'Đã bổ sung căn cứ.' });
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'), stc);
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    await doTask(office, dossier.id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });

    // then it is accepted in round 2, with one opinion request and one submission per round
    const accepted = await waitForStatus(drafter, dossier.id, 'ACCEPTED');
    expect(accepted.opinionRequests.map((r) => [r.agency_code, r.round, r.status])).toEqual([
      ['STC', 1, 'RECEIVED'],
      ['STC', 2, 'RECEIVED'],
    ]);
    expect(accepted.submissions.map((s) => [s.round, s.intake_status])).toEqual([
      [1, 'RETURNED'],
      [2, 'ACCEPTED'],
    ]);
  });
});
