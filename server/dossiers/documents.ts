/**
 * Storing documents: metadata always, bytes only for non-secret dossiers (R-19), with their SHA-256;
 * a file is accepted by what its bytes are (PDF, DOCX, ODT, XLSX, PNG, JPEG), under a cleaned name.
 */
import type { EntityManager } from 'typeorm';
import { fileTypeFromBuffer } from 'file-type';
import { sha256Hex } from '../../domain/signing.ts';
import { violation } from '../../domain/errors.ts';
import { DOCUMENT_ROLES, type DocumentRole, type DossierStatus, type SecrecyLevel } from '../../domain/model.ts';
import { UBND_AGENCY } from '../../domain/access.ts';
import { isUbndRecipient } from '../../domain/rules/r10-opinions-gate.ts';
import { confidentialContentFields, confidentialFormTextFields, type DossierContent } from '../../domain/rules/r19-confidential-paper.ts';
import type { RulesConfig } from '../../domain/rules/config.ts';
import type { SessionUser } from '../auth.ts';
import { ApiError, ruleError } from '../errors.ts';
import { MAX_DOCUMENT_BYTES, type DocumentInput } from '../schemas.ts';
import { signStoredDocument } from '../../store/signatures.ts';
import { currentVersionsForReplacement, insertDocument } from '../../store/documents.ts';
import { dossierStatus } from '../../store/dossiers.ts';

/** Decodes base64 content strictly; the schema already bounded its length. */
function decode(input: DocumentInput): Buffer | null {
  if (!input.contentBase64) return null;
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) throw new ApiError(400, 'EMPTY_FILE', 'Tệp đính kèm rỗng.', { field: 'contentBase64' });
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new ApiError(413, 'FILE_TOO_LARGE', 'Tệp vượt quá 10 MB.', { field: 'contentBase64' });
  return bytes;
}

/** The file types a document may have, as found in its bytes, with the name endings each may carry. */
export const ACCEPTED_FILE_TYPES: Readonly<Record<string, { label: string; extensions: readonly string[] }>> = Object.freeze({
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'DOCX', extensions: ['docx'] },
  'application/vnd.oasis.opendocument.text': { label: 'ODT', extensions: ['odt'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'XLSX', extensions: ['xlsx'] },
  'image/png': { label: 'PNG', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
});

const ACCEPTED_LABELS = Object.values(ACCEPTED_FILE_TYPES).map((t) => t.label).join(', ');

// Control characters (C0, DEL, C1), bidirectional controls that make "gpj.exe" read as "exe.jpg",
// zero-width characters and the byte-order mark; path separators are refused by the input schema.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

/** A file name as stored: NFC (names from macOS come decomposed), without invisible or directional characters, no path. */
export function cleanFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[\\/]/g, '_')
    .replace(/[. ]+$/u, '')
    .trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'van-ban' : cleaned;
}

/** The accepted type the bytes are (one of ACCEPTED_FILE_TYPES), or null with what they were found to be. */
export async function detectFileType(bytes: Uint8Array): Promise<{ accepted: string | null; found: { mime: string; ext: string } | null }> {
  const found = (await fileTypeFromBuffer(bytes)) ?? null;
  return { accepted: found && ACCEPTED_FILE_TYPES[found.mime] ? found.mime : null, found: found ? { mime: found.mime, ext: found.ext } : null };
}

/** The 415 for bytes outside the list, naming what was declared and what was found. */
export function fileContentNotAllowed(declaredType: string | undefined, found: { mime: string; ext: string } | null): ApiError {
  return new ApiError(
    415,
    'FILE_CONTENT_NOT_ALLOWED',
    `Nội dung tệp không phải ${ACCEPTED_LABELS}${found ? ` (nội dung là ${found.ext.toUpperCase()})` : ''}${declaredType ? `, dù được khai báo là ${declaredType}` : ''}; chỉ nhận các loại tệp này.`,
    { field: 'file', details: { declared: declaredType ?? null, detected: found?.mime ?? null, accepted: Object.keys(ACCEPTED_FILE_TYPES) } },
  );
}

