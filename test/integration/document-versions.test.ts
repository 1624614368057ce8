/**
 * Versions of the submission document and who may add what through the generic upload
 * routes: a corrected tờ trình supersedes the returned one and is the one signed and registered;
 * nothing is added once the dossier waits for signature or later; no forged opinion or appraisal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { expectRule, refusal } from '../support/engine.ts';
import type { ApiClient, ApiError } from '../../scripts/lib/api-client.ts';
import { documentsOfDossier } from '../../store/documents.ts';

type Created = { dossier: { id: string } };
type DocRow = { id: string; number: number | null; symbol: string | null; locked: boolean; version: number; superseded_at: Date | null; superseded_by: string | null };

function fileForm(fields: Record<string, string>, name = 'tai-lieu.pdf'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  f.set('file', new Blob([new TextEncoder().encode(`%PDF-1.4\n% ${name}\n`)], { type: 'application/pdf' }), name);
  return f;
}

describe('documents: versions of the submission document and the lead agency’s own uploads', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  const submissionDocs = async (dossierId: string) =>
    (await env.ds.query(
      `SELECT id, number, symbol, locked, version, superseded_at, superseded_by FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC' ORDER BY created_at`,
      [dossierId],
    )) as DocRow[];
  const uploadRefusals = async (dossierId: string) => [
    await refusal(drafter.post(`/api/dossiers/${dossierId}/documents`, submissionDocument({ subject: 'Tờ trình sửa sau khi ký' }))),
    await refusal(drafter.upload(`/api/dossiers/${dossierId}/files`, fileForm({ role: 'OTHER', docType: 'KHAC', subject: 'Phụ lục' }))),
  ];

  it('R-17 should let the drafter replace a returned tờ trình, sign and register the new one, and refuse uploads once it waits for signature or later', async () => {
    // given a dossier consulting STC, signed (its tờ trình registered and locked) and returned by the Office
    const stc = await env.as('stc.chuyenvien');
    const head = await env.as('sct.giamdoc');
    const office = await env.as('vp.chuyenvien');
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'), stc);
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    // (a content return naming STC: the revision re-consults it, R-30)
    await doTask(office, dossier.id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_LEGAL_BASIS', reconsultAgencies: ['STC'], note: 'Thiếu căn cứ pháp lý.' });
    await waitForTask(drafter, dossier.id, 'Task_Revise');
    const [original] = await submissionDocs(dossier.id);
    expect(original).toMatchObject({ locked: true, superseded_at: null });
    expect(original!.number).not.toBeNull();

    // when the drafter uploads a corrected tờ trình in the new round and resubmits
    const { documentId } = await drafter.post<{ documentId: string }>(
      `/api/dossiers/${dossier.id}/documents`,
      submissionDocument({ subject: 'Về việc phê duyệt Kế hoạch xúc tiến thương mại năm 2026 (sửa trích yếu)', ...pdf('to-trinh-v2.pdf', 'To trinh v2') }),
    );
    await doTask(drafter, dossier.id, 'Task_Revise', { outcome: 'RESUBMIT', note: 'Đã sửa trích yếu.' });

    // then it supersedes the signed one, whose number, symbol and lock stay untouched
    const [old, current] = await submissionDocs(dossier.id);
    expect(current).toMatchObject({ id: documentId, version: 2, superseded_at: null, locked: false, number: null });
    expect(old).toMatchObject({ id: original!.id, number: original!.number, symbol: original!.symbol, locked: true, superseded_by: documentId });
    expect(old!.superseded_at).not.toBeNull();
    // and the dossier detail's query lists both versions, the old one marked
    const listed = await documentsOfDossier(env.ds.manager, dossier.id);
    expect(listed.filter((d) => d.role === 'SUBMISSION_DOC').map((d) => [d.id, d.current])).toEqual([
      [original!.id, false],
      [documentId, true],
    ]);

    // when validation (R-17, one current tờ trình) lets it through to STC again and the drafter finalises
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'), stc);
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });

    // then while it waits for signature nothing can be added
    await waitForTask(head, dossier.id, 'Task_Sign');
    await waitForStatus(drafter, dossier.id, 'AWAITING_SIGNATURE');
    for (const err of await uploadRefusals(dossier.id)) expectRule(err, 409, 'DOSSIER_LOCKED_FOR_CHANGES');

    // when the head signs
    await doTask(head, dossier.id, 'Task_Sign', { stamped: true });
    await waitForTask(office, dossier.id, 'Task_OfficeCheck');

    // then the new version is the one signed in round 2 and registered with the next number
    const signatures = (await env.ds.query('SELECT document_id, round FROM signature WHERE dossier_id = $1 ORDER BY signed_at', [dossier.id])) as { document_id: string; round: number }[];
    expect(signatures.at(-1)).toEqual({ document_id: documentId, round: 2 });
    const [, registered] = await submissionDocs(dossier.id);
    expect(registered).toMatchObject({ id: documentId, locked: true, number: original!.number! + 1 });
    expect(registered!.symbol).toMatch(new RegExp(`^0*${original!.number! + 1}/TTr-SCT$`));
    const d = await detail(drafter, dossier.id);
    expect(d.documents.find((doc) => doc.id === documentId)?.signatures.map((s) => [s.kind, s.ok]).sort()).toEqual([['ORGANISATION', true], ['PERSON', true]]);

    // and once submitted nothing can be added either, and nothing was stored by the refused uploads
    expect(d.dossier.status).toBe('SUBMITTED');
    for (const err of await uploadRefusals(dossier.id)) expectRule(err, 409, 'DOSSIER_LOCKED_FOR_CHANGES');
    expect(await submissionDocs(dossier.id)).toHaveLength(2);
  });

  it('should refuse, on the generic routes, another agency as issuer and roles that only task forms add, and a silent replacement of a signed tờ trình', async () => {
    // given a dossier waiting for STC's opinion
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await waitForTask(await env.as('stc.chuyenvien'), dossier.id, 'Task_GiveOpinion');
    const base = { docType: 'CONG_VAN', symbol: '/STC-QLG', subject: 'Góp ý dự thảo', medium: 'ELECTRONIC', ...pdf('y-kien.pdf', 'forged') };

    // when the lead specialist uploads an opinion "of STC", an appraisal report, or names STC as issuer
    const opinion = await refusal(drafter.post(`/api/dossiers/${dossier.id}/documents`, { ...base, role: 'OPINION_DOC', issuerAgencyCode: 'STC' }));
    const appraisal = await refusal(drafter.upload(`/api/dossiers/${dossier.id}/files`, fileForm({ role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', subject: 'Báo cáo thẩm định' })));
    const issuer = await refusal(drafter.post(`/api/dossiers/${dossier.id}/documents`, { ...base, role: 'OTHER', issuerAgencyCode: 'STC' }));
    const issuerMultipart = await refusal(
      drafter.upload(`/api/dossiers/${dossier.id}/files`, fileForm({ role: 'OTHER', docType: 'KHAC', subject: 'Phụ lục', issuerAgencyCode: 'STC' })),
    );

    // then each is refused with the field at fault
    const fieldOf = (e: ApiError) => e.body?.error?.field;
    for (const e of [opinion, appraisal]) {
      expectRule(e, 422, 'DOCUMENT_ROLE_NOT_ALLOWED');
      expect(fieldOf(e)).toBe('role');
    }
    for (const e of [issuer, issuerMultipart]) {
      expectRule(e, 422, 'ISSUER_NOT_ALLOWED');
      expect(fieldOf(e)).toBe('issuerAgencyCode');
    }

    // when it adds its own documents: a draft decision naming UBND tỉnh, an annex without issuer
    await drafter.post(`/api/dossiers/${dossier.id}/documents`, { role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: 'Dự thảo sửa', issuerAgencyCode: 'UBNDTINH', medium: 'PAPER', initialed: true });
    await drafter.upload(`/api/dossiers/${dossier.id}/files`, fileForm({ role: 'OTHER', docType: 'KHAC', subject: 'Phụ lục' }));

    // then they are stored with those issuers, and none of the refused ones was
    const rows = (await env.ds.query('SELECT role, issuer_agency_code FROM document WHERE dossier_id = $1 ORDER BY created_at', [dossier.id])) as { role: string; issuer_agency_code: string }[];
    expect(rows.map((r) => `${r.role}:${r.issuer_agency_code}`)).toEqual(['SUBMISSION_DOC:SCT', 'DRAFT_DECISION:SCT', 'DRAFT_DECISION:UBNDTINH', 'OTHER:SCT']);

    // when its tờ trình is signed and locked (as the head-signature step leaves it) and a new one is uploaded outside a returned round
    await env.ds.query(`UPDATE document SET locked = true WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC'`, [dossier.id]);
    const replaced = await refusal(drafter.post(`/api/dossiers/${dossier.id}/documents`, submissionDocument({ subject: 'Tờ trình thay thế' })));

    // then it is refused and the signed one stays current
    expectRule(replaced, 409, 'DOCUMENT_LOCKED');
    expect((await submissionDocs(dossier.id)).map((r) => r.superseded_at)).toEqual([null]);
  });
});
