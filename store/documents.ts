/** A dossier's documents and their versions: the only code that reads or writes `document` (and, with it, `document_body`). */
import type { DataSource, EntityManager } from 'typeorm';
import { formatNumberSymbol, parseSymbol } from '../domain/document-number.ts';
import { vietnamYear } from '../domain/calendar.ts';
import type { DocType, DocumentRole, Medium, SigningForm } from '../domain/model.ts';

/** Locks the signed version and gives it the next number of its issuer, year and type, once (Decree 30/2020). */
export async function registerDocumentNumber(m: EntityManager, documentId: string, agencyCode: string, now: Date): Promise<void> {
  const rows = (await m.query(
    `SELECT d.number, d.doc_type, d.symbol, a.symbol_abbr FROM document d JOIN agency a ON a.code = $2 WHERE d.id = $1 FOR UPDATE OF d`,
    [documentId, agencyCode],
  )) as { number: number | null; doc_type: DocType; symbol: string | null; symbol_abbr: string }[];
  const doc = rows[0];
  if (!doc) throw new Error(`document ${documentId} vanished`);
  if (doc.number !== null) {
    await m.query('UPDATE document SET locked = true WHERE id = $1', [documentId]);
    return;
  }
  const year = vietnamYear(now);
  // One register per issuer, year and type: serialise the few writers of the same register.
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`number:${agencyCode}:${year}:${doc.doc_type}`]);
  const next = (await m.query(
    'SELECT COALESCE(MAX(number), 0) + 1 AS n FROM document WHERE issuer_agency_code = $1 AND year = $2 AND doc_type = $3 AND number IS NOT NULL',
    [agencyCode, year, doc.doc_type],
  )) as { n: number }[];
  const number = Number(next[0]!.n);
  // A công văn keeps the drafting unit its drafter wrote (`/SCT-KT` → `15/SCT-KT`).
  const drafted = doc.symbol ? parseSymbol(doc.symbol) : null;
  const symbol = formatNumberSymbol({
    number,
    docType: doc.doc_type,
    issuerAbbr: doc.symbol_abbr,
    unitAbbr: drafted?.unit ?? (doc.doc_type === 'CONG_VAN' ? 'VP' : undefined),
  });
  await m.query('UPDATE document SET number = $2, year = $3, symbol = $4, issuer_agency_code = $5, issued_at = $6, locked = true WHERE id = $1', [
    documentId,
    number,
    year,
    symbol,
    agencyCode,
    now,
  ]);
}

