/**
 * Uploads checked by what their bytes are (issue 15, finding 7), on both ways in: multipart (what
 * browsers send) and base64 in JSON. The office files are real ZIP containers built here.
 */
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { docx, odt, xlsx } from '../support/zip.ts';
import { ApiError, type ApiClient } from '../../scripts/lib/api-client.ts';

const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/auth/me").then(r => r.text()).then(alert)</script></body></html>');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

/** A real 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}
/** The start of a JFIF JPEG, as cameras and scanners write it. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

function form(file: { name: string; type: string; bytes: Uint8Array }): FormData {
  const f = new FormData();
  f.set('role', 'OTHER');
  f.set('docType', 'KHAC');
  f.set('subject', 'Tài liệu kèm theo');
  f.set('file', new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

const refused = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => e);

describe('uploads checked by content (finding 7)', () => {
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

  const stored = async (documentId: string) =>
    ((await env.ds.query('SELECT file_name, content_type FROM document WHERE id = $1', [documentId])) as { file_name: string; content_type: string }[])[0];
  const documentCount = async () => ((await env.ds.query('SELECT count(*)::int AS n FROM document WHERE dossier_id = $1', [dossierId])) as { n: number }[])[0]!.n;
  const multipart = (file: { name: string; type: string; bytes: Uint8Array }) => drafter.upload<{ documentId: string }>(`/api/dossiers/${dossierId}/files`, form(file));
  const json = (file: { name: string; type: string; bytes: Uint8Array }) =>
    drafter.post<{ documentId: string }>(`/api/dossiers/${dossierId}/documents`, {
      role: 'OTHER',
      docType: 'KHAC',
      subject: 'Tài liệu kèm theo',
      fileName: file.name,
      contentType: file.type,
      contentBase64: Buffer.from(file.bytes).toString('base64'),
    });

  it('should refuse with 415 naming the problem when HTML is declared as image/png or text/plain, by either way in, and store nothing', async () => {
    // given HTML with a script, declared as an image and as plain text
    const before = await documentCount();
    const attempts = [
      await refused(multipart({ name: 'anh.png', type: 'image/png', bytes: HTML })),
      await refused(multipart({ name: 'ghi-chu.txt', type: 'text/plain', bytes: HTML })),
      await refused(json({ name: 'anh.png', type: 'image/png', bytes: HTML })),
      await refused(json({ name: 'ghi-chu.txt', type: 'text/plain', bytes: HTML })),
    ];

    // then each is refused by its content, the message says what is accepted and what was declared
    for (const e of attempts) {
      expect(e).toBeInstanceOf(ApiError);
      expect({ status: e!.status, code: e!.code }).toEqual({ status: 415, code: 'FILE_CONTENT_NOT_ALLOWED' });
      expect(e!.body?.error?.message).toMatch(/PDF, DOCX, ODT, XLSX, PNG, JPEG/);
      expect(e!.body?.error?.message).toMatch(/image\/png|text\/plain/);
    }
    expect(await documentCount()).toBe(before);
  });

  it('should store the type the bytes are when real DOCX, XLSX, ODT, PDF, PNG and JPEG files come with a vague or wrong declared type', async () => {
    // given real files, declared the way browsers and scripts often do
    const files = [
      { name: 'to-trinh.docx', type: 'application/octet-stream', bytes: docx('Tờ trình'), expect: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      { name: 'so-lieu.xlsx', type: 'application/octet-stream', bytes: xlsx('Số liệu'), expect: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      { name: 'gop-y.odt', type: 'application/octet-stream', bytes: odt('Góp ý'), expect: 'application/vnd.oasis.opendocument.text' },
      { name: 'ban-do.png', type: 'image/jpeg', bytes: png(), expect: 'image/png' },
      { name: 'anh-chup.jpg', type: 'image/png', bytes: JPEG, expect: 'image/jpeg' },
    ];

    // when they arrive by multipart, and a DOCX and a PDF by JSON declared as something else
    for (const f of files) {
      const { documentId } = await multipart(f);
      // then the stored type is the detected one
      expect(await stored(documentId), f.name).toEqual({ file_name: f.name, content_type: f.expect });
    }
    const viaJson = await json({ name: 'phu-luc.docx', type: 'application/pdf', bytes: docx('Phụ lục') });
    expect(await stored(viaJson.documentId)).toEqual({ file_name: 'phu-luc.docx', content_type: files[0]!.expect });
    const pdfAsText = await json({ name: 'bao-cao.pdf', type: 'text/plain', bytes: PDF });
    expect(await stored(pdfAsText.documentId)).toEqual({ file_name: 'bao-cao.pdf', content_type: 'application/pdf' });

    // and the download says the detected type too
    const res = await drafter.request<Response>('GET', `/api/documents/${viaJson.documentId}/content`, undefined, { raw: true });
    expect(res.headers.get('content-type')).toBe(files[0]!.expect);
  });

  it('should keep a Vietnamese file name sent as UTF-8 in a multipart form, in NFC', async () => {
    // given a name with Vietnamese letters, one of them decomposed as macOS sends it
    const name = 'Tờ trình số 12 – bản cuối (Sở Công Thương).pdf';
    const decomposed = name.normalize('NFD');

    // when it is uploaded by multipart
    const { documentId } = await multipart({ name: decomposed, type: 'application/pdf', bytes: PDF });

    // then it is stored as written, not as latin1 mojibake
    expect((await stored(documentId))!.file_name).toBe(name.normalize('NFC'));
    const res = await drafter.request<Response>('GET', `/api/documents/${documentId}/content`, undefined, { raw: true });
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("''")[1]!)).toBe(name);
  });

  it('should remove right-to-left overrides, other direction and invisible characters from names, and refuse a name whose ending lies about the content', async () => {
    // given names that display as something else: "bao-cao‮fdp.exe" reads as "bao-caoexe.pdf"
    const spoof = await refused(multipart({ name: 'bao-cao\u202Efdp.exe', type: 'application/pdf', bytes: PDF }));
    const hidden = await json({ name: 'bien\u200Bban\u2066\u202D\u200F\uFEFF\u0085.pdf', type: 'application/pdf', bytes: PDF });
    const asHtml = await refused(json({ name: 'trang.html', type: 'application/pdf', bytes: PDF }));
    const noEnding = await json({ name: 'quyet-dinh', type: 'application/pdf', bytes: PDF });

    // then the override is gone, so the real ending shows and is refused; the others are cleaned or completed
    expect({ status: spoof!.status, code: spoof!.code, field: spoof!.body?.error?.field }).toEqual({ status: 415, code: 'FILE_NAME_MISMATCH', field: 'fileName' });
    expect(spoof!.body?.error?.message).toContain('.exe');
    expect((await stored(hidden.documentId))!.file_name).toBe('bienban.pdf');
    expect({ status: asHtml!.status, code: asHtml!.code }).toEqual({ status: 415, code: 'FILE_NAME_MISMATCH' });
    expect((await stored(noEnding.documentId))!.file_name).toBe('quyet-dinh.pdf');
    const names = (await env.ds.query('SELECT file_name FROM document WHERE dossier_id = $1', [dossierId])) as { file_name: string | null }[];
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be gone
    for (const n of names) expect(n.file_name ?? '').not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
  });
});