/**
 * What a file is, by its bytes: one of ACCEPTED_FILE_TYPES, whatever type the sender declared; the
 * name's ending must agree (one is added when it has none), so a download opens as what it is.
 */
export async function checkFileContent(bytes: Uint8Array, declaredType: string | undefined, fileName: string): Promise<{ contentType: string; fileName: string }> {
  const { accepted: mime, found } = await detectFileType(bytes);
  const accepted = mime ? ACCEPTED_FILE_TYPES[mime] : undefined;
  if (!mime || !accepted) throw fileContentNotAllowed(declaredType, found);
  let name = cleanFileName(fileName);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!accepted.extensions.includes(ext)) {
    // A name with no ending, or one that is no file type at all (a date, a version), gets the right one.
    if (ext !== '' && !/^\d+$/.test(ext) && ext.length <= 5) {
      throw new ApiError(415, 'FILE_NAME_MISMATCH', `Tên tệp có đuôi .${ext} nhưng nội dung là ${accepted.label}; hãy đổi tên tệp thành .${accepted.extensions[0]}.`, {
        field: 'fileName',
        details: { extension: ext, detected: mime },
      });
    }
    name = `${name}.${accepted.extensions[0]}`;
  }
  return { contentType: mime, fileName: name };
}

/**
 * R-19: a secret dossier holds its metadata only; its practical basis, proposal and option
 * descriptions go on paper. A 422 names every content field sent, each in `details`.
 */
export function assertMetadataOnly(secrecyLevel: SecrecyLevel, content: DossierContent): void {
  refuseConfidentialContent(confidentialContentFields(secrecyLevel, content));
}

/**
 * R-19: a task form's free text about the matter (an opinion, a rationale, an appraisal's reasons,
 * a return's note…) is refused on a secret dossier: the paper carries it, the system its metadata.
 */
export function assertFormMetadataOnly(secrecyLevel: SecrecyLevel, formKey: string, data: Readonly<Record<string, unknown>>): void {
  refuseConfidentialContent(confidentialFormTextFields(secrecyLevel, formKey, data));
}

function refuseConfidentialContent(fields: readonly string[]): void {
  if (fields.length === 0) return;
  const vi = 'Hồ sơ mật chỉ lưu thông tin quản lý; nội dung này chỉ thể hiện trên văn bản giấy (Luật Bảo vệ bí mật nhà nước).';
  const en = 'A secret dossier keeps metadata only; this content belongs on paper (Law on Protection of State Secrets).';
  throw new ApiError(422, CONFIDENTIAL_CONTENT, `${vi} Trường: ${fields.join(', ')}.`, {
    rule: 'R-19',
    field: fields[0],
    details: fields.map((field) => ({ code: CONFIDENTIAL_CONTENT, rule: 'R-19', severity: 'error', field, message: vi, messageEn: en })),
  });
}
export const CONFIDENTIAL_CONTENT = 'ERR_CONFIDENTIAL_CONTENT_NOT_ALLOWED';

/** R-19: a secret dossier keeps no file bodies and sends nothing electronically. */
export function assertNoSecretBodies(secrecyLevel: SecrecyLevel, docs: readonly DocumentInput[]): void {
  if (secrecyLevel === 'NONE') return;
  const offending = docs.filter((d) => d.contentBase64 || d.medium === 'ELECTRONIC' || d.orgSign);
  if (offending.length > 0) {
    throw ruleError([violation('ERR_CONFIDENTIAL_ELECTRONIC', { reasons: ['file body or electronic medium on a secret dossier'] })]);
  }
}

/**
 * Statuses in which the lead agency may still add documents through the generic routes: while the
 * dossier is drafted, checked, consulted on or revised; never once it waits for signature, is
 * signed, submitted or closed (a new round starts at REVISION_REQUIRED after a return).
 */