/** The current tờ trình of a dossier (its latest version not superseded), or null. */
export async function currentSubmissionDocument(m: EntityManager, dossierId: string): Promise<{ id: string; medium: Medium; locked: boolean } | null> {
  const rows = (await m.query(
    `SELECT id, medium, locked FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC' AND superseded_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    [dossierId],
  )) as { id: string; medium: Medium; locked: boolean }[];
  return rows[0] ?? null;
}

/** Who signed a document, in which form, stamped or not; a locked (registered) version is never changed. */
export async function recordDocumentSigning(
  m: EntityManager,
  documentId: string,
  s: { stamped: boolean; signerUserId: string; signingForm: SigningForm; signerPosition: string },
): Promise<void> {
  await m.query('UPDATE document SET stamped = $2, signer_user_id = $3, signing_form = $4, signer_position = $5 WHERE id = $1 AND NOT locked', [
    documentId,
    s.stamped,
    s.signerUserId,
    s.signingForm,
    s.signerPosition,
  ]);
}

/**
 * The versions a new document of a versioned role replaces: the current ones, under a per-dossier
 * lock (held to the end of the caller's transaction) so two uploads cannot both become current,
 * with whether one is locked (signed and registered) and the next version number.
 */
export async function currentVersionsForReplacement(m: EntityManager, dossierId: string, role: DocumentRole): Promise<{ ids: string[]; anyLocked: boolean; nextVersion: number }> {
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`documents:${dossierId}`]);
  const rows = (await m.query(`SELECT id, locked, version, superseded_at IS NULL AS current FROM document WHERE dossier_id = $1 AND role = $2`, [dossierId, role])) as {
    id: string;
    locked: boolean;
    version: number;
    current: boolean;
  }[];
  const current = rows.filter((r) => r.current);
  return { ids: current.map((r) => r.id), anyLocked: current.some((r) => r.locked), nextVersion: Math.max(0, ...rows.map((r) => r.version)) + 1 };
}

export type NewDocument = {
  dossierId: string;
  role: DocumentRole;
  docType: DocType;
  symbol: string | null;
  subject: string;
  issuerAgencyCode: string | null;
  kinhGui: string[];
  noiNhan: string[];
  medium: Medium;
  stamped: boolean;
  initialed: boolean;
  hangingStamp: boolean;
  fileName: string | null;
  contentType: string | null;
  /** The file's bytes (kept in document_body), or null for metadata alone (a paper or secret document). */
  bytes: Buffer | null;
  sha256: string | null;
  createdBy: string;
  version: number;
  /** The current versions this one replaces: marked superseded by it. */
  supersedes: readonly string[];
  at: Date;
};

/** Stores a document (and its bytes), superseding the versions it replaces; its id. */
export async function insertDocument(m: EntityManager, d: NewDocument): Promise<string> {
  const rows = (await m.query(
    `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, kinh_gui, noi_nhan, medium, stamped, initialed, hanging_stamp,
       file_name, content_type, size_bytes, sha256, created_by, version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
    [
      d.dossierId,
      d.role,
      d.docType,
      d.symbol,
      d.subject,
      d.issuerAgencyCode,
      d.kinhGui,
      d.noiNhan,
      d.medium,
      d.stamped,
      d.initialed,
      d.hangingStamp,
      d.fileName,
      d.contentType,
      d.bytes?.length ?? null,
      d.sha256,
      d.createdBy,
      d.version,
    ],
  )) as { id: string }[];
  const id = rows[0]!.id;
  // Only the superseded_* columns change: the locked-document trigger allows it, the signed bytes and number stay.
  if (d.supersedes.length > 0) await m.query('UPDATE document SET superseded_at = $2, superseded_by = $3 WHERE id = ANY($1::uuid[])', [d.supersedes, d.at, id]);
  if (d.bytes) await m.query('INSERT INTO document_body (document_id, bytes) VALUES ($1, $2)', [id, d.bytes]);
  return id;
}

/** A document as the dossier detail lists it: every version, the superseded ones marked. */
export type DocumentListRow = {
  id: string;
  role: DocumentRole;
  doc_type: string;
  symbol: string | null;
  number: number | null;
  year: number | null;
  subject: string;
  issuer_agency_code: string | null;
  /** The recipients printed on the document: "Kính gửi" and "Nơi nhận". */
  kinh_gui: string[];
  noi_nhan: string[];
  medium: string;
  stamped: boolean;
  initialed: boolean;
  hanging_stamp: boolean;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  version: number;
  locked: boolean;
  created_at: Date;
  superseded_at: Date | null;
  superseded_by: string | null;
  current: boolean;
};

/** The statement listing every document of a dossier in the order added, current and superseded versions alike (the id as a parameter or a literal). */
export function documentsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT id, role, doc_type, symbol, number, year, subject, issuer_agency_code, kinh_gui, noi_nhan, medium, stamped, initialed, hanging_stamp, file_name, content_type,
       size_bytes, sha256, version, locked, created_at, superseded_at, superseded_by, superseded_at IS NULL AS current
     FROM document WHERE dossier_id = ${dossierIdLiteral} ORDER BY created_at, id`;
}

/** Every document of a dossier in the order added, current and superseded versions alike. */
export async function documentsOfDossier(m: EntityManager, dossierId: string): Promise<DocumentListRow[]> {
  return (await m.query(documentsOfDossierSql('$1'), [dossierId])) as DocumentListRow[];
}

/** A document's dossier and file name and type, or null. */
export async function documentFile(on: DataSource | EntityManager, id: string): Promise<{ dossierId: string; fileName: string | null; contentType: string | null } | null> {
  const rows = (await on.query('SELECT dossier_id, file_name, content_type FROM document WHERE id = $1', [id])) as { dossier_id: string; file_name: string | null; content_type: string | null }[];
  const r = rows[0];
  return r ? { dossierId: r.dossier_id, fileName: r.file_name, contentType: r.content_type } : null;
}

/** A document's file body, or null when it has none (a paper document). */
export async function documentBytes(on: DataSource | EntityManager, id: string): Promise<Buffer | null> {
  const rows = (await on.query('SELECT bytes FROM document_body WHERE document_id = $1', [id])) as { bytes: Buffer }[];
  return rows[0]?.bytes ?? null;
}
