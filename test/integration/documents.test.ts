import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { ApiError, type ApiClient } from '../../scripts/lib/api-client.ts';

function form(fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set('file', new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

const refused = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => e);

describe('documents: upload and download', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  let dossierId: string;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
    drafter = await env.as('sct.chuyenvien');
    dossierId = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput())).dossier.id;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should store an uploaded file with its SHA-256 and give back the exact bytes', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.4\n% báo cáo đánh giá tác động\n');
    const { documentId } = await drafter.upload<{ documentId: string }>(
      `/api/dossiers/${dossierId}/files`,
      form({ role: 'OTHER', docType: 'BAO_CAO', subject: 'Báo cáo đánh giá tác động' }, { name: 'danh-gia.pdf', type: 'application/pdf', bytes }),
    );
    const rows = (await env.ds.query('SELECT sha256, size_bytes, file_name FROM document WHERE id = $1', [documentId])) as { sha256: string; size_bytes: number; file_name: string }[];
    expect(rows[0]).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size_bytes: bytes.length, file_name: 'danh-gia.pdf' });
    const res = await drafter.request<Response>('GET', `/api/documents/${documentId}/content`, undefined, { raw: true });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it('should refuse a path in the file name, a file type outside the list and a file over 10 MB', async () => {
    const pathTrick = await refused(drafter.upload(`/api/dossiers/${dossierId}/files`, form({ role: 'OTHER', docType: 'KHAC' }, { name: '../../etc/passwd', type: 'application/pdf', bytes: new Uint8Array([1]) })));
    expect(pathTrick).toMatchObject({ status: 400 });
    expect((pathTrick as ApiError).body?.error?.field).toBe('fileName');
    const exe = await refused(drafter.upload(`/api/dossiers/${dossierId}/files`, form({ role: 'OTHER', docType: 'KHAC' }, { name: 'x.exe', type: 'application/x-msdownload', bytes: new Uint8Array([77, 90]) })));
    expect(exe).toMatchObject({ status: 415 });
    const big = await refused(drafter.upload(`/api/dossiers/${dossierId}/files`, form({ role: 'OTHER', docType: 'KHAC' }, { name: 'big.pdf', type: 'application/pdf', bytes: new Uint8Array(10 * 1024 * 1024 + 1) })));
    expect(big).toMatchObject({ status: 413 });
    expect((big as ApiError).code).toBe('FILE_TOO_LARGE');
  });

  it('R-10 should refuse an added opinion-request letter that names UBND tỉnh among its recipients, by JSON and by upload, and store none', async () => {
    // given an opinion-request letter copied to UBND tỉnh in nơi nhận
    const letter = { role: 'OPINION_REQUEST', docType: 'CONG_VAN', symbol: '/SCT-VP', subject: 'Lấy ý kiến dự thảo', medium: 'ELECTRONIC' };
    const pdf = new TextEncoder().encode('%PDF-1.4\n% lay y kien\n');
    // when the drafter adds it as JSON and as a multipart upload
    const byJson = await refused(
      drafter.post(`/api/dossiers/${dossierId}/documents`, { ...letter, kinhGui: ['STC'], noiNhan: ['Như trên', 'UBND tỉnh (b/c)'], fileName: 'lay-y-kien.pdf', contentType: 'application/pdf', contentBase64: Buffer.from(pdf).toString('base64') }),
    );
    const byUpload = await refused(
      drafter.upload(`/api/dossiers/${dossierId}/files`, form({ ...letter, kinhGui: 'STC; UBNDTINH', noiNhan: 'Lưu: VT' }, { name: 'lay-y-kien.pdf', type: 'application/pdf', bytes: pdf })),
    );
    // then both are refused with R-10's code, and no such letter is stored
    for (const e of [byJson, byUpload]) expect({ status: e?.status, code: e?.code }).toEqual({ status: 422, code: 'ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING' });
    const stored = (await env.ds.query(`SELECT count(*)::int AS n FROM document WHERE dossier_id = $1 AND role = 'OPINION_REQUEST'`, [dossierId])) as { n: number }[];
    expect(stored[0]!.n).toBe(0);
    // and the same letter addressed to the consulted agency only is accepted
    const ok = await drafter.post<{ documentId: string }>(`/api/dossiers/${dossierId}/documents`, { ...letter, kinhGui: ['STC'], noiNhan: ['Như trên', 'Lưu: VT'], fileName: 'lay-y-kien.pdf', contentType: 'application/pdf', contentBase64: Buffer.from(pdf).toString('base64') });
    expect(ok.documentId).toBeTruthy();
  });

  it('R-19 should refuse any file body on a confidential dossier and never serve one', async () => {
    const { dossier } = await drafter.post<{ dossier: { id: string } }>(
      '/api/dossiers',
      validDossierInput({
        secrecyLevel: 'MAT',
        channel: 'PAPER',
        consultedAgencyCodes: [],
        documents: [
          { role: 'SUBMISSION_DOC', docType: 'TO_TRINH', symbol: '/TTr-SCT', subject: 'Tờ trình', medium: 'PAPER', stamped: true },
          { role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: 'Dự thảo', medium: 'PAPER', initialed: true },
        ],
      }),
    );
    const upload = await refused(
      drafter.upload(`/api/dossiers/${dossier.id}/files`, form({ role: 'OTHER', docType: 'KHAC', medium: 'PAPER' }, { name: 'mat.pdf', type: 'application/pdf', bytes: new Uint8Array([37, 80]) })),
    );
    expect(upload).toMatchObject({ status: 422 });
    expect((upload as ApiError).code).toBe('ERR_CONFIDENTIAL_ELECTRONIC');
    const bodies = (await env.ds.query('SELECT count(*)::int AS n FROM document_body b JOIN document d ON d.id = b.document_id WHERE d.dossier_id = $1', [dossier.id])) as { n: number }[];
    expect(bodies[0]!.n).toBe(0);
    const doc = (await env.ds.query('SELECT id FROM document WHERE dossier_id = $1 LIMIT 1', [dossier.id])) as { id: string }[];
    const head = await env.as('sct.giamdoc');
    const none = await refused(head.get(`/api/documents/${doc[0]!.id}/content`));
    expect(none).toMatchObject({ status: 404 });
    expect((none as ApiError).code).toBe('NO_FILE_BODY');
  });

  it('should not let another agency read a document, nor tell whether it exists', async () => {
    const doc = (await env.ds.query(`SELECT id FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC'`, [dossierId])) as { id: string }[];
    const outsider = await env.as('syt.chuyenvien');
    const denied = await refused(outsider.get(`/api/documents/${doc[0]!.id}/content`));
    expect(denied).toMatchObject({ status: 404 });
  });
});
