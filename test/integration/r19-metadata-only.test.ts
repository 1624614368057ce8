import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, signOffOpinion, waitForStatus, waitForTask } from '../support/flow.ts';
import { completionRefused, expectRule, refusal } from '../support/engine.ts';
import { ConfidentialMetadataOnly1732600000331 } from '../../store/migrations/1732600000331-confidential-metadata-only.ts';
import { ConfidentialStepsMetadataOnly1732600000451 } from '../../store/migrations/1732600000451-confidential-steps-metadata-only.ts';

const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };
const PRACTICAL = 'Kho cũ nằm sát khu dân cư xã Thạnh Phú (R19-PRACTICAL)';
const PROPOSAL = 'Đề nghị bố trí quỹ đất khu Tân Bửu cho kho mới (R19-PROPOSAL)';
const DESCRIPTION = 'Khu đất 12 ha phía tây, kinh phí 40 tỷ (R19-DESCRIPTION)';

/** A secret (Mật) dossier of Sở Công Thương with its metadata only, both documents on paper. */
function secretDossier(subject: string, extra: Record<string, unknown> = {}) {
  return validDossierInput({
    subject,
    secrecyLevel: 'MAT',
    consultedAgencyCodes: [],
    options: [{ id: 'PA1', title: 'Di dời về phía tây' }, { id: 'PA2', title: 'Giữ nguyên, gia cố' }],
    documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })],
    ...extra,
  });
}

type Detail = { error?: { details?: { field: string; code: string }[]; field?: string } };

