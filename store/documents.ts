/** A dossier's documents and their versions: the only code that reads or writes `document` (and, with it, `document_body`). */
import type { DataSource, EntityManager } from 'typeorm';
import { formatNumberSymbol, parseSymbol } from '../domain/document-number.ts';
import { vietnamYear } from '../domain/calendar.ts';
import type { DocType } from '../domain/model.ts';

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
