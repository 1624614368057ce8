/**
 * R-30, issue 16 item 6, on the real engine: a return costs what its reason needs. A format or
 * signature return goes back to the tờ trình and its signing, keeping the opinions; a content return
 * goes to revision and re-consults only the agencies the Office names, none when it names none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, giveOpinion, waitForStatus, waitForTask } from '../support/flow.ts';
import { completionRefused, expectRule, historyOf, instanceOf, taskForm } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

describe('R-30 proportionate returns', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  let head: ApiClient;
  let office: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
    head = await env.as('sct.giamdoc');
    office = await env.as('vp.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  /** A dossier consulting STC and SKHDT, both opinions signed off, drafted and signed: waiting at the Office. */
  async function atTheOffice(): Promise<string> {
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC', 'SKHDT'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'));
    await giveOpinion(env, dossier.id, 'SKHDT', opinionForm('SKHDT'));
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    await waitForTask(office, dossier.id, 'Task_OfficeCheck');
    return dossier.id;
  }

  const requests = async (id: string) => (await detail(drafter, id)).opinionRequests.map((r) => [r.agency_code, r.round, r.status]);
  const moves = async (id: string) =>
    (await detail(drafter, id)).audit.map((a) => (a as unknown as { to_status: string | null }).to_status).filter((s): s is string => s !== null);
  const times = (list: string[], activity: string) => list.filter((a) => a === activity).length;

  it('R-30 should send a format return back to "Hoàn thiện tờ trình" with no new opinion request, and the re-signed dossier to the Office again', async () => {
    // given a dossier whose two agencies gave their opinions, signed and at the Office
    const id = await atTheOffice();

    // when the Office returns it for the format of the tờ trình
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'FORMAT', note: 'Trích yếu chưa đúng thể thức.' });

    // then the drafter redrafts the tờ trình, told why in words, with nothing asked of the agencies again
    const draft = await waitForTask(drafter, id, 'Task_DraftSubmission');
    const form = await drafter.get<{ data: { lastErrorMessage: string } }>(`/api/tasks/${draft.id}/form`);
    expect(form.data.lastErrorMessage).toBe('Sai thể thức, nội dung văn bản (R-18): Trích yếu chưa đúng thể thức.');
    expect((await taskForm(drafter, draft.id)).lastError?.code).toBe('RETURNED_FORMAT');
    const returned = await detail(drafter, id);
    expect(returned.dossier).toMatchObject({ status: 'DRAFTING_SUBMISSION', round: 2 });
    expect(returned.returns).toEqual([expect.objectContaining({ source: 'OFFICE', reason: 'FORMAT' })]);
    expect(await requests(id)).toEqual([
      ['SKHDT', 1, 'RECEIVED'],
      ['STC', 1, 'RECEIVED'],
    ]);
    const states = await moves(id);
    expect(states.slice(-2)).toEqual(['RETURNED', 'DRAFTING_SUBMISSION']);

    // when the drafter attaches the corrected tờ trình and the head signs again
    await doTask(drafter, id, 'Task_DraftSubmission', {
      documents: [submissionDocument({ subject: 'Về việc phê duyệt Kế hoạch xúc tiến thương mại năm 2026 (sửa trích yếu)', ...pdf('to-trinh-v2.pdf', 'To trinh v2') })],
    });
    await doTask(head, id, 'Task_Sign', { stamped: true });

    // then the dossier reaches the Office again, passing R-10 on the opinions of round 1, and is accepted in round 2
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
    const accepted = await waitForStatus(drafter, id, 'ACCEPTED');
    expect(accepted.submissions.map((s) => [s.round, s.intake_status])).toEqual([
      [1, 'RETURNED'],
      [2, 'ACCEPTED'],
    ]);
    expect(await requests(id)).toHaveLength(2);
    const history = await historyOf(env, await instanceOf(env, id));
    expect(history).not.toContain('Task_Revise');
    expect(times(history, 'Task_RequestOpinions')).toBe(1);
    expect(times(history, 'Task_Sign')).toBe(2);
  });

  it('R-30 should let the head sign the same tờ trình again after a return for its signature, and the Office receive it', async () => {
    // given a dossier at the Office, returned because its signature or stamp is not valid
    const id = await atTheOffice();
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'INVALID_SIGNATURE', note: 'Thiếu dấu.' });

    // when the drafter sends the tờ trình on unchanged and the head signs and stamps it again
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, id, 'Task_Sign', { stamped: true });

    // then the Office has it in round 2, nobody consulted again
    await waitForTask(office, id, 'Task_OfficeCheck');
    const d = await detail(drafter, id);
    expect(d.dossier).toMatchObject({ status: 'SUBMITTED', round: 2 });
    expect(d.opinionRequests).toHaveLength(2);
  });

  it('R-30 should re-consult only the agency a content return names, the other opinion counting in consolidation', async () => {
    // given a dossier at the Office after STC and SKHDT gave their opinions
    const id = await atTheOffice();

    // when the Office returns it for its legal basis, naming STC
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_LEGAL_BASIS', reconsultAgencies: ['STC'], note: 'Bổ sung căn cứ về kinh phí.' });

    // then the drafter revises, and on resubmission only STC is asked again
    const revise = await waitForTask(drafter, id, 'Task_Revise');
    const form = await drafter.get<{ data: { lastErrorMessage: string } }>(`/api/tasks/${revise.id}/form`);
    expect(form.data.lastErrorMessage).toBe('Thiếu cơ sở pháp lý (R-16): Bổ sung căn cứ về kinh phí.');
    expect((await detail(drafter, id)).dossier).toMatchObject({ status: 'REVISION_REQUIRED', round: 2 });
    await doTask(drafter, id, 'Task_Revise', { outcome: 'RESUBMIT', note: 'Đã bổ sung căn cứ.' });
    await giveOpinion(env, id, 'STC', opinionForm('STC'));
    expect(await requests(id)).toEqual([
      ['SKHDT', 1, 'RECEIVED'],
      ['STC', 1, 'RECEIVED'],
      ['STC', 2, 'RECEIVED'],
    ]);

    // and the summary still states SKHDT's opinion of round 1, so the dossier is signed and accepted
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    const summary = (await detail(drafter, id)).dossier.opinionSummary as { agencyCode: string; position: string }[];
    expect(summary.map((e) => [e.agencyCode, e.position]).sort()).toEqual([
      ['SKHDT', 'AGREE'],
      ['STC', 'AGREE'],
    ]);
    await doTask(head, id, 'Task_Sign', { stamped: true });
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
    await waitForStatus(drafter, id, 'ACCEPTED');
    const history = await historyOf(env, await instanceOf(env, id));
    expect(times(history, 'Task_GiveOpinion')).toBe(3);
  });

  it('R-30 should send a content return naming no agency to revision and on without any consultation', async () => {
    // given a dossier at the Office
    const id = await atTheOffice();
    const check = await waitForTask(office, id, 'Task_OfficeCheck');

    // when the Office names an agency the dossier never consulted, or names one on a format return, it is refused
    expectRule(await completionRefused(office, check.id, { outcome: 'RETURN', returnReason: 'VAGUE_PROPOSAL', reconsultAgencies: ['SNV'] }), 422, 'ERR_RECONSULT_NOT_CONSULTED', 'R-30');
    const hidden = await completionRefused(office, check.id, { outcome: 'RETURN', returnReason: 'INVALID_SIGNATURE', reconsultAgencies: ['STC'] });
    expect(hidden.status).toBe(422);

    // when it returns it for a vague proposal, naming nobody
    await doTask(office, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'VAGUE_PROPOSAL', reconsultAgencies: [] });

    // then the drafter revises, and the resubmission goes straight to the tờ trình, nobody asked again
    await doTask(drafter, id, 'Task_Revise', { outcome: 'RESUBMIT', note: 'Đã nêu cụ thể đề xuất.' });
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    expect(await requests(id)).toEqual([
      ['SKHDT', 1, 'RECEIVED'],
      ['STC', 1, 'RECEIVED'],
    ]);
    const history = await historyOf(env, await instanceOf(env, id));
    expect(times(history, 'Task_RequestOpinions')).toBe(1);
    const states = await moves(id);
    expect(states.slice(states.lastIndexOf('RETURNED'))).toEqual(['RETURNED', 'REVISION_REQUIRED', 'VALIDATING', 'DRAFTING_SUBMISSION']);
  });
});