export const DOCUMENT_UPLOAD_STATUSES: readonly DossierStatus[] = [
  'DRAFT',
  'VALIDATING',
  'REVISION_REQUIRED',
  'CONSULTING',
  'CHOOSING_OPTION',
  'REVISING_AFTER_APPRAISAL',
  'DRAFTING_SUBMISSION',
];

/** Refuses (409) a document added through the generic routes while the dossier is not open for changes. */
export function assertAcceptsDocuments(d: { status: string }): void {
  if ((DOCUMENT_UPLOAD_STATUSES as readonly string[]).includes(d.status)) return;
  throw new ApiError(
    409,
    'DOSSIER_LOCKED_FOR_CHANGES',
    'Hồ sơ đang chờ ký, đã ký, đã trình hoặc đã kết thúc nên không bổ sung, thay thế văn bản được; chỉ bổ sung khi hồ sơ đang soạn thảo, lấy ý kiến, hoàn thiện hoặc bị trả lại.',
    { details: { status: d.status } },
  );
}

/** Which documents a way in may add, and who is recorded as their issuer. */
export type DocumentDoor = Readonly<{
  allowedRoles: readonly DocumentRole[];
  /** true: the issuer is the actor's agency (a draft decision may name UBND tỉnh); false: as given, else the actor's agency. */
  issuerIsActor: boolean;
}>;

/**
 * The generic upload routes (and dossier creation): only the lead agency's own documents, issued
 * by itself. Opinion documents and appraisal reports come through their task forms only.
 */
export const LEAD_AGENCY_DOOR: DocumentDoor = Object.freeze({
  allowedRoles: Object.freeze(['SUBMISSION_DOC', 'DRAFT_DECISION', 'OPINION_REQUEST', 'RECEIPT_EXPLANATION', 'OTHER'] as const),
  issuerIsActor: true,
});

/** Task forms, whose handler sets the role and the issuer itself (give-opinion, appraise…). */
export const TASK_FORM_DOOR: DocumentDoor = Object.freeze({ allowedRoles: DOCUMENT_ROLES, issuerIsActor: false });

/** Roles kept in one current version per dossier: a new one supersedes the earlier. */
const VERSIONED_ROLES: readonly DocumentRole[] = ['SUBMISSION_DOC'];

function issuerOf(d: DocumentInput, actor: SessionUser, door: DocumentDoor): string {
  if (!door.issuerIsActor || !d.issuerAgencyCode || d.issuerAgencyCode === actor.agencyCode) return d.issuerAgencyCode ?? actor.agencyCode;
  if (d.role === 'DRAFT_DECISION' && d.issuerAgencyCode === UBND_AGENCY) return UBND_AGENCY;
  throw new ApiError(422, 'ISSUER_NOT_ALLOWED', `Văn bản chỉ được ghi cơ quan ban hành là cơ quan của bạn (${actor.agencyCode}); dự thảo văn bản có thể ghi UBND tỉnh.`, {
    field: 'issuerAgencyCode',
  });
}

/**
 * R-10: an opinion-request letter added to a dossier names no UBND tỉnh, its Chairman or its Office,
 * not even in nơi nhận (creation checks the same through the intake rules).
 */
export function assertNoUbndWhileConsulting(docs: readonly DocumentInput[], rules: RulesConfig): void {
  const violations = docs.flatMap((d) => {
    if (d.role !== 'OPINION_REQUEST') return [];
    const recipients = [...d.kinhGui, ...d.noiNhan].filter((r) => isUbndRecipient(r, rules));
    return recipients.length > 0 ? [violation('ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING', { symbol: d.symbol ?? null, recipients })] : [];
  });
  if (violations.length > 0) throw ruleError(violations);
}

