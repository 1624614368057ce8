import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateKeyPair,
  issueCertificate,
  sha256Hex,
  signDocument,
  verifyCertificate,
  verifyDocumentSignature,
  type Certificate,
  type CertificateSubject,
} from '../../../domain/signing.ts';

const at = (iso: string) => new Date(iso);
const bytes = (text: string) => new TextEncoder().encode(text);

const ca = generateKeyPair();
const foreignCa = generateKeyPair();
const headKeys = generateKeyPair();
const otherKeys = generateKeyPair();

const head: CertificateSubject = { kind: 'PERSON', id: 'u-stp-head', name: 'Nguyễn Văn A', agencyCode: 'STP' };

function certFor(
  subject: CertificateSubject,
  publicKeyPem: string,
  options: { serial?: string; caPrivateKeyPem?: string; validFrom?: string; validTo?: string } = {},
): Certificate {
  return issueCertificate({
    subject,
    publicKeyPem,
    issuer: { name: 'CA UBND tỉnh Long An', privateKeyPem: options.caPrivateKeyPem ?? ca.privateKeyPem },
    validFrom: at(options.validFrom ?? '2026-01-01T00:00:00+07:00'),
    validTo: at(options.validTo ?? '2027-01-01T00:00:00+07:00'),
    serial: options.serial ?? 'LA-0001',
  });
}

const headCert = certFor(head, headKeys.publicKeyPem);
const original = bytes('TỜ TRÌNH Về việc ban hành Quy chế … Kính gửi: UBND tỉnh Long An');

function signOriginal(cert = headCert, privateKeyPem = headKeys.privateKeyPem, signedAt = '2026-03-02T10:00:00+07:00') {
  return signDocument({
    sha256: sha256Hex(original),
    documentId: 'doc-1',
    signerCert: cert,
    privateKeyPem,
    signedAt: at(signedAt),
  });
}