describe('R-19 a confidential dossier holds metadata only', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-19 should refuse with 422 ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED each content field of a secret dossier, naming it, and store nothing', async () => {
    // given a drafter and a secret dossier carrying a practical basis, a proposal and an option description
    const drafter = await env.as('sct.chuyenvien');
    const subject = 'Phương án di dời kho vật liệu nổ năm 2026 (từ chối)';
    const input = secretDossier(subject, {
      practicalBasis: PRACTICAL,
      proposal: PROPOSAL,
      options: [{ id: 'PA1', title: 'Di dời về phía tây' }, { id: 'PA2', title: 'Giữ nguyên', description: DESCRIPTION }],
    });

    // when it is created
    const err = await refusal(drafter.post('/api/dossiers', input));

    // then it is refused, every content field named
    expectRule(err, 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    const body = err.body as Detail;
    expect(body.error?.field).toBe('practicalBasis');
    expect(body.error?.details?.map((d) => [d.field, d.code])).toEqual([
      ['practicalBasis', 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED'],
      ['proposal', 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED'],
      ['options.1.description', 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED'],
    ]);
    // and a single field is named alone
    const one = await refusal(drafter.post('/api/dossiers', secretDossier(subject, { proposal: PROPOSAL })));
    expect((one.body as Detail).error?.details?.map((d) => d.field)).toEqual(['proposal']);
    const stored = (await env.ds.query('SELECT count(*)::int AS n FROM dossier WHERE subject = $1', [subject])) as { n: number }[];
    expect(stored[0]!.n).toBe(0);

    // and the same content on an ordinary dossier is taken (the refusal is R-19's, not R-16's)
    const ordinary = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', { ...input, subject: `${subject} thường`, secrecyLevel: 'NONE', documents: validDossierInput().documents });
    expect(ordinary.dossier.id).toMatch(/^HS-/);
  });

  it('R-19 should take a secret dossier with metadata only through its paper route on the engine, the clerk recording the paper, with no content in the database', async () => {
    // given a secret dossier created with metadata only: R-16 asks no practical basis or proposal of it
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string; channel: string } }>(
      '/api/dossiers',
      secretDossier('Phương án di dời kho vật liệu nổ năm 2026', { options: [{ id: 'PA1', title: 'Di dời về phía tây' }] }),
    );
    expect(dossier.channel).toBe('PAPER');

    // when the drafter tries to add content while finalising, by the API and through the task
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    expectRule(await refusal(drafter.request('PATCH', `/api/dossiers/${dossier.id}`, { practicalBasis: PRACTICAL })), 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    const task = await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const viaTask = await completionRefused(drafter, task.id, { documents: [], changes: { options: [{ id: 'PA1', title: 'Di dời', description: DESCRIPTION }] } });
    expectRule(viaTask, 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    expect((viaTask.body as Detail).error?.field).toBe('options.0.description');

    // then it is finalised without, signed by the head, and waits for the clerk's paper step
    await drafter.post(`/api/tasks/${task.id}/complete`, { documents: [] });
    const head = await env.as('sct.giamdoc');
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    await waitForStatus(head, dossier.id, 'PAPER_PENDING');

    // when the clerk has not stamped the paper, the step is refused
    const clerk = await env.as('sct.vanthu');
    const paperTask = await waitForTask(clerk, dossier.id, 'Task_SendPaper');
    const unstamped = await completionRefused(clerk, paperTask.id, { officeRegistrationNo: 'VP-2026-0789', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: false });
    expectRule(unstamped, 422, 'ERR_STAMP_MISSING', 'R-05');

    // when the clerk records the signed and stamped paper
    await clerk.post(`/api/tasks/${paperTask.id}/complete`, { officeRegistrationNo: 'VP-2026-0789', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: true });

    // then the Office receives it
    await waitForTask(await env.as('vp.chuyenvien'), dossier.id, 'Task_OfficeCheck');
    const submitted = await waitForStatus(head, dossier.id, 'SUBMITTED');
    expect(submitted.process!.history.map((h) => h.activityId)).toContain('Task_SendPaper');

    // and the clerk's record is kept: who received and stamped the paper, when, and its reference
    const [sub] = (await env.ds.query('SELECT paper_reference, paper_received_by, paper_received_at, paper_stamped_by FROM submission WHERE dossier_id = $1', [dossier.id])) as {
      paper_reference: string;
      paper_received_by: string;
      paper_received_at: Date;
      paper_stamped_by: string;
    }[];
    expect(sub).toMatchObject({ paper_reference: '45/TTr-SCT', paper_received_by: 'sct.vanthu', paper_stamped_by: 'sct.vanthu' });
    expect(sub!.paper_received_at).toBeInstanceOf(Date);
    expect((await detail(head, dossier.id)).submissions[0]).toMatchObject({ paper_reference: '45/TTr-SCT', paper_stamped_by: 'sct.vanthu' });

    // and nothing of the content is in the row
    const [row] = (await env.ds.query('SELECT practical_basis, proposal, options FROM dossier WHERE id = $1', [dossier.id])) as { practical_basis: string; proposal: string; options: { description?: string }[] }[];
    expect(row).toMatchObject({ practical_basis: '', proposal: '' });
    expect(row!.options.every((o) => o.description === undefined)).toBe(true);
    const anywhere = (await env.ds.query(`SELECT count(*)::int AS n FROM dossier WHERE secrecy_level <> 'NONE' AND row_to_json(dossier)::text LIKE '%R19-%'`)) as { n: number }[];
    expect(anywhere[0]!.n).toBe(0);
  });

  it('R-19 should refuse the opinion text, the choice rationale and a summary in words of a secret dossier (422 ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED naming the field), and record the position, the chosen option and the summary by position only', async () => {
    // given a secret dossier with two options on which Sở Tài chính is consulted, its reply on paper
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier('Phương án kho vật liệu nổ, lấy ý kiến Sở Tài chính', { consultedAgencyCodes: ['STC'] }));
    const paperReply = { role: 'OPINION_DOC', docType: 'CONG_VAN', symbol: '/STC-VP', subject: 'Ý kiến về phương án kho (bản giấy)', medium: 'PAPER' };
    const stc = await env.as('stc.chuyenvien');
    const opinionTask = await waitForTask(stc, dossier.id, 'Task_GiveOpinion');

    // when the consulted agency's specialist types its opinion, or the reason it changed
    // (the options of a secret dossier are not shown to a consulted agency's specialist, so no preferred option is offered)
    const worded = await completionRefused(stc, opinionTask.id, { position: 'DISAGREE', content: 'Kho quá gần khu dân cư (R19-OPINION)', document: paperReply });
    const reasoned = await completionRefused(stc, opinionTask.id, { position: 'DISAGREE', changeReason: 'Khảo sát mới (R19-CHANGE)', document: paperReply });

    // then both are refused, naming the field; its position alone is taken
    expectRule(worded, 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    expect((worded.body as Detail).error?.field).toBe('content');
    expect((reasoned.body as Detail).error?.field).toBe('changeReason');
    await stc.post(`/api/tasks/${opinionTask.id}/complete`, { position: 'DISAGREE', document: paperReply });
    await signOffOpinion(await env.as('stc.giamdoc'), dossier.id);

    // when the lead agency's specialist cleared for secrets (who alone sees the options' titles) chooses an option with its reasons written out
    await (await env.as('admin')).request('PATCH', '/api/admin/users/sct.chuyenvien2', { clearance: 'MAT' });
    const cleared = await env.as('sct.chuyenvien2');
    const choose = await waitForTask(cleared, dossier.id, 'Task_ChooseOption');
    const rationale = await completionRefused(cleared, choose.id, { chosenOptionId: 'PA1', rationale: 'Chi phí thấp hơn (R19-RATIONALE)' });
    // then it is refused, and the choice without them is taken
    expectRule(rationale, 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    expect((rationale.body as Detail).error?.field).toBe('rationale');
    await cleared.post(`/api/tasks/${choose.id}/complete`, { chosenOptionId: 'PA1' });

    // when the drafter writes the agency's opinion into the summary
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const summary = await refusal(
      drafter.request('PATCH', `/api/dossiers/${dossier.id}`, { opinionSummary: [{ agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất: kho quá gần dân cư (R19-SUMMARY)' }] }),
    );
    // then it is refused; the summary by position, as the consolidation wrote it, stays
    expectRule(summary, 422, 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED', 'R-19');
    expect((summary.body as Detail).error?.field).toBe('opinionSummary.0.summary');
    // when the consulted agency's specialist, or another agency's, writes even a summary by position into the lead agency's dossier
    for (const outsider of [stc, await env.as('snv.chuyenvien')]) {
      const foreign = await refusal(outsider.request('PATCH', `/api/dossiers/${dossier.id}`, { opinionSummary: [{ agencyCode: 'STC', position: 'AGREE', summary: 'Thống nhất' }] }));
      // then it is not theirs to change: refused (or not found, for a dossier they may not see), not weighed as content
      expect([403, 404]).toContain(foreign.status);
    }
    expect(((await env.ds.query('SELECT opinion_summary FROM dossier WHERE id = $1', [dossier.id])) as { opinion_summary: { summary: string }[] }[])[0]!.opinion_summary.map((e) => e.summary)).not.toContain('Thống nhất');
    await drafter.request('PATCH', `/api/dossiers/${dossier.id}`, { opinionSummary: [{ agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất' }] });

    // and the dossier goes on to its head's signature with metadata only: positions, the option chosen, no text
    const draft = await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    await drafter.claimAndComplete(draft.id, { documents: [] });
    await waitForTask(await env.as('sct.giamdoc'), dossier.id, 'Task_Sign');
    const [opinion] = (await env.ds.query('SELECT position, preferred_option_id, content, change_reason FROM opinion WHERE dossier_id = $1', [dossier.id])) as Record<string, unknown>[];
    expect(opinion).toMatchObject({ position: 'DISAGREE', content: '' });
    expect(opinion!.change_reason ?? '').toBe('');
    const [row] = (await env.ds.query('SELECT chosen_option_id, choice_rationale, opinion_summary FROM dossier WHERE id = $1', [dossier.id])) as { chosen_option_id: string; choice_rationale: string | null; opinion_summary: { summary: string }[] }[];
    expect(row!.chosen_option_id).toBe('PA1');
    expect(row!.choice_rationale ?? '').toBe('');
    expect(row!.opinion_summary.map((e) => e.summary)).toEqual(['Không thống nhất']);
    const leaked = (await env.ds.query(
      `SELECT (SELECT count(*) FROM opinion o WHERE o.dossier_id = $1 AND row_to_json(o)::text LIKE '%R19-%') + (SELECT count(*) FROM dossier d WHERE d.id = $1 AND row_to_json(d)::text LIKE '%R19-%')
         + (SELECT count(*) FROM audit_event e WHERE e.dossier_id = $1 AND e.details::text LIKE '%R19-%') AS n`,
      [dossier.id],
    )) as { n: string }[];
    expect(Number(leaked[0]!.n)).toBe(0);
  });

  it('R-19 migration 1732600000331 should blank the content a secret dossier stored before, keeping an audit record of the fields and not their text', async () => {
    // given a secret dossier whose content was stored before the rule (written past the API, as old rows were)
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier('Hồ sơ mật lưu trước khi áp dụng R-19'));
    await env.ds.query(`UPDATE dossier SET practical_basis = $2, proposal = $3, options = $4::jsonb WHERE id = $1`, [
      dossier.id,
      PRACTICAL,
      PROPOSAL,
      JSON.stringify([{ id: 'PA1', title: 'Di dời' }, { id: 'PA2', title: 'Gia cố', description: DESCRIPTION }]),
    ]);

    // when the migration runs
    const runner = env.ds.createQueryRunner();
    try {
      await new ConfidentialMetadataOnly1732600000331().up(runner);
    } finally {
      await runner.release();
    }

    // then the content is blank, option titles kept
    const [row] = (await env.ds.query('SELECT practical_basis, proposal, options FROM dossier WHERE id = $1', [dossier.id])) as { practical_basis: string; proposal: string; options: unknown[] }[];
    expect(row).toEqual({ practical_basis: '', proposal: '', options: [{ id: 'PA1', title: 'Di dời' }, { id: 'PA2', title: 'Gia cố' }] });

    // and the audit trail says which fields were removed, without their text
    const audit = (await env.ds.query(`SELECT rule_id, details FROM audit_event WHERE dossier_id = $1 AND action = 'CONFIDENTIAL_CONTENT_REMOVED'`, [dossier.id])) as { rule_id: string; details: { fields: string[] } }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ rule_id: 'R-19', details: { fields: ['practicalBasis', 'proposal', 'options.1.description'] } });
    expect(JSON.stringify(audit)).not.toContain('R19-');
  });

  it('R-19 migration 1732600000451 should blank the rationale, a summary in words and the Office\'s return note a secret dossier stored before, keeping each summary line\'s position and an audit record of the fields', async () => {
    // given a secret dossier whose steps stored text before the rule (written past the API, as old rows were)
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier('Hồ sơ mật có lý do lựa chọn lưu trước R-19'));
    await env.ds.query(`UPDATE dossier SET choice_rationale = $2, opinion_summary = $3::jsonb WHERE id = $1`, [
      dossier.id,
      'Chi phí thấp hơn (R19-OLD-RATIONALE)',
      JSON.stringify([
        { agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất: kho quá gần dân cư (R19-OLD-SUMMARY)' },
        { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất' },
        { agencyCode: 'SNV', position: 'AGREE', summary: 'Thống nhất  (gửi sau thời hạn)' },
      ]),
    ]);
    await env.ds.query(`INSERT INTO dossier_return (dossier_id, round, source, reason, note, idempotency_key) VALUES ($1, 1, 'OFFICE', 'FORMAT', $2, $3)`, [
      dossier.id,
      'Sai vị trí kho (R19-OLD-NOTE)',
      `r19-old-return:${dossier.id}`,
    ]);

    // when the migration runs
    const runner = env.ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await new ConfidentialStepsMetadataOnly1732600000451().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }

    // then no text is left, each summary line states its position; a late reply's mark, metadata, stays
    const [row] = (await env.ds.query('SELECT choice_rationale, opinion_summary FROM dossier WHERE id = $1', [dossier.id])) as { choice_rationale: string | null; opinion_summary: unknown[] }[];
    expect(row).toEqual({
      choice_rationale: null,
      opinion_summary: [
        { agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất' },
        { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất' },
        { agencyCode: 'SNV', position: 'AGREE', summary: 'Thống nhất  (gửi sau thời hạn)' },
      ],
    });
    const returns = (await env.ds.query('SELECT note FROM dossier_return WHERE dossier_id = $1', [dossier.id])) as { note: string | null }[];
    expect(returns).toEqual([{ note: null }]);

    // and the audit trail says which fields were removed, without their text
    const audit = (await env.ds.query(`SELECT details FROM audit_event WHERE dossier_id = $1 AND action = 'CONFIDENTIAL_CONTENT_REMOVED'`, [dossier.id])) as { details: { fields: string[] } }[];
    expect(audit.map((a) => a.details.fields)).toEqual([['choiceRationale', 'opinionSummary', 'returns.note']]);
    expect(JSON.stringify(audit)).not.toContain('R19-');
  });
});
