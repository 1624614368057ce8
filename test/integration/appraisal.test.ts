import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { pdf, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask } from '../support/flow.ts';
import { completionRefused, expectRule, taskForm } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Created = { dossier: { id: string } };

/** Sở Tư pháp's appraisal form with its signed report. */
function appraisalForm(conclusion: string, lawful: boolean, reasons = 'Dự thảo phù hợp Luật Ban hành văn bản QPPL; việc ban hành là đúng thẩm quyền và hợp pháp.') {
  return {
    conclusion,
    lawful,
    reasons,
    report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: '/BC-STP', subject: 'Báo cáo thẩm định dự thảo Quyết định', ...pdf('bao-cao-tham-dinh.pdf', conclusion) },
  };
}

describe('R-20/R-21 appraisal of a legal-normative dossier by Sở Tư pháp', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  let appraiser: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
    appraiser = await env.as('stp.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Sở Công Thương drafts a legal-normative decision (matter van-ban-qppl, outside its own fields: R-04 warns only). */
  async function legalNormativeDossier(): Promise<string> {
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ isLegalNormative: true, matterCategory: 'van-ban-qppl', consultedAgencyCodes: [] }));
    return dossier.id;
  }

  it('R-20 should go from Task_Appraise to drafting when the conclusion is ELIGIBLE, with the R-04 warning noted', async () => {
    // given a legal-normative dossier waiting for appraisal
    const id = await legalNormativeDossier();

    // when Sở Tư pháp concludes ELIGIBLE and lawful
    await doTask(appraiser, id, 'Task_Appraise', appraisalForm('ELIGIBLE', true));

    // then the drafter finalises the tờ trình and the appraisal is completed
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    const d = await waitForStatus(drafter, id, 'DRAFTING_SUBMISSION');
    const { appraisals } = (await drafter.get<{ appraisals: { status: string; conclusion: string }[] }>(`/api/dossiers/${id}`));
    expect(appraisals).toEqual([expect.objectContaining({ status: 'COMPLETED', conclusion: 'ELIGIBLE' })]);
    const intake = d.audit.find((a) => a.action === 'VALIDATED_INTAKE') as unknown as { details: { warnings: string[] } };
    expect(intake.details.warnings).toContain('WARN_OUTSIDE_AGENCY_FIELD');
  });

  it('R-21 should ask the lead agency to answer the appraisal in Task_RespondAppraisal, then draft and reach signing when the conclusion is ELIGIBLE_AFTER_REVISION', async () => {
    // given a legal-normative dossier waiting for appraisal
    const id = await legalNormativeDossier();

    // when Sở Tư pháp concludes ELIGIBLE_AFTER_REVISION
    await doTask(appraiser, id, 'Task_Appraise', appraisalForm('ELIGIBLE_AFTER_REVISION', true, 'Đủ điều kiện trình sau khi chỉnh lý Điều 3 về phạm vi điều chỉnh; ban hành là hợp pháp.'));

    // then the lead agency answers with its báo cáo tiếp thu, giải trình, and goes on to drafting and signing
    await waitForStatus(drafter, id, 'REVISING_AFTER_APPRAISAL');
    await doTask(drafter, id, 'Task_RespondAppraisal', {
      note: 'Đã tiếp thu, chỉnh lý Điều 3.',
      document: { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', symbol: '/BC-SCT', subject: 'Báo cáo tiếp thu, giải trình ý kiến thẩm định', ...pdf('tiep-thu.pdf', 'tiep thu') },
    });
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    const head = await env.as('sct.giamdoc');
    await waitForTask(head, id, 'Task_Sign');
    expect((await detail(drafter, id)).dossier.status).toBe('AWAITING_SIGNATURE');
  });

  it('R-20 should send the dossier back to Task_Revise and count the return when the conclusion is NOT_ELIGIBLE', async () => {
    // given a legal-normative dossier waiting for appraisal
    const id = await legalNormativeDossier();

    // when Sở Tư pháp concludes NOT_ELIGIBLE
    await doTask(appraiser, id, 'Task_Appraise', appraisalForm('NOT_ELIGIBLE', false, 'Chưa đủ điều kiện trình: thiếu đánh giá tác động của chính sách.'));

    // then the drafter revises, told why, and the return is on record
    const revise = await waitForTask(drafter, id, 'Task_Revise');
    expect((await taskForm(drafter, revise.id)).lastError?.code).toBe('ERR_APPRAISAL_NOT_ELIGIBLE');
    const d = await waitForStatus(drafter, id, 'REVISION_REQUIRED');
    expect(d.returns).toEqual([expect.objectContaining({ source: 'APPRAISAL', reason: 'APPRAISAL_NOT_ELIGIBLE' })]);
  });

  it('R-21 should refuse with 422 an appraisal without a conclusion or without saying whether issuing is lawful', async () => {
    // given a legal-normative dossier waiting for appraisal
    const id = await legalNormativeDossier();
    const task = await waitForTask(appraiser, id, 'Task_Appraise');

    // when the appraiser only says "cân nhắc", or leaves out whether issuing is lawful, or contradicts itself
    const vague = await completionRefused(appraiser, task.id, { reasons: 'Đề nghị cơ quan soạn thảo cân nhắc.' });
    const noLawful = await completionRefused(appraiser, task.id, { conclusion: 'ELIGIBLE', reasons: 'Đủ điều kiện trình.' });
    const contradictory = await completionRefused(appraiser, task.id, appraisalForm('ELIGIBLE', false));

    // then each is refused by R-21 and the task stays with the appraiser
    expectRule(vague, 422, 'ERR_APPRAISAL_VAGUE', 'R-21');
    expectRule(noLawful, 422, 'ERR_APPRAISAL_VAGUE', 'R-21');
    expectRule(contradictory, 422, 'ERR_APPRAISAL_CONTRADICTORY');
    expect((await waitForTask(appraiser, id, 'Task_Appraise')).id).toBe(task.id);
    expect((await detail(drafter, id)).dossier.status).toBe('APPRAISING');
  });

  it('R-21 should route back to Task_Appraise with ERR_APPRAISAL_VAGUE when the stored appraisal has no conclusion, then go on once it has one', async () => {
    // given a legal-normative dossier whose latest stored appraisal states no conclusion (written outside the form)
    const id = await legalNormativeDossier();
    const first = await waitForTask(appraiser, id, 'Task_Appraise');
    await env.ds.query(
      `INSERT INTO appraisal (dossier_id, round, appraiser_agency_code, status, reasons, created_at)
       VALUES ($1, 1, 'STP', 'IN_PROGRESS', 'Đề nghị cơ quan soạn thảo cân nhắc thêm.', now() + interval '1 day')`,
      [id],
    );

    // when the appraisal task is completed and the worker checks the stored appraisal
    await doTask(appraiser, id, 'Task_Appraise', appraisalForm('ELIGIBLE', true));

    // then the appraiser gets the task back with the reason, and the vague appraisal is marked returned
    const again = await eventuallyNewTask(appraiser, id, first.id);
    expect((await taskForm(appraiser, again)).lastError?.code).toBe('ERR_APPRAISAL_VAGUE');
    const rows = (await env.ds.query(`SELECT status FROM appraisal WHERE dossier_id = $1 AND conclusion IS NULL`, [id])) as { status: string }[];
    expect(rows).toEqual([{ status: 'RETURNED_INCOMPLETE' }]);

    // when the vague record is gone and the appraiser concludes again
    await env.ds.query(`DELETE FROM appraisal WHERE dossier_id = $1 AND conclusion IS NULL`, [id]);
    await doTask(appraiser, id, 'Task_Appraise', appraisalForm('ELIGIBLE', true));

    // then the dossier goes on to drafting
    await waitForTask(drafter, id, 'Task_DraftSubmission');
  });

  async function eventuallyNewTask(client: ApiClient, id: string, oldTaskId: string): Promise<string> {
    for (let i = 0; i < 300; i++) {
      const list = await client.get<{ items: { id: string }[] }>(`/api/tasks?dossier=${id}&step=Task_Appraise`);
      const t = list.items.find((x) => x.id !== oldTaskId);
      if (t) return t.id;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('Task_Appraise did not come back');
  }
});
