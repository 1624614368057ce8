/**
 * Every form of processes/forms, against a real task on the real engine, through the API: every
 * valid choice of every field (each radio and select value, the lead agency's options, checkbox on
 * and off, each conditional branch) answers 2xx, and every invalid value a 422 naming its field.
 *
 * Each choice is sent as a dry run (`?dryRun=true`): the server validates it, runs the task's
 * handler with its domain rules and writes inside a transaction it rolls back, so one task can
 * answer every choice; then one choice completes it for real and the dossier moves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, opinionForm, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { waitForStatus, waitForTask } from '../support/flow.ts';
import { refusal } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';
import type { FormContext, FormKey } from '../../server/forms/index.ts';
import { choiceWithoutRationale, invalidChoices, sendBackWithoutReason, validChoices, type Body } from '../support/form-choices.ts';

type Created = { dossier: { id: string } };

describe('every choice of every task form, against real tasks', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  const seen = new Set<FormKey>();
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  /**
   * Claims the dossier's task at `step`, sends every valid choice (2xx, or the domain rule that
   * refuses that combination) and every invalid one (422 naming the field) as dry runs, then
   * completes it with `complete` when given.
   */
  async function exercise(
    client: ApiClient,
    dossierId: string,
    step: string,
    key: FormKey,
    bases: Body[],
    opts: { complete?: Body; refusedBy?: (b: Body) => string | null } = {},
  ): Promise<void> {
    seen.add(key);
    const task = await waitForTask(client, dossierId, step);
    if (task.assignee !== client.user!.id) await client.post(`/api/tasks/${task.id}/claim`);
    const { formKey, data: context } = await client.get<{ formKey: string; data: FormContext }>(`/api/tasks/${task.id}/form`);
    expect(formKey).toBe(key);
    const dry = (body: Body) => client.post<{ dryRun?: boolean }>(`/api/tasks/${task.id}/complete?dryRun=true`, body);

    const valid = validChoices(key, bases, context);
    for (const body of valid) {
      const rule = opts.refusedBy?.(body) ?? null;
      if (rule) {
        const err = await refusal(dry(body));
        expect({ status: err.status, code: err.code }, `${key} ${JSON.stringify(body).slice(0, 200)}`).toEqual({ status: 422, code: rule });
      } else {
        const answer = await dry(body).catch((e: unknown) => e);
        expect(answer, `${key} ${JSON.stringify(body).slice(0, 200)}`).toEqual({ dossierId, dryRun: true });
      }
    }
    for (const v of invalidChoices(key, bases[0]!, context)) {
      const err = await refusal(dry(v.body));
      const e = err.body?.error as { field?: string } | undefined;
      expect({ status: err.status, field: e?.field?.split('.')[0] }, `${key}.${v.field} ${v.why}`).toEqual({ status: 422, field: v.field });
    }
    // then nothing of the dry runs was kept: the task is open and no completion was recorded
    expect((await waitForTask(client, dossierId, step)).id).toBe(task.id);
    if (opts.complete) await client.post(`/api/tasks/${task.id}/complete`, opts.complete);
  }

  it('should answer 2xx to every choice and 422 naming the field to every invalid value, from opinions to the Office\'s return', async () => {
    // given a legal-normative dossier with two options, consulting Sở Tài chính and Sở Kế hoạch và Đầu tư
    const options = [
      { id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' },
      { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' },
    ];
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ isLegalNormative: true, matterCategory: 'van-ban-qppl', options }));
    const id = dossier.id;

    // the consulted agencies: every position, each option of the lead agency or none
    await exercise(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion', 'give-opinion', [opinionForm('STC')], { complete: opinionForm('STC', 'AGREE', { preferredOptionId: 'PA1' }) });
    // its head: approve, or send back with a reason
    await exercise(await env.as('stc.giamdoc'), id, 'Task_ApproveOpinion', 'approve-opinion', [{ decision: 'APPROVE' }, { decision: 'SEND_BACK', reason: 'Nêu rõ nguồn kinh phí.' }], { refusedBy: sendBackWithoutReason, complete: { decision: 'APPROVE' } });
    await exercise(await env.as('skhdt.chuyenvien'), id, 'Task_GiveOpinion', 'give-opinion', [opinionForm('SKHDT')], {
      complete: opinionForm('SKHDT', 'PROPOSE_OTHER_OPTION', { preferredOptionId: 'PA2', content: 'Đề nghị phương án 2.' }),
    });
    await exercise(await env.as('skhdt.giamdoc'), id, 'Task_ApproveOpinion', 'approve-opinion', [{ decision: 'APPROVE' }], { refusedBy: sendBackWithoutReason, complete: { decision: 'APPROVE' } });
    // the lead agency chooses among its own options
    await exercise(drafter, id, 'Task_ChooseOption', 'choose-option', [{ chosenOptionId: 'PA1', rationale: 'Kinh phí nằm trong dự toán.' }], { complete: { chosenOptionId: 'PA2', rationale: 'Tiết kiệm kinh phí.' } });
    // Sở Tư pháp: three conclusions, lawful yes and no; "eligible but unlawful" is R-21's contradiction
    await exercise(await env.as('stp.chuyenvien'), id, 'Task_Appraise', 'appraise', [{ conclusion: 'ELIGIBLE', lawful: true, reasons: 'Đúng thẩm quyền, phù hợp quy định.' }], {
      refusedBy: (b) => (b.conclusion === 'ELIGIBLE' && b.lawful === false ? 'ERR_APPRAISAL_CONTRADICTORY' : null),
      complete: {
        conclusion: 'ELIGIBLE_AFTER_REVISION',
        lawful: true,
        reasons: 'Chỉnh lý Điều 3 rồi trình.',
        report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: '/BC-STP', subject: 'Báo cáo thẩm định', ...pdf('bao-cao-tham-dinh.pdf', 'STP') },
      },
    });
    const explanation = { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', symbol: '/BC-SCT', subject: 'Báo cáo tiếp thu, giải trình', ...pdf('tiep-thu.pdf', 'SCT') };
    await exercise(drafter, id, 'Task_RespondAppraisal', 'respond-appraisal', [{ note: 'Đã tiếp thu, chỉnh lý Điều 3.' }], { complete: { note: 'Đã tiếp thu, chỉnh lý Điều 3.', document: explanation } });
    await exercise(drafter, id, 'Task_DraftSubmission', 'draft-submission', [{ note: 'Hoàn thiện.', changes: { proposal: 'Đề nghị UBND tỉnh ban hành Quyết định theo dự thảo kèm theo.' } }], {
      refusedBy: choiceWithoutRationale,
      complete: { note: 'Hoàn thiện.' },
    });
    // the head signs, stamped or not (no urgent reason: that is a deputy's)
    await exercise(await env.as('sct.giamdoc'), id, 'Task_Sign', 'sign', [{ stamped: true }], { complete: { stamped: true } });
    // the Office: accept, or return with each reason (the reason only then)
    await exercise(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck', 'office-check', [{ outcome: 'ACCEPT', note: 'Đủ hồ sơ.' }, { outcome: 'RETURN', returnReason: 'FORMAT', note: 'Sai thể thức.' }], {
      complete: { outcome: 'RETURN', returnReason: 'MISSING_COMPONENT' },
    });
    // the drafter: resubmit or withdraw
    await exercise(drafter, id, 'Task_Revise', 'revise', [{ outcome: 'RESUBMIT', note: 'Đã bổ sung.' }]);
  });

  it('should answer every choice of a deputy\'s signature, the leaders\' decision and the paper route', async () => {
    // given a dossier that consults nobody and needs no appraisal
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    await exercise(drafter, dossier.id, 'Task_DraftSubmission', 'draft-submission', [{ documents: [] }], { refusedBy: choiceWithoutRationale, complete: { documents: [] } });
    // a deputy is asked the urgent reason, and may sign stamped or not, with or without it
    const deputy = await env.as('sct.phogiamdoc');
    await exercise(deputy, dossier.id, 'Task_Sign', 'sign', [{ stamped: true, urgentReason: 'Kỳ họp UBND tỉnh ngày mai.' }, { stamped: false }]);
    await deputy.post(`/api/tasks/${(await waitForTask(deputy, dossier.id, 'Task_Sign')).id}/unclaim`);
    const head = await env.as('sct.giamdoc');
    await exercise(head, dossier.id, 'Task_Sign', 'sign', [{ stamped: false }], { complete: { stamped: true } });
    await exercise(await env.as('vp.chuyenvien'), dossier.id, 'Task_OfficeCheck', 'office-check', [{ outcome: 'ACCEPT' }], { complete: { outcome: 'ACCEPT' } });
    await exercise(await env.as('ubnd.chutich'), dossier.id, 'Task_LeaderDecision', 'leader-decision', [{ decision: 'APPROVED', note: 'Đồng ý.' }], { complete: { decision: 'APPROVED' } });
    await waitForStatus(drafter, dossier.id, 'DECIDED_APPROVED');

    // and a secret dossier on paper: the clerk registers its delivery
    const noBody = { contentBase64: undefined, fileName: undefined, contentType: undefined };
    const secret = (
      await drafter.post<Created>(
        '/api/dossiers',
        validDossierInput({ secrecyLevel: 'MAT', consultedAgencyCodes: [], documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })] }),
      )
    ).dossier.id;
    await drafter.claimAndComplete((await waitForTask(drafter, secret, 'Task_DraftSubmission')).id, { documents: [] });
    await head.claimAndComplete((await waitForTask(head, secret, 'Task_Sign')).id, { stamped: true });
    await exercise(await env.as('sct.vanthu'), secret, 'Task_SendPaper', 'send-paper', [{ officeRegistrationNo: 'VP-2026-0456', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: true, note: 'Đã giao bản giấy.' }], {
      // R-05 on paper: a paper without the handwritten signature or the stamp is not taken.
      refusedBy: (b) => (b.signatureChecked !== true ? 'ERR_SIGNATURE_INVALID' : b.stamped !== true ? 'ERR_STAMP_MISSING' : null),
      complete: { officeRegistrationNo: 'VP-2026-0456', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: true } });
    await waitForStatus(drafter, secret, 'SUBMITTED');

    // then every form a dossier's own people fill in was exercised (the Office's follow-up and incoming documents are not dossier forms here)
    expect([...seen].sort()).toEqual(['appraise', 'approve-opinion', 'choose-option', 'draft-submission', 'give-opinion', 'leader-decision', 'office-check', 'respond-appraisal', 'revise', 'send-paper', 'sign']);
  });
});
