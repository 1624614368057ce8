/** Storing documents: metadata always, bytes only for non-secret dossiers, with their SHA-256. */
import type { EntityManager } from 'typeorm';
import { sha256Hex } from '../../domain/signing.ts';
import { violation } from '../../domain/errors.ts';
import type { SecrecyLevel } from '../../domain/model.ts';
import type { SessionUser } from '../auth.ts';
import { ApiError, ruleError } from '../errors.ts';
import { MAX_DOCUMENT_BYTES, type DocumentInput } from '../schemas.ts';
import { signStoredDocument } from '../../store/signatures.ts';

/** Decodes base64 content strictly; the schema already bounded its length. */
function decode(input: DocumentInput): Buffer | null {
  if (!input.contentBase64) return null;
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) throw new ApiError(400, 'EMPTY_FILE', 'Tệp đính kèm rỗng.', { field: 'contentBase64' });
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new ApiError(413, 'FILE_TOO_LARGE', 'Tệp vượt quá 10 MB.', { field: 'contentBase64' });
  return bytes;
}

/** a secret dossier keeps no file bodies and sends nothing electronically. */
export function assertNoSecretBodies(secrecyLevel: SecrecyLevel, docs: readonly DocumentInput[]): void {
  if (secrecyLevel === 'NONE') return;
  const offending = docs.filter((d) => d.contentBase64 || d.medium === 'ELECTRONIC' || d.orgSign);
  if (offending.length > 0) {
    throw ruleError([violation('ERR_CONFIDENTIAL_ELECTRONIC', { reasons: ['file body or electronic medium on a secret dossier'] })]);
  }
}

export async function saveDocuments(
  m: EntityManager,
  dossier: { id: string; leadAgencyCode: string; secrecyLevel: SecrecyLevel },
  actor: SessionUser,
  docs: readonly DocumentInput[],
  now: Date,
): Promise<string[]> {
  assertNoSecretBodies(dossier.secrecyLevel, docs);
  const ids: string[] = [];
  for (const d of docs) {
    const bytes = decode(d);
    const issuer = d.issuerAgencyCode ?? actor.agencyCode;
    const rows = (await m.query(
      `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, kinh_gui, noi_nhan, medium, stamped, initialed, hanging_stamp,
         file_name, content_type, size_bytes, sha256, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id`,
      [
        dossier.id,
        d.role,
        d.docType,
        d.symbol ?? null,
        d.subject,
        issuer,
        d.kinhGui,
        d.noiNhan,
        d.medium,
        d.stamped,
        d.initialed,
        d.hangingStamp,
        d.fileName ?? null,
        d.contentType ?? null,
        bytes?.length ?? null,
        bytes ? sha256Hex(bytes) : null,
        actor.id,
      ],
    )) as { id: string }[];
    const id = rows[0]!.id;
    ids.push(id);
    if (bytes) await m.query('INSERT INTO document_body (document_id, bytes) VALUES ($1, $2)', [id, bytes]);
    if (d.orgSign) {
      if (!bytes) throw new ApiError(422, 'NOTHING_TO_SIGN', 'Chỉ ký số được văn bản điện tử có tệp đính kèm.', { field: 'orgSign' });
      // the submitting agency signs the draft as an organisation, whoever will issue it.
      await signStoredDocument(m, { documentId: id, kind: 'ORGANISATION', subjectId: actor.agencyCode, signedAt: now });
    }
  }
  return ids;
}
