/**
 * Digital signatures over document hashes (R-05, R-09): Ed25519 keys, certificates in our own
 * JSON format signed by a provincial CA key, and signature records that detect a document changed
 * after signing. Pure computation with node:crypto, no disk or network I/O.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { toIsoLocal } from './calendar.ts';

export const SIGNATURE_ALGORITHM = 'Ed25519' as const;

export type CertificateSubject = {
  kind: 'PERSON' | 'ORGANISATION';
  /** User id for a person, agency code for an organisation. */
  id: string;
  name: string;
  agencyCode: string;
};

/** A certificate record; `signature` is the CA's signature over the canonical JSON of every other field. */
export type Certificate = {
  version: 1;
  serial: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  subject: CertificateSubject;
  publicKeyPem: string;
  issuer: { name: string };
  validFrom: string;
  validTo: string;
  signature: string;
};

/** A signature over one document version; `signature` covers canonical JSON of {documentId, sha256, certSerial, signedAt}. */
export type SignatureRecord = {
  certSerial: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  sha256: string;
  documentId: string;
  signedAt: string;
  signature: string;
};

export type SignatureFailure = 'HASH_MISMATCH' | 'BAD_SIGNATURE' | 'CERT_INVALID' | 'CERT_EXPIRED' | 'CERT_SUBJECT_MISMATCH';

export type VerificationResult = { ok: boolean; reason?: SignatureFailure };

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Deterministic JSON: object keys sorted, no whitespace. Rejects values JSON cannot represent
 * exactly (undefined, functions, non-finite numbers) so that signer and verifier agree byte for byte.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  throw new Error(`canonicalJson: unsupported ${typeof value}`);
}

/** Lower-case hex SHA-256 of a document's bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fresh Ed25519 key pair as PEM (SPKI public, PKCS#8 private). */
export function generateKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/**
 * Parsed keys by their PEM text. Parsing was the workers' largest single cost in a dossier run
 * (createPublicKey, 5 % of their CPU in a profile of 150 dossiers): every verification parsed the same CA and
 * certificate keys again. A PEM always parses to the same key, so the cache cannot go stale.
 */
const parsedKeys = new Map<string, KeyObject>();
const MAX_PARSED_KEYS = 1000;

function parsed(pem: string, parse: (pem: string) => KeyObject): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = parse(pem);
    if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.delete(parsedKeys.keys().next().value!);
    parsedKeys.set(pem, key);
  }
  return key;
}