describe('sha256Hex', () => {
  it('should give the standard digest when hashing "abc"', () => {
    expect(sha256Hex(bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('canonicalJson', () => {
  it('should sort keys at every level when serialising', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 'x', e: null }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"e":null,"f":"x"}]},"b":1}',
    );
  });

  it('should throw when a value cannot be represented', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/unsupported/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('issueCertificate and verifyCertificate', () => {
  it('should accept the certificate when checked against its CA within the validity period', () => {
    expect(verifyCertificate(headCert, ca.publicKeyPem, at('2026-06-01T00:00:00+07:00'))).toEqual({ ok: true });
    expect(headCert.validTo).toBe('2027-01-01T00:00:00.000+07:00');
  });

  it('should report CERT_EXPIRED when checked after validTo or before validFrom', () => {
    expect(verifyCertificate(headCert, ca.publicKeyPem, at('2027-01-02T00:00:00+07:00'))).toEqual({ ok: false, reason: 'CERT_EXPIRED' });
    expect(verifyCertificate(headCert, ca.publicKeyPem, at('2025-12-31T00:00:00+07:00'))).toEqual({ ok: false, reason: 'CERT_EXPIRED' });
  });

  it('should report CERT_INVALID when the certificate was issued by another CA', () => {
    const foreign = certFor(head, headKeys.publicKeyPem, { caPrivateKeyPem: foreignCa.privateKeyPem });
    expect(verifyCertificate(foreign, ca.publicKeyPem, at('2026-06-01T00:00:00+07:00'))).toEqual({ ok: false, reason: 'CERT_INVALID' });
  });

  it('should report CERT_INVALID when a field was edited after issuance', () => {
    // given a certificate whose subject was changed to another agency's head
    const edited: Certificate = { ...headCert, subject: { ...headCert.subject, agencyCode: 'SCT' } };
    // then
    expect(verifyCertificate(edited, ca.publicKeyPem, at('2026-06-01T00:00:00+07:00'))).toEqual({ ok: false, reason: 'CERT_INVALID' });
  });

  it('should refuse to issue when the validity period is empty', () => {
    expect(() =>
      certFor(head, headKeys.publicKeyPem, { validFrom: '2026-01-01T00:00:00+07:00', validTo: '2026-01-01T00:00:00+07:00' }),
    ).toThrow(/validTo must be after validFrom/);
  });
});

describe('signDocument and verifyDocumentSignature', () => {
  it('should verify when the document is unchanged since signing', () => {
    // given
    const record = signOriginal();
    // when
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(original), record, cert: headCert, caPublicKeyPem: ca.publicKeyPem });
    // then
    expect(result).toEqual({ ok: true });
    expect(record).toMatchObject({ certSerial: 'LA-0001', algorithm: 'Ed25519', documentId: 'doc-1', signedAt: '2026-03-02T10:00:00.000+07:00' });
  });

  it('should report HASH_MISMATCH when the document changed after signing', () => {
    // given a signed document
    const record = signOriginal();
    // when one word of the body is changed
    const tampered = bytes('TỜ TRÌNH Về việc bãi bỏ Quy chế … Kính gửi: UBND tỉnh Long An');
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(tampered), record, cert: headCert, caPublicKeyPem: ca.publicKeyPem });
    // then
    expect(result).toEqual({ ok: false, reason: 'HASH_MISMATCH' });
  });

  it('should report BAD_SIGNATURE when the record hash was rewritten to match a changed document', () => {
    const tamperedHash = sha256Hex(bytes('changed'));
    const record = { ...signOriginal(), sha256: tamperedHash };
    const result = verifyDocumentSignature({ bytesSha256: tamperedHash, record, cert: headCert, caPublicKeyPem: ca.publicKeyPem });
    expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('should report CERT_EXPIRED when the signature was made after the certificate expired', () => {
    // given a certificate that ended with 2025
    const oldCert = certFor(head, headKeys.publicKeyPem, {
      serial: 'LA-OLD',
      validFrom: '2024-01-01T00:00:00+07:00',
      validTo: '2025-12-31T23:59:59+07:00',
    });
    // when it signs in March 2026
    const record = signOriginal(oldCert);
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(original), record, cert: oldCert, caPublicKeyPem: ca.publicKeyPem });
    // then
    expect(result).toEqual({ ok: false, reason: 'CERT_EXPIRED' });
  });

  it('should check validity at the given instant when the verifier passes one', () => {
    const record = signOriginal();
    const result = verifyDocumentSignature({
      bytesSha256: sha256Hex(original),
      record,
      cert: headCert,
      caPublicKeyPem: ca.publicKeyPem,
      at: at('2027-02-01T00:00:00+07:00'),
    });
    expect(result).toEqual({ ok: false, reason: 'CERT_EXPIRED' });
  });

  it('should report CERT_INVALID when the signer holds a certificate from a foreign CA', () => {
    // given a key pair certified by another authority
    const foreignCert = certFor(head, otherKeys.publicKeyPem, { serial: 'X-1', caPrivateKeyPem: foreignCa.privateKeyPem });
    const record = signOriginal(foreignCert, otherKeys.privateKeyPem);
    // when verified against our provincial CA
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(original), record, cert: foreignCert, caPublicKeyPem: ca.publicKeyPem });
    // then
    expect(result).toEqual({ ok: false, reason: 'CERT_INVALID' });
  });

  it('should report CERT_SUBJECT_MISMATCH when the record names another certificate', () => {
    const otherCert = certFor({ ...head, id: 'u-stp-deputy', name: 'Trần Thị B' }, otherKeys.publicKeyPem, { serial: 'LA-0002' });
    const record = signOriginal();
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(original), record, cert: otherCert, caPublicKeyPem: ca.publicKeyPem });
    expect(result).toEqual({ ok: false, reason: 'CERT_SUBJECT_MISMATCH' });
  });

  it('should report BAD_SIGNATURE when a record signed by one key is relabelled with another certificate', () => {
    // given a deputy's valid certificate and a record signed by the head, relabelled to the deputy
    const deputyCert = certFor({ ...head, id: 'u-stp-deputy', name: 'Trần Thị B' }, otherKeys.publicKeyPem, { serial: 'LA-0002' });
    const record = { ...signOriginal(), certSerial: 'LA-0002' };
    // then
    const result = verifyDocumentSignature({ bytesSha256: sha256Hex(original), record, cert: deputyCert, caPublicKeyPem: ca.publicKeyPem });
    expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('should report CERT_SUBJECT_MISMATCH when an organisation signature is required but a person signed (R-09)', () => {
    const record = signOriginal();
    const result = verifyDocumentSignature({
      bytesSha256: sha256Hex(original),
      record,
      cert: headCert,
      caPublicKeyPem: ca.publicKeyPem,
      expectedSubject: { kind: 'ORGANISATION', agencyCode: 'STP' },
    });
    expect(result).toEqual({ ok: false, reason: 'CERT_SUBJECT_MISMATCH' });
  });

  it('should verify an organisation signature when the subject matches the lead agency', () => {
    const orgKeys = generateKeyPair();
    const orgCert = certFor({ kind: 'ORGANISATION', id: 'STP', name: 'Sở Tư pháp', agencyCode: 'STP' }, orgKeys.publicKeyPem, {
      serial: 'LA-ORG-STP',
    });
    const record = signOriginal(orgCert, orgKeys.privateKeyPem);
    const result = verifyDocumentSignature({
      bytesSha256: sha256Hex(original),
      record,
      cert: orgCert,
      caPublicKeyPem: ca.publicKeyPem,
      expectedSubject: { kind: 'ORGANISATION', agencyCode: 'STP' },
    });
    expect(result).toEqual({ ok: true });
  });

  it('should refuse to sign when the private key does not belong to the certificate', () => {
    expect(() => signOriginal(headCert, otherKeys.privateKeyPem)).toThrow(/does not match/);
  });
});
