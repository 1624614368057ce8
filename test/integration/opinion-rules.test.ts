import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, validDossierInput, type DossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { historyOf, instanceOf, refusal, taskForm } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

/** on the real engine: what the consultation gives the lead agency, and what it may say of it. */
describe('R-11/R-12/R-14 opinions, options and their summary', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  const twoOptions = [
    { id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' },
    { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' },
  ];
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  async function create(overrides: DossierInput): Promise<string> {
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput(overrides));
    return dossier.id;
  }

  type Shown = { chosenOptionId: string | null; choiceRationale: string | null; opinionSummary: { agencyCode: string; position: string; summary: string }[] };
  const shown = async (id: string) => (await detail(drafter, id)).dossier as unknown as Shown;

  it('R-12 should not open "Tổng hợp, chọn phương án" for two options whose consulted agencies all agree, and record the agreed option', async () => {
    // given options A and B; Sở Tài chính agrees and names PA2, Sở Kế hoạch và Đầu tư agrees
    const id = await create({ options: twoOptions });
    await giveOpinion(env, id, 'STC', opinionForm('STC', 'AGREE', { preferredOptionId: 'PA2' }));
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));

    // then the drafter finalises the tờ trình with PA2 recorded as the agreed option, no choice task on the way
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    expect(await historyOf(env, await instanceOf(env, id))).not.toContain('Task_ChooseOption');
    expect(await shown(id)).toMatchObject({ chosenOptionId: 'PA2', choiceRationale: expect.stringContaining('thống nhất phương án PA2') });

    // and pre-sign's demand for one option is met: the head gets the signing
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });

    // and the state chart's CONSOLIDATING, and RETURNED when the Office returns it for its content, are on record
    await doTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_PRACTICAL_BASIS', note: 'Thiếu số liệu thực tiễn.' });
    const moves = (await waitForStatus(drafter, id, 'REVISION_REQUIRED')).audit.map((a) => (a as unknown as { to_status: string | null }).to_status).filter((s) => s !== null);
    expect(moves).toEqual(expect.arrayContaining(['CONSULTING', 'CONSOLIDATING', 'DRAFTING_SUBMISSION', 'SUBMITTED', 'RETURNED', 'REVISION_REQUIRED']));
    expect(moves.indexOf('RETURNED')).toBe(moves.indexOf('REVISION_REQUIRED') - 1);
  });

  it('R-12 should let the drafter record the chosen option in "Hoàn thiện tờ trình" when nobody was consulted', async () => {
    // given two options and nobody consulted
    const id = await create({ options: twoOptions, consultedAgencyCodes: [] });

    // when the drafter finalises without choosing, pre-sign sends it back saying why
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    const back = await eventuallyBack(id);
    expect((await taskForm(drafter, back)).lastError?.code).toBe('ERR_NO_CHOSEN_OPTION');

    // when the drafter records the option and its rationale in the same form
    await drafter.claimAndComplete(back, { documents: [], chosenOptionId: 'PA1', rationale: 'Kinh phí nằm trong dự toán năm 2026.' });

    // then the choice is the dossier's and the head gets the signing
    await waitForTask(await env.as('sct.giamdoc'), id, 'Task_Sign');
    expect(await shown(id)).toMatchObject({ chosenOptionId: 'PA1', choiceRationale: 'Kinh phí nằm trong dự toán năm 2026.' });
  });

  /** The Task_DraftSubmission pre-sign sent back (a second one, after the first completion). */
  async function eventuallyBack(id: string): Promise<string> {
    const started = Date.now();
    for (;;) {
      const task = await waitForTask(drafter, id, 'Task_DraftSubmission');
      if ((await taskForm(drafter, task.id)).lastError) return task.id;
      if (Date.now() - started > 30_000) throw new Error('Task_DraftSubmission did not come back with an error');
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('R-11 should refuse removing an agency that replied and a "Thống nhất" summary of a "Không thống nhất" reply, naming the agency', async () => {
    // given Sở Tài chính disagreed, and the lead agency chose its option
    const id = await create({});
    await giveOpinion(env, id, 'STC', opinionForm('STC', 'DISAGREE', { content: 'Kinh phí vượt dự toán.' }));
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));
    // an ordinary dossier's choice needs its rationale, asked by the handler next to its field: the form leaves it optional for secret dossiers, R-19)
    const choice = await waitForTask(drafter, id, 'Task_ChooseOption');
    const noRationale = await refusal(drafter.claimAndComplete(choice.id, { chosenOptionId: 'PA1' }));
    expect({ status: noRationale.status, code: noRationale.code, field: (noRationale.body?.error as { field?: string }).field }).toEqual({ status: 422, code: 'ERR_NO_CHOSEN_OPTION', field: 'rationale' });
    await drafter.post(`/api/tasks/${choice.id}/complete`, { chosenOptionId: 'PA1', rationale: 'Kinh phí đã được cân đối trong dự toán.' });
    await waitForStatus(drafter, id, 'DRAFTING_SUBMISSION');

    // when the drafter drops Sở Tài chính from the consulted agencies
    const removed = await refusal(drafter.request('PATCH', `/api/dossiers/${id}`, { consultedAgencyCodes: ['SKHDT'] }));
    // then it is refused, naming it
    expect({ status: removed.status, code: removed.code, field: (removed.body?.error as { field?: string }).field }).toEqual({ status: 422, code: 'ERR_CONSULTED_AGENCY_REPLIED', field: 'consultedAgencyCodes' });
    expect(removed.message).toContain('STC');

    // when the summary says Sở Tài chính agreed
    const summary = [
      { agencyCode: 'STC', position: 'AGREE', summary: 'Thống nhất.' },
      { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất với dự thảo.' },
    ];
    const misstated = await refusal(drafter.request('PATCH', `/api/dossiers/${id}`, { opinionSummary: summary }));
    // then it is refused, naming the agency and what it said
    expect({ status: misstated.status, code: misstated.code }).toEqual({ status: 422, code: 'ERR_OPINION_SUMMARY_MISMATCH' });
    expect(misstated.message).toContain('STC đã cho ý kiến "Không thống nhất"');
    // also through the drafting form
    const task = await waitForTask(drafter, id, 'Task_DraftSubmission');
    const viaForm = await refusal(drafter.claimAndComplete(task.id, { documents: [], changes: { opinionSummary: summary } }));
    expect(viaForm.code).toBe('ERR_OPINION_SUMMARY_MISMATCH');

    // and the pre-filled summary, true to the opinions, is kept and goes to signing
    expect((await shown(id)).opinionSummary.find((e) => e.agencyCode === 'STC')).toMatchObject({ position: 'DISAGREE', summary: expect.stringMatching(/^Không thống nhất/) });
    await drafter.post(`/api/tasks/${task.id}/complete`, { documents: [] });
    await waitForTask(await env.as('sct.giamdoc'), id, 'Task_Sign');
  });

  it('R-11 should refresh the pre-filled summary in a later round, and R-14 should record a changed position without a reason as a warning, not refuse it', async () => {
    // given a legal-normative dossier: both agencies agree in round 1, then Sở Tư pháp finds it not eligible
    const id = await create({ isLegalNormative: true, matterCategory: 'van-ban-qppl' });
    const stc = await env.as('stc.chuyenvien');
    await giveOpinion(env, id, 'STC', opinionForm('STC'), stc);
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));
    await doTask(await env.as('stp.chuyenvien'), id, 'Task_Appraise', { conclusion: 'NOT_ELIGIBLE', lawful: false, reasons: 'Chưa đủ điều kiện trình: thiếu đánh giá tác động của chính sách.' });
    expect((await shown(id)).opinionSummary.find((e) => e.agencyCode === 'STC')).toMatchObject({ position: 'AGREE' });
    await doTask(drafter, id, 'Task_Revise', { outcome: 'RESUBMIT', note: 'Đã bổ sung đánh giá tác động.' });

    // when, in round 2, Sở Tài chính disagrees without saying why it changed
    await giveOpinion(env, id, 'STC', opinionForm('STC', 'DISAGREE', { content: 'Kinh phí vượt dự toán.' }), stc);
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));

    // then the opinion is taken, with the R-14 warning kept on it and shown
    await waitForTask(drafter, id, 'Task_ChooseOption');
    const d = await detail(drafter, id);
    const round2 = (d.opinions as unknown as { agency_code: string; round: number; position: string; warnings: { code: string }[] }[]).find((o) => o.agency_code === 'STC' && o.round === 2);
    expect(round2).toMatchObject({ position: 'DISAGREE', warnings: [expect.objectContaining({ code: 'WARN_OPINION_INCONSISTENT' })] });
    // and the summary now says what round 2 said
    expect((d.dossier as unknown as Shown).opinionSummary.find((e) => e.agencyCode === 'STC')).toMatchObject({ position: 'DISAGREE', summary: expect.stringMatching(/^Không thống nhất: Kinh phí vượt dự toán/) });
  });
});
