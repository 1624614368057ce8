/**
 * Digital signatures as stored: certificates, keys held for the demo, and verification of a
 * document's signatures against the exact bytes we keep (a changed document is detected).
 */
import type { DataSource, EntityManager } from 'typeorm';
import {
  issueCertificate,
  generateKeyPair,
  sha256Hex,
  signDocument,
  verifyDocumentSignature,
  type Certificate,
  type SignatureRecord,
  type SignatureFailure,
} from '../domain/signing.ts';
import type { AgencyType, SignerRole, UserRole } from '../domain/model.ts';
import type { SigningCapacity } from '../domain/signature-block.ts';

export const CA_SUBJECT_KIND = 'CA';

export type SignatureCheck = { kind: 'PERSON' | 'ORGANISATION'; certSerial: string; subjectId: string; ok: boolean; reason?: SignatureFailure | 'NO_BODY' };

async function caPublicKey(on: DataSource | EntityManager): Promise<string> {
  const rows = (await on.query(`SELECT public_key_pem FROM certificate WHERE subject_kind = $1 AND revoked_at IS NULL LIMIT 1`, [CA_SUBJECT_KIND])) as {
    public_key_pem: string;
  }[];
  if (!rows[0]) throw new Error('no provincial CA certificate: run the seed');
  return rows[0].public_key_pem;
}

/** Verifies every signature on a document against its stored bytes, now. */
export async function verifyDocument(m: EntityManager, documentId: string, now: Date): Promise<SignatureCheck[]> {
  return (await verifyDocuments(m, [documentId], now)).get(documentId) ?? [];
}

export type SignatureRow = { document_id: string; kind: 'PERSON' | 'ORGANISATION'; record: SignatureRecord; cert: Certificate; subject_id: string; revoked_at: Date | null };

const SIGNATURE_ROWS = `SELECT s.document_id, s.kind, s.record, c.record AS cert, c.subject_id, c.revoked_at
  FROM document_signature s JOIN certificate c ON c.serial = s.cert_serial`;

/** The statement reading the signatures of a dossier's documents, or of their current versions (for a read batch: the id as a literal). */
export function dossierSignaturesSql(dossierIdLiteral: string, opts: { currentOnly?: boolean } = {}): string {
  const current = opts.currentOnly ? ' AND superseded_at IS NULL' : '';
  return `${SIGNATURE_ROWS} WHERE s.document_id IN (SELECT id FROM document WHERE dossier_id = ${dossierIdLiteral}${current}) ORDER BY s.signed_at`;
}

/** Verifies the signatures of several documents at once (a dossier's): one read of signatures, one of the signed bodies. */
export async function verifyDocuments(m: EntityManager, documentIds: string[], now: Date): Promise<Map<string, SignatureCheck[]>> {
  if (documentIds.length === 0) return new Map();
  const sigRows = (await m.query(`${SIGNATURE_ROWS} WHERE s.document_id = ANY($1) ORDER BY s.signed_at`, [documentIds])) as SignatureRow[];
  return checkSignatures(m, documentIds, sigRows, now);
}

/** Checks signature rows (in signing order) against the documents' stored bytes, now. */
export async function checkSignatures(m: DataSource | EntityManager, documentIds: string[], sigRows: SignatureRow[], now: Date): Promise<Map<string, SignatureCheck[]>> {
  const out = new Map<string, SignatureCheck[]>(documentIds.map((id) => [id, []]));
  // Most documents carry no signature: their bytes (up to 10 MB) are not read at all.
  if (sigRows.length === 0) return out;
  const signed = [...new Set(sigRows.map((s) => s.document_id))];
  // One after another: inside a transaction all queries share one connection.
  const bodyRows = (await m.query('SELECT document_id, bytes FROM document_body WHERE document_id = ANY($1)', [signed])) as { document_id: string; bytes: Buffer }[];
  const hashes = new Map(bodyRows.map((b) => [b.document_id, sha256Hex(b.bytes)]));
  const ca = await caPublicKey(m);
  for (const s of sigRows) {
    const base = { kind: s.kind, certSerial: s.record.certSerial, subjectId: s.subject_id };
    const hash = hashes.get(s.document_id);
    const check = ((): SignatureCheck => {
      if (hash === undefined) return { ...base, ok: false, reason: 'NO_BODY' };
      if (s.revoked_at) return { ...base, ok: false, reason: 'CERT_INVALID' };
      const result = verifyDocumentSignature({
        bytesSha256: hash,
        record: s.record,
        cert: s.cert,
        caPublicKeyPem: ca,
        expectedSubject: { kind: s.kind },
        at: s.record.signedAt ? new Date(s.record.signedAt) : now,
      });
      if (result.ok && s.record.documentId !== s.document_id) return { ...base, ok: false, reason: 'CERT_SUBJECT_MISMATCH' };
      return result.ok ? { ...base, ok: true } : { ...base, ok: false, reason: result.reason };
    })();
    out.get(s.document_id)?.push(check);
  }
  return out;
}