function ed25519PublicKey(pem: string): KeyObject {
  const key = parsed(pem, createPublicKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 public key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

function ed25519PrivateKey(pem: string): KeyObject {
  const key = parsed(pem, createPrivateKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 private key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

function spkiPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

const publicOfPrivate = new Map<string, string>();

/** The SPKI PEM of a private key's public half, once per private key. */
function publicSpkiOf(privatePem: string, privateKey: KeyObject): string {
  let spki = publicOfPrivate.get(privatePem);
  if (spki === undefined) {
    spki = spkiPem(createPublicKey(privateKey));
    if (publicOfPrivate.size >= MAX_PARSED_KEYS) publicOfPrivate.delete(publicOfPrivate.keys().next().value!);
    publicOfPrivate.set(privatePem, spki);
  }
  return spki;
}

function assertDate(date: Date, field: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error(`${field} must be a valid Date`);
}

function assertText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} must be a non-empty string`);
}

function certificateBody(cert: Omit<Certificate, 'signature'>): Omit<Certificate, 'signature'> {
  const { version, serial, algorithm, subject, publicKeyPem, issuer, validFrom, validTo } = cert;
  return {
    version,
    serial,
    algorithm,
    subject: { kind: subject.kind, id: subject.id, name: subject.name, agencyCode: subject.agencyCode },
    publicKeyPem,
    issuer: { name: issuer.name },
    validFrom,
    validTo,
  };
}

/** Issues a certificate binding a subject to its public key, signed with the provincial CA's private key. */
export function issueCertificate(input: {
  subject: CertificateSubject;
  publicKeyPem: string;
  issuer: { name: string; privateKeyPem: string };
  validFrom: Date;
  validTo: Date;
  serial: string;
}): Certificate {
  const { subject, issuer, validFrom, validTo, serial } = input;
  if (subject.kind !== 'PERSON' && subject.kind !== 'ORGANISATION') throw new Error('subject.kind must be PERSON or ORGANISATION');
  assertText(subject.id, 'subject.id');
  assertText(subject.name, 'subject.name');
  assertText(subject.agencyCode, 'subject.agencyCode');
  assertText(issuer.name, 'issuer.name');
  assertText(serial, 'serial');
  assertDate(validFrom, 'validFrom');
  assertDate(validTo, 'validTo');
  if (validTo.getTime() <= validFrom.getTime()) throw new Error('validTo must be after validFrom');

  const body = certificateBody({
    version: 1,
    serial,
    algorithm: SIGNATURE_ALGORITHM,
    subject,
    // Re-exported so that the stored PEM is canonical whatever whitespace the caller passed.
    publicKeyPem: spkiPem(ed25519PublicKey(input.publicKeyPem)),
    issuer: { name: issuer.name },
    validFrom: toIsoLocal(validFrom),
    validTo: toIsoLocal(validTo),
  });
  const signature = sign(null, Buffer.from(canonicalJson(body), 'utf8'), ed25519PrivateKey(issuer.privateKeyPem));
  return { ...body, signature: signature.toString('base64') };
}

function isCertificateShape(cert: unknown): cert is Certificate {
  if (typeof cert !== 'object' || cert === null) return false;
  const c = cert as Record<string, unknown>;
  const subject = c['subject'] as Record<string, unknown> | null | undefined;
  const issuer = c['issuer'] as Record<string, unknown> | null | undefined;
  return (
    c['version'] === 1 &&
    c['algorithm'] === SIGNATURE_ALGORITHM &&
    typeof c['serial'] === 'string' &&
    typeof c['publicKeyPem'] === 'string' &&
    typeof c['validFrom'] === 'string' &&
    typeof c['validTo'] === 'string' &&
    typeof c['signature'] === 'string' &&
    typeof subject === 'object' &&
    subject !== null &&
    (subject['kind'] === 'PERSON' || subject['kind'] === 'ORGANISATION') &&
    typeof subject['id'] === 'string' &&
    typeof subject['name'] === 'string' &&
    typeof subject['agencyCode'] === 'string' &&
    typeof issuer === 'object' &&
    issuer !== null &&
    typeof issuer['name'] === 'string'
  );
}

function verifyEd25519(payload: string, signatureB64: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(payload, 'utf8'), publicKey, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Checks that a certificate was issued by the CA whose public key is given and is valid at `at`.
 * Outside its validity period (expired or not yet valid) gives CERT_EXPIRED.
 */
export function verifyCertificate(
  cert: Certificate,
  caPublicKeyPem: string,
  at: Date,
): { ok: boolean; reason?: 'CERT_INVALID' | 'CERT_EXPIRED' } {
  assertDate(at, 'at');
  if (!isCertificateShape(cert)) return { ok: false, reason: 'CERT_INVALID' };
  const validFrom = Date.parse(cert.validFrom);
  const validTo = Date.parse(cert.validTo);
  if (Number.isNaN(validFrom) || Number.isNaN(validTo)) return { ok: false, reason: 'CERT_INVALID' };
  try {
    ed25519PublicKey(cert.publicKeyPem);
  } catch {
    return { ok: false, reason: 'CERT_INVALID' };
  }
  if (!verifyEd25519(canonicalJson(certificateBody(cert)), cert.signature, ed25519PublicKey(caPublicKeyPem))) {
    return { ok: false, reason: 'CERT_INVALID' };
  }
  const time = at.getTime();
  if (time < validFrom || time > validTo) return { ok: false, reason: 'CERT_EXPIRED' };
  return { ok: true };
}

function signedPayload(record: Pick<SignatureRecord, 'documentId' | 'sha256' | 'certSerial' | 'signedAt'>): string {
  return canonicalJson({
    documentId: record.documentId,
    sha256: record.sha256,
    certSerial: record.certSerial,
    signedAt: record.signedAt,
  });
}

/**
 * Signs a document version identified by its SHA-256. Throws if the private key does not belong to
 * the certificate, so a record can never name a certificate that did not sign it.
 */
export function signDocument(input: {
  sha256: string;
  documentId: string;
  signerCert: Certificate;
  privateKeyPem: string;
  signedAt: Date;
}): SignatureRecord {
  const sha256 = input.sha256.toLowerCase();
  if (!SHA256_HEX.test(sha256)) throw new Error('sha256 must be 64 hex digits');
  assertText(input.documentId, 'documentId');
  assertDate(input.signedAt, 'signedAt');
  const privateKey = ed25519PrivateKey(input.privateKeyPem);
  if (publicSpkiOf(input.privateKeyPem, privateKey) !== spkiPem(ed25519PublicKey(input.signerCert.publicKeyPem))) {
    throw new Error('privateKeyPem does not match the public key of signerCert');
  }
  const unsigned = {
    certSerial: input.signerCert.serial,
    algorithm: SIGNATURE_ALGORITHM,
    sha256,
    documentId: input.documentId,
    signedAt: toIsoLocal(input.signedAt),
  };
  const signature = sign(null, Buffer.from(signedPayload(unsigned), 'utf8'), privateKey);
  return { ...unsigned, signature: signature.toString('base64') };
}

/**
 * Verifies a signature record against the document's current hash: the certificate must come
 * from the CA, be the one the record names (and match `expectedSubject` when given), carry a valid
 * signature, cover exactly these bytes, and be valid at `at` (default: the record's signedAt).
 */
export function verifyDocumentSignature(input: {
  bytesSha256: string;
  record: SignatureRecord;
  cert: Certificate;
  caPublicKeyPem: string;
  expectedSubject?: Partial<Pick<CertificateSubject, 'kind' | 'id' | 'agencyCode'>>;
  at?: Date;
}): VerificationResult {
  const { record, cert, expectedSubject } = input;
  const signedAt = new Date(typeof record.signedAt === 'string' ? record.signedAt : Number.NaN);
  const at = input.at ?? signedAt;

  // Signature and serial first; validity dates are checked after the signature proves signedAt genuine.
  const certCheck = verifyCertificate(cert, input.caPublicKeyPem, Number.isNaN(at.getTime()) ? new Date(0) : at);
  if (certCheck.reason === 'CERT_INVALID') return { ok: false, reason: 'CERT_INVALID' };

  if (record.certSerial !== cert.serial) return { ok: false, reason: 'CERT_SUBJECT_MISMATCH' };
  if (expectedSubject) {
    for (const key of ['kind', 'id', 'agencyCode'] as const) {
      const expected = expectedSubject[key];
      if (expected !== undefined && cert.subject[key] !== expected) return { ok: false, reason: 'CERT_SUBJECT_MISMATCH' };
    }
  }

  if (
    record.algorithm !== SIGNATURE_ALGORITHM ||
    typeof record.signature !== 'string' ||
    typeof record.sha256 !== 'string' ||
    typeof record.documentId !== 'string' ||
    Number.isNaN(signedAt.getTime()) ||
    !verifyEd25519(signedPayload(record), record.signature, ed25519PublicKey(cert.publicKeyPem))
  ) {
    return { ok: false, reason: 'BAD_SIGNATURE' };
  }

  if (record.sha256.toLowerCase() !== input.bytesSha256.toLowerCase()) return { ok: false, reason: 'HASH_MISMATCH' };
  if (Number.isNaN(at.getTime()) || certCheck.reason === 'CERT_EXPIRED') return { ok: false, reason: 'CERT_EXPIRED' };
  return { ok: true };
}
