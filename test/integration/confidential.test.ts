import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask } from '../support/flow.ts';
import { expectRule, refusal } from '../support/engine.ts';

const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };
const SUBJECT = 'Phương án bảo vệ mục tiêu trọng điểm năm 2026';

/** A secret (Mật) dossier of Sở Công Thương: metadata only, both documents on paper. */
function secretDossier() {
  return validDossierInput({
    subject: SUBJECT,
    secrecyLevel: 'MAT',
    consultedAgencyCodes: [],
    documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })],
  });
}

describe('R-19 a confidential dossier goes on paper only', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-19 should route a secret dossier to Task_SendPaper for the lead clerk, then to the Office, keeping its subject and files hidden', async () => {
    // given a secret dossier created with paper documents and no file bodies
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string; channel: string } }>('/api/dossiers', secretDossier());
    expect(dossier.channel).toBe('PAPER');

    // when it is finalised and signed by the head
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    const head = await env.as('sct.giamdoc');
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });

    // then the lead agency's clerk sends it on paper, and only then does the Office see it
    const clerk = await env.as('sct.vanthu');
    const pending = await waitForStatus(head, dossier.id, 'PAPER_PENDING');
    expect(pending.submissions).toEqual([expect.objectContaining({ channel: 'PAPER' })]);
    await doTask(clerk, dossier.id, 'Task_SendPaper', { officeRegistrationNo: 'VP-2026-0456', paperReference: '12/TTr-SCT', signatureChecked: true, stamped: true });
    const office = await env.as('vp.chuyenvien');
    await waitForTask(office, dossier.id, 'Task_OfficeCheck');
    const submitted = await waitForStatus(head, dossier.id, 'SUBMITTED');
    expect(submitted.process!.history.map((h) => h.activityId)).toContain('Task_SendPaper');

    // and those without clearance see "Hồ sơ mật"; the head and the Office's confidential clerk see the subject
    expect((await detail(office, dossier.id)).dossier.subject).toBe('Hồ sơ mật');
    expect((await detail(drafter, dossier.id)).dossier.subject).toBe('Hồ sơ mật');
    expect(submitted.dossier.subject).toBe(SUBJECT);
    expect((await detail(await env.as('vp.mat'), dossier.id)).dossier.subject).toBe(SUBJECT);

    // and no document has a file body, even for the head
    const doc = submitted.documents.find((d) => d.role === 'SUBMISSION_DOC')!;
    expectRule(await refusal(head.get(`/api/documents/${doc.id}/content`)), 404, 'NO_FILE_BODY');
    expectRule(await refusal(office.get(`/api/documents/${doc.id}/content`)), 404, 'NOT_FOUND');
    const bodies = (await env.ds.query('SELECT count(*)::int AS n FROM document_body b JOIN document d ON d.id = b.document_id WHERE d.dossier_id = $1', [dossier.id])) as { n: number }[];
    expect(bodies[0]!.n).toBe(0);
  });

  it('R-19 should refuse with 422 ERR_CONFIDENTIAL_ELECTRONIC a file body on a secret dossier, at creation and as an added document', async () => {
    // given a drafter
    const drafter = await env.as('sct.chuyenvien');

    // when a secret dossier is created with an electronic tờ trình
    const atCreation = await refusal(
      drafter.post('/api/dossiers', { ...secretDossier(), documents: [submissionDocument(), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })] }),
    );

    // then it is refused, as is a secret dossier asking for the electronic channel
    expectRule(atCreation, 422, 'ERR_CONFIDENTIAL_ELECTRONIC', 'R-19');
    expectRule(await refusal(drafter.post('/api/dossiers', { ...secretDossier(), channel: 'ELECTRONIC' })), 422, 'ERR_CONFIDENTIAL_ELECTRONIC', 'R-19');

    // when a file is added to a stored secret dossier
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier());
    const added = await refusal(
      drafter.post(`/api/dossiers/${dossier.id}/documents`, { role: 'OTHER', docType: 'CONG_VAN', symbol: '/SCT-KT', subject: 'Tài liệu kèm theo', medium: 'PAPER', ...pdf('kem-theo.pdf', 'mat') }),
    );

    // then it is refused too, and nothing was stored
    expectRule(added, 422, 'ERR_CONFIDENTIAL_ELECTRONIC', 'R-19');
    const docs = (await env.ds.query('SELECT count(*)::int AS n FROM document WHERE dossier_id = $1', [dossier.id])) as { n: number }[];
    expect(docs[0]!.n).toBe(2);
  });
});
