import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkDraftSignature, checkSignature, validatePreSign } from '../../../../domain/rules/index.ts';
import { draftDecision, signatureInput, validDossier } from '../fixtures.ts';

describe('R-09 draft signature', () => {
  it('R-09 should accept an electronic draft with the organisation’s digital signature', () => {
    expect(checkDraftSignature(draftDecision())).toBeNull();
  });

  it('R-09 should reject an electronic draft without the organisation’s digital signature', () => {
    // given an initialled electronic draft whose organisation signature is missing
    const v = checkDraftSignature(draftDecision({ orgSignatureValid: null, initialed: true }));
    // then
    expect(v?.code).toBe('ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE');
    expect(v?.message).toBe('Dự thảo văn bản điện tử phải có chữ ký số của tổ chức.');
  });

  it('R-09 should reject a paper draft with neither initials nor hanging stamp', () => {
    const v = checkDraftSignature(draftDecision({ medium: 'PAPER', orgSignatureValid: null }));
    expect(v?.code).toBe('ERR_DRAFT_NOT_INITIALED');
    expect(v?.message).toBe('Dự thảo phải có chữ ký tắt hoặc đóng dấu treo.');
  });

  it('R-09 should accept a paper draft that is initialled or hanging-stamped', () => {
    expect(checkDraftSignature(draftDecision({ medium: 'PAPER', initialed: true }))).toBeNull();
    expect(checkDraftSignature(draftDecision({ medium: 'PAPER', hangingStamp: true }))).toBeNull();
  });

  it('R-09 should check every draft before signing and at signature', () => {
    // given a second, unsigned draft
    const d = validDossier();
    d.documents.push(draftDecision({ id: 'doc-draft-2', docType: 'KE_HOACH', symbol: '/KH-UBND', orgSignatureValid: false }));
    // then
    expect(validatePreSign(d, DEFAULT_RULES_CONFIG).map((v) => v.code)).toEqual(['ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE']);
    expect(checkSignature(signatureInput({ dossier: d }), DEFAULT_RULES_CONFIG).map((v) => v.code)).toEqual([
      'ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE',
    ]);
  });
});