/** Signs a stored document with the certificate of a person or an organisation (demo key custody). */
export async function signStoredDocument(
  m: EntityManager,
  input: { documentId: string; kind: 'PERSON' | 'ORGANISATION'; subjectId: string; signedAt: Date },
): Promise<SignatureRecord> {
  const bodyRows = (await m.query('SELECT bytes FROM document_body WHERE document_id = $1', [input.documentId])) as { bytes: Buffer }[];
  const certRows = (await m.query(
      `SELECT c.serial, c.record, k.private_key_pem FROM certificate c JOIN signing_key k ON k.cert_serial = c.serial
       WHERE c.subject_kind = $1 AND c.subject_id = $2 AND c.revoked_at IS NULL AND c.valid_from <= $3 AND c.valid_to > $3
       ORDER BY c.valid_to DESC LIMIT 1`,
      [input.kind, input.subjectId, input.signedAt],
  )) as { serial: string; record: Certificate; private_key_pem: string }[];
  const body = bodyRows[0];
  if (!body) throw new Error('document has no stored body to sign');
  const cert = certRows[0];
  if (!cert) throw new Error(`no valid ${input.kind} certificate for ${input.subjectId}`);
  const sha256 = sha256Hex(body.bytes);
  const record = signDocument({ sha256, documentId: input.documentId, signerCert: cert.record, privateKeyPem: cert.private_key_pem, signedAt: input.signedAt });
  await m.query(
    `INSERT INTO document_signature (document_id, kind, cert_serial, sha256, signed_at, record) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (document_id, kind, cert_serial, sha256) DO NOTHING`,
    [input.documentId, input.kind, cert.serial, sha256, input.signedAt, JSON.stringify(record)],
  );
  return record;
}

/** Issues a key pair and certificate for a person or an organisation, signed by the provincial CA. */
export async function issueStoredCertificate(
  m: EntityManager,
  subject: { kind: 'PERSON' | 'ORGANISATION'; id: string; name: string; agencyCode: string },
  validity: { from: Date; to: Date },
): Promise<string> {
  const caRows = (await m.query(
    `SELECT c.record, k.private_key_pem FROM certificate c JOIN signing_key k ON k.cert_serial = c.serial WHERE c.subject_kind = $1 LIMIT 1`,
    [CA_SUBJECT_KIND],
  )) as { record: Certificate; private_key_pem: string }[];
  const ca = caRows[0];
  if (!ca) throw new Error('no provincial CA: create it first');
  const keys = generateKeyPair();
  const serial = `${subject.kind === 'PERSON' ? 'P' : 'O'}-${subject.id}-${validity.from.getTime().toString(36)}`;
  const cert = issueCertificate({
    subject,
    publicKeyPem: keys.publicKeyPem,
    issuer: { name: ca.record.subject.name, privateKeyPem: ca.private_key_pem },
    validFrom: validity.from,
    validTo: validity.to,
    serial,
  });
  await storeCertificate(m, cert, keys.privateKeyPem, subject.kind);
  return serial;
}

/** Creates the provincial CA (a self-signed certificate) if there is none. */
export async function ensureCa(m: EntityManager, validity: { from: Date; to: Date }): Promise<void> {
  const existing = (await m.query('SELECT 1 FROM certificate WHERE subject_kind = $1', [CA_SUBJECT_KIND])) as unknown[];
  if (existing.length > 0) return;
  const keys = generateKeyPair();
  const subject = { kind: 'ORGANISATION' as const, id: 'CA-LONGAN', name: 'CA chuyên dùng tỉnh Long An (demo)', agencyCode: 'UBNDTINH' };
  const cert = issueCertificate({
    subject,
    publicKeyPem: keys.publicKeyPem,
    issuer: { name: subject.name, privateKeyPem: keys.privateKeyPem },
    validFrom: validity.from,
    validTo: validity.to,
    serial: 'CA-LONGAN-1',
  });
  await storeCertificate(m, cert, keys.privateKeyPem, CA_SUBJECT_KIND);
}