function assertRoles(docs: readonly DocumentInput[], door: DocumentDoor): void {
  for (const d of docs) {
    if (!door.allowedRoles.includes(d.role)) {
      throw new ApiError(422, 'DOCUMENT_ROLE_NOT_ALLOWED', `Không thêm được văn bản loại ${d.role} ở đây: văn bản tham gia ý kiến, báo cáo thẩm định… chỉ nộp qua bước xử lý của cơ quan đó.`, {
        field: 'role',
        details: { allowedRoles: door.allowedRoles },
      });
    }
  }
  if (docs.filter((d) => d.role === 'SUBMISSION_DOC').length > 1) {
    throw new ApiError(422, 'ONE_SUBMISSION_DOC', 'Mỗi lần chỉ thêm được một văn bản trình (R-17).', { rule: 'R-17', field: 'documents' });
  }
}

/**
 * The current versions a new document of a versioned role replaces, under a per-dossier lock so
 * two uploads cannot both become current. A signed (locked) version is replaced only in a new
 * round, once the dossier came back for revision or redrafting; never silently before.
 */
async function versionsToSupersede(m: EntityManager, dossierId: string, role: DocumentRole): Promise<{ ids: string[]; version: number }> {
  if (!VERSIONED_ROLES.includes(role)) return { ids: [], version: 1 };
  const current = await currentVersionsForReplacement(m, dossierId, role);
  if (current.anyLocked) {
    const status = await dossierStatus(m, dossierId);
    // Back for revision, or for redrafting the tờ trình after an Office format return (R-30).
    if (status !== 'REVISION_REQUIRED' && status !== 'DRAFTING_SUBMISSION') {
      throw new ApiError(409, 'DOCUMENT_LOCKED', 'Văn bản trình đã được ký và đăng ký số; chỉ thay thế được khi hồ sơ bị trả lại để hoàn thiện (vòng mới).', {
        field: 'role',
        details: { status },
      });
    }
  }
  return { ids: current.ids, version: current.nextVersion };
}

/**
 * Stores documents for a dossier: checks the door's roles and issuer, R-19, and supersedes the
 * current submission document with a new one (versions by role).
 */
export async function saveDocuments(
  m: EntityManager,
  dossier: { id: string; leadAgencyCode: string; secrecyLevel: SecrecyLevel },
  actor: SessionUser,
  docs: readonly DocumentInput[],
  now: Date,
  door: DocumentDoor = TASK_FORM_DOOR,
): Promise<string[]> {
  assertNoSecretBodies(dossier.secrecyLevel, docs);
  assertRoles(docs, door);
  const ids: string[] = [];
  for (const d of docs) {
    const bytes = decode(d);
    // The stored type and name are what the bytes are, not what the sender said.
    const file = bytes ? await checkFileContent(bytes, d.contentType, d.fileName ?? 'van-ban') : null;
    const issuer = issuerOf(d, actor, door);
    const previous = await versionsToSupersede(m, dossier.id, d.role);
    const id = await insertDocument(m, {
      dossierId: dossier.id,
      role: d.role,
      docType: d.docType,
      symbol: d.symbol ?? null,
      subject: d.subject,
      issuerAgencyCode: issuer,
      kinhGui: d.kinhGui,
      noiNhan: d.noiNhan,
      medium: d.medium,
      stamped: d.stamped,
      initialed: d.initialed,
      hangingStamp: d.hangingStamp,
      fileName: file?.fileName ?? (d.fileName ? cleanFileName(d.fileName) : null),
      contentType: file?.contentType ?? d.contentType ?? null,
      bytes,
      sha256: bytes ? sha256Hex(bytes) : null,
      createdBy: actor.id,
      version: previous.version,
      supersedes: previous.ids,
      at: now,
    });
    ids.push(id);
    if (d.orgSign) {
      if (!bytes) throw new ApiError(422, 'NOTHING_TO_SIGN', 'Chỉ ký số được văn bản điện tử có tệp đính kèm.', { field: 'orgSign' });
      // R-09: the submitting agency signs the draft as an organisation, whoever will issue it.
      await signStoredDocument(m, { documentId: id, kind: 'ORGANISATION', subjectId: actor.agencyCode, signedAt: now });
    }
  }
  return ids;
}
