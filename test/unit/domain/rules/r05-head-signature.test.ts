import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkForwardGates, checkHeadSignature, checkSignature, checkSignatureRecorded } from '../../../../domain/rules/index.ts';
import { ACTING_HEAD_ID, HEAD_ID, signatureInput, submissionDoc, validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;
const codes = (vs: { code: string }[]) => vs.map((v) => v.code);

describe('R-05 head signature', () => {
  it('R-05 should accept the head of the lead agency with both digital signatures', () => {
    expect(checkHeadSignature(signatureInput())).toEqual([]);
  });

  it('R-05 should accept an acting head as the head', () => {
    // given the acting head (Q. Giám đốc), who is not the agency's recorded head
    const input = signatureInput({ signer: { userId: ACTING_HEAD_ID, role: 'ACTING_HEAD', agencyCode: 'SCT' } });
    // then
    expect(checkSignature(input, config)).toEqual([]);
  });

  it('R-05 should reject a signer from another agency', () => {
    const input = signatureInput({ signer: { userId: 'u-stc-head', role: 'HEAD', agencyCode: 'STC' } });
    const [v] = checkHeadSignature(input);
    expect(v?.code).toBe('ERR_SIGNATURE_INVALID');
    expect(v?.details?.reasons).toContain('SIGNER_NOT_IN_LEAD_AGENCY');
    expect(v?.message).toBe('Văn bản trình phải được Thủ trưởng cơ quan chủ trì ký và đóng dấu.');
  });

  it('R-05 should reject a specialist signing', () => {
    const input = signatureInput({ signer: { userId: 'u-sct-cv', role: 'SPECIALIST', agencyCode: 'SCT' } });
    expect(checkHeadSignature(input)[0]?.details?.reasons).toEqual(['ROLE_NOT_ALLOWED']);
  });

  it('R-05 should reject a user claiming HEAD who is not the agency’s head', () => {
    const input = signatureInput({ signer: { userId: 'u-other', role: 'HEAD', agencyCode: 'SCT' } });
    expect(checkHeadSignature(input)[0]?.details?.reasons).toEqual(['NOT_THE_HEAD']);
  });

  it('R-05 should reject an invalid personal digital signature', () => {
    expect(codes(checkHeadSignature(signatureInput({ personalSignatureValid: false })))).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('R-05 should require the organisation’s digital signature on an electronic submission', () => {
    // given stamped but without the organisation's digital signature
    const input = signatureInput({ orgSignatureValid: false, stamped: true });
    expect(codes(checkHeadSignature(input))).toEqual(['ERR_STAMP_MISSING']);
  });

  it('R-05 should require the stamp on a paper submission', () => {
    // given a paper tờ trình, organisation-signed but not stamped
    const dossier = validDossier({ channel: 'PAPER' });
    dossier.documents[0] = submissionDoc({ medium: 'PAPER', hasBody: false });
    const unstamped = signatureInput({ dossier, stamped: false, orgSignatureValid: true });
    const stamped = signatureInput({ dossier, stamped: true, orgSignatureValid: false });
    // then
    expect(codes(checkHeadSignature(unstamped))).toEqual(['ERR_STAMP_MISSING']);
    expect(checkHeadSignature(stamped)).toEqual([]);
  });

  it('R-05 should block forwarding when no signature was recorded', () => {
    const d = validDossier({ signature: undefined });
    expect(checkSignatureRecorded(d)?.details?.reasons).toEqual(['NOT_SIGNED']);
    expect(codes(checkForwardGates(d, config))).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('R-05 should block forwarding when the recorded signature failed verification', () => {
    const base = validDossier();
    const d = validDossier({
      signature: { ...base.signature!, verification: { ok: false, errorCodes: ['HASH_MISMATCH'] } },
    });
    const v = checkSignatureRecorded(d);
    expect(v?.code).toBe('ERR_SIGNATURE_INVALID');
    expect(v?.details?.errorCodes).toEqual(['HASH_MISMATCH']);
  });

  it('R-05 should block forwarding a deputy signature recorded on a matter R-07 reserves for the head', () => {
    const base = validDossier();
    const d = validDossier({
      assignedToUbndMember: true,
      signature: { ...base.signature!, signerUserId: 'u-sct-deputy', signerRole: 'DEPUTY', authorizationId: 'auth-1' },
    });
    expect(checkSignatureRecorded(d)?.details?.reasons).toEqual(['DEPUTY_NOT_ALLOWED']);
  });

  it('R-05 should accept a recorded signature of the head', () => {
    expect(checkSignatureRecorded(validDossier())).toBeNull();
    expect(validDossier().signature?.signerUserId).toBe(HEAD_ID);
  });
});
