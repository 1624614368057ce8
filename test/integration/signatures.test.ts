import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput, type DossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask } from '../support/flow.ts';
import { refusal, taskForm } from '../support/engine.ts';

type SignatureRow = {
  signer_user_id: string;
  signer_role: string;
  signing_form: string;
  signer_position: string;
  signed_for_title: string | null;
  collective_name: string | null;
  authorization_id: string | null;
  accountable_user_id: string;
  verification: { ok: boolean; errorCodes: string[] } | null;
};

describe('R-05/R-06/R-07 who signs the tờ trình', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  /** A dossier of `agency` with no consultation, drafted and waiting at Task_Sign. */
  async function atSigning(agency: string, overrides: DossierInput = {}): Promise<string> {
    const lower = agency.toLowerCase().replace(/_/g, '');
    const drafter = await env.as(`${lower}.chuyenvien`);
    const { dossier } = await drafter.post<{ dossier: { id: string } }>(
      '/api/dossiers',
      validDossierInput({
        leadAgencyCode: agency,
        consultedAgencyCodes: [],
        documents: [submissionDocument({ symbol: `/TTr-${agency}` }), draftDecision()],
        ...overrides,
      }),
    );
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    return dossier.id;
  }

  async function assignedByUbnd(agency: string): Promise<string> {
    const rows = (await env.ds.query(
      `INSERT INTO assigned_task (source_ref, assigned_by, assignee_agency_code, to_ubnd_member_head, content, due_at)
       VALUES ('Thông báo 123/TB-UBND', 'ubnd.chutich', $1, true, 'Tham mưu đề án theo chỉ đạo của Chủ tịch UBND tỉnh', now() + interval '30 days') RETURNING id`,
      [agency],
    )) as { id: string }[];
    return rows[0]!.id;
  }

  async function delegate(agency: string, scope: { dossierIds?: string[]; matterCategories?: string[] }): Promise<string> {
    const lower = agency.toLowerCase();
    const rows = (await env.ds.query(
      `INSERT INTO delegation (agency_code, grantor_user_id, grantee_user_id, matter_categories, dossier_ids, valid_from, valid_to, reason)
       VALUES ($1, $2, $3, $4, $5, now() - interval '1 hour', now() + interval '1 day', 'Giám đốc đi công tác') RETURNING id`,
      [agency, `${lower}.giamdoc`, `${lower}.phogiamdoc`, scope.matterCategories ?? [], scope.dossierIds ?? []],
    )) as { id: string }[];
    return rows[0]!.id;
  }

  const signatures = async (id: string) =>
    (await env.ds.query('SELECT * FROM signature WHERE dossier_id = $1 ORDER BY signed_at', [id])) as SignatureRow[];

  it('R-06 should send the signing back to Task_Sign with ERR_DEPUTY_NOT_AUTHORIZED when a deputy signs without urgency or delegation, and accept the head after', async () => {
    // given an ordinary dossier of Sở Công Thương at signing
    const id = await atSigning('SCT');
    const deputy = await env.as('sct.phogiamdoc');

    // when the deputy signs it
    await doTask(deputy, id, 'Task_Sign', { stamped: true });

    // then head-signature refuses it and Task_Sign comes back, saying why
    const back = await waitForTask(deputy, id, 'Task_Sign');
    expect((await taskForm(deputy, back.id)).lastError?.code).toBe('ERR_DEPUTY_NOT_AUTHORIZED');
    expect((await signatures(id))[0]).toMatchObject({ signer_role: 'DEPUTY', verification: { ok: false } });

    // when the head signs the same document
    await env.engine.unclaim(back.id);
    const head = await env.as('sct.giamdoc');
    await doTask(head, id, 'Task_Sign', { stamped: true });

    // then it is signed and forwarded
    await waitForTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck');
    expect((await signatures(id)).at(-1)).toMatchObject({ signer_user_id: 'sct.giamdoc', signer_role: 'HEAD', verification: { ok: true } });

    // and each signature keeps the capacity it was given in: the deputy's KT. as refused, the head's own name
    expect((await signatures(id)).map((x) => [x.signing_form, x.signer_position, x.signed_for_title])).toEqual([
      ['KT', 'Phó Giám đốc', 'Giám đốc'],
      ['NONE', 'Giám đốc', null],
    ]);
    expect((await detail(head, id)).signatures.map((x) => x.signature_block)).toEqual(['KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nCấp phó Sở Công Thương', 'GIÁM ĐỐC\nThủ trưởng Sở Công Thương']);
  });

  it('R-06 should accept a deputy signature and keep the head accountable when the dossier is urgent and the head delegated', async () => {
    // given an urgent dossier and a delegation from the head to the deputy for it
    const id = await atSigning('SCT', { urgency: 'KHAN', urgentReason: 'Phục vụ hội chợ khai mạc ngày 01/12; Giám đốc đi công tác nước ngoài.' });
    const delegationId = await delegate('SCT', { dossierIds: [id] });

    // when the deputy signs
    await doTask(await env.as('sct.phogiamdoc'), id, 'Task_Sign', { stamped: true });

    // then the signature is accepted as KT. (ký thay) under that delegation, the head accountable
    await waitForTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck');
    const [sig] = await signatures(id);
    expect(sig).toMatchObject({ signer_user_id: 'sct.phogiamdoc', signer_role: 'DEPUTY', signing_form: 'KT', authorization_id: delegationId, accountable_user_id: 'sct.giamdoc', verification: { ok: true } });

    // and it records the deputy's own position and the head's title signed for, printed "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    expect(sig).toMatchObject({ signer_position: 'Phó Giám đốc', signed_for_title: 'Giám đốc', collective_name: null });
    const shown = (await detail(await env.as('sct.chuyenvien'), id)).signatures[0]!;
    expect(shown).toMatchObject({ signer_name: 'Cấp phó Sở Công Thương', signing_form: 'KT', signature_block: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nCấp phó Sở Công Thương' });

    // and a later change of the deputy's position does not change what was signed
    await env.ds.query(`UPDATE app_user SET position = 'Giám đốc' WHERE id = 'sct.phogiamdoc'`);
    try {
      expect((await detail(await env.as('sct.chuyenvien'), id)).signatures[0]!.signature_block).toBe('KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nCấp phó Sở Công Thương');
    } finally {
      await env.ds.query(`UPDATE app_user SET position = 'Phó Giám đốc' WHERE id = 'sct.phogiamdoc'`);
    }
  });

  it('R-07 should offer "Ký tờ trình" to the head only, never to a deputy, even when urgent and delegated, when UBND assigned the matter to a head who is a UBND member', async () => {
    // given a matter UBND assigned to the head of Sở Nội vụ (a UBND member), urgent, with a delegation to the deputy
    const assignedTaskId = await assignedByUbnd('SNV');
    const id = await atSigning('SNV', { assignedTaskId, matterCategory: 'noi-vu', urgency: 'KHAN', urgentReason: 'Kiện toàn tổ chức trước ngày 01/12.' });
    await delegate('SNV', { matterCategories: ['noi-vu'] });
    const deputy = await env.as('snv.phogiamdoc');
    const head = await env.as('snv.giamdoc');
    const task = await waitForTask(head, id, 'Task_Sign');

    // then the task is the head's alone: the deputy neither sees it nor can claim it
    expect((await deputy.get<{ items: unknown[] }>(`/api/tasks?dossier=${id}&step=Task_Sign`)).items).toEqual([]);
    expect((await refusal(deputy.post(`/api/tasks/${task.id}/claim`))).status).toBe(404);
    expect(await env.engineDb.task(task.id)).toMatchObject({ candidateGroups: [], candidateUsers: ['snv.giamdoc'] });

    // and the head signs in person
    await doTask(head, id, 'Task_Sign', { stamped: true });
    await waitForStatus(deputy, id, 'SUBMITTED');
    expect((await signatures(id)).map((s) => [s.signer_user_id, s.signer_role])).toEqual([['snv.giamdoc', 'HEAD']]);
  });

  it('R-07 should accept the acting head (Q. Giám đốc) as the head when UBND assigned the matter to the head of Sở Tài chính', async () => {
    // given a matter UBND assigned to the head of Sở Tài chính, whose head is acting
    const assignedTaskId = await assignedByUbnd('STC');
    const id = await atSigning('STC', { assignedTaskId, matterCategory: 'tai-chinh' });

    // when the acting head signs
    await doTask(await env.as('stc.giamdoc'), id, 'Task_Sign', { stamped: true });

    // then the signature holds and the dossier goes to the Office
    const d = await waitForStatus(await env.as('stc.chuyenvien'), id, 'SUBMITTED');
    expect(d.submissions).toHaveLength(1);
    expect((await signatures(id))[0]).toMatchObject({ signer_user_id: 'stc.giamdoc', accountable_user_id: 'stc.giamdoc', verification: { ok: true } });

    // and it is signed Q. (quyền) for the head's title, not KT.: the acting head is the head (RULES.md decision 3)
    expect((await signatures(id))[0]).toMatchObject({ signing_form: 'Q', signer_position: 'Q. Giám đốc', signed_for_title: 'Giám đốc' });
    expect((await detail(await env.as('stc.chuyenvien'), id)).signatures[0]!.signature_block).toBe('Q. GIÁM ĐỐC\nThủ trưởng Sở Tài chính');
  });

  it('R-05 should record TM. the People’s Committee with the chairman’s own position when the chairman of a district committee signs', async () => {
    // given a dossier of UBND thành phố Tân An, a collective body, at signing
    const id = await atSigning('UBND_TANAN', {
      matterCategory: 'dat-dai',
      subject: 'Đề nghị điều chỉnh quy hoạch sử dụng đất năm 2026 của thành phố Tân An',
      documents: [submissionDocument({ symbol: '/TTr-UBND' }), draftDecision()],
    });

    // when its chairman signs
    await doTask(await env.as('ubndtanan.giamdoc'), id, 'Task_Sign', { stamped: true });

    // then the signature is TM. Ủy ban nhân dân, over the chairman's position, and printed so
    await waitForTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck');
    expect((await signatures(id))[0]).toMatchObject({ signer_role: 'HEAD', signing_form: 'TM', signer_position: 'Chủ tịch', signed_for_title: null, collective_name: 'Ủy ban nhân dân', verification: { ok: true } });
    expect((await detail(await env.as('ubndtanan.chuyenvien'), id)).signatures[0]).toMatchObject({
      signature_block: 'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nThủ trưởng UBND thành phố Tân An',
    });
  });
});