async function storeCertificate(m: EntityManager, cert: Certificate, privateKeyPem: string, kind: string): Promise<void> {
  await m.query(
    `INSERT INTO certificate (serial, subject_kind, subject_id, agency_code, public_key_pem, valid_from, valid_to, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [cert.serial, kind, cert.subject.id, cert.subject.agencyCode, cert.publicKeyPem, new Date(cert.validFrom), new Date(cert.validTo), JSON.stringify(cert)],
  );
  await m.query('INSERT INTO signing_key (cert_serial, private_key_pem) VALUES ($1, $2)', [cert.serial, privateKeyPem]);
}

/** The signature a signer put on a dossier's submission document in a round, as recorded. */
export type StoredSignature = {
  id: string;
  documentId: string;
  signerUserId: string;
  signerRole: SignerRole;
  signerUserRole: UserRole;
  signerAgencyCode: string;
  authorizationId: string | null;
  stamped: boolean;
  signedAt: Date;
};

/** The latest signature of a dossier's round, with its signer's role and agency, or null. */
export async function latestSignature(m: EntityManager, dossierId: string, round: number): Promise<StoredSignature | null> {
  const rows = (await m.query(
    `SELECT s.id, s.document_id AS "documentId", s.signer_user_id AS "signerUserId", s.signer_role AS "signerRole", u.role AS "signerUserRole",
       u.agency_code AS "signerAgencyCode", s.authorization_id AS "authorizationId", s.stamped, s.signed_at AS "signedAt"
     FROM signature s JOIN app_user u ON u.id = s.signer_user_id
     WHERE s.dossier_id = $1 AND s.round = $2 ORDER BY s.signed_at DESC LIMIT 1`,
    [dossierId, round],
  )) as StoredSignature[];
  return rows[0] ?? null;
}

/** Records what the check of a signature found: each digital signature's validity when checked, and the rules' verdict. */
export async function recordSignatureVerification(
  m: EntityManager,
  id: string,
  v: { personalOk?: boolean; orgOk?: boolean; ok: boolean; errorCodes: readonly string[] },
): Promise<void> {
  await m.query(
    'UPDATE signature SET personal_sig_ok = COALESCE($2, personal_sig_ok), org_sig_ok = COALESCE($3, org_sig_ok), verification = $4 WHERE id = $1',
    [id, v.personalOk ?? null, v.orgOk ?? null, JSON.stringify({ ok: v.ok, errorCodes: v.errorCodes })],
  );
}

export type SignatureInput = {
  dossierId: string;
  documentId: string;
  round: number;
  signerUserId: string;
  signerRole: SignerRole;
  authorizationId: string | null;
  urgentReason: string | null;
  stamped: boolean;
  signedAt: Date;
  accountableUserId: string | null;
  /** One signature per task: a second completion of the same task corrects it. */
  taskId: string;
} & SigningCapacity;

/** Records a head's (or a delegated deputy's) signature of the tờ trình, for the head-signature worker to check. */
export async function recordSignature(m: EntityManager, s: SignatureInput): Promise<void> {
  await m.query(
    `INSERT INTO signature (dossier_id, document_id, round, signer_user_id, signer_role, signing_form, authorization_id, urgent_reason, stamped, signed_at,
       accountable_user_id, task_id, signer_position, signed_for_title, collective_name)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
     ON CONFLICT (task_id) DO UPDATE SET stamped = EXCLUDED.stamped, authorization_id = EXCLUDED.authorization_id, signed_at = EXCLUDED.signed_at,
       signing_form = EXCLUDED.signing_form, signer_position = EXCLUDED.signer_position, signed_for_title = EXCLUDED.signed_for_title, collective_name = EXCLUDED.collective_name`,
    [
      s.dossierId, s.documentId, s.round, s.signerUserId, s.signerRole, s.signingForm, s.authorizationId, s.urgentReason, s.stamped, s.signedAt,
      s.accountableUserId, s.taskId, s.signerPosition, s.signedForTitle, s.collectiveName,
    ],
  );
}

/** The statement reading a dossier's recorded signatures (the signing steps) as its detail shows them (for a read batch: the id as a literal). */
export function signingsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT s.round, s.document_id, s.signer_user_id, u.full_name AS signer_name, s.signer_role, s.signing_form, s.signer_position, s.signed_for_title, s.collective_name,
      s.authorization_id, s.stamped, s.personal_sig_ok, s.org_sig_ok, s.signed_at, s.accountable_user_id, s.verification
    FROM signature s JOIN app_user u ON u.id = s.signer_user_id WHERE s.dossier_id = ${dossierIdLiteral} ORDER BY s.signed_at`;
}

/** What decides the capacity a signer signs in (domain/signature-block.ts signingCapacity): their position now, their agency's head's and its type. */
export async function signingCapacityFacts(
  m: EntityManager,
  signerUserId: string,
  agencyCode: string,
): Promise<{ signerPosition: string; headPosition: string | null; agencyType: AgencyType } | null> {
  const rows = (await m.query(
    `SELECT u.position AS "signerPosition", h.position AS "headPosition", a.type AS "agencyType"
     FROM app_user u JOIN agency a ON a.code = $2 LEFT JOIN app_user h ON h.id = a.head_user_id WHERE u.id = $1`,
    [signerUserId, agencyCode],
  )) as { signerPosition: string; headPosition: string | null; agencyType: AgencyType }[];
  return rows[0] ?? null;
}
