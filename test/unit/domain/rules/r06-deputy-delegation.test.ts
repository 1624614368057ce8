import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkDeputyDelegation, checkSignature, isUrgent } from '../../../../domain/rules/index.ts';
import { authorization, deputySignatureInput, validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;
const reasonsOf = (input: Parameters<typeof checkDeputyDelegation>[0]) => checkDeputyDelegation(input)?.details?.reasons;

describe('R-06 deputy delegation', () => {
  it('R-06 should accept a deputy when urgent and authorized for the matter at signing time', () => {
    expect(checkSignature(deputySignatureInput(), config)).toEqual([]);
  });

  it('R-06 should accept an authorization that names the dossier instead of the matter', () => {
    const input = deputySignatureInput({ authorization: authorization({ matterCategories: [], dossierIds: ['HS-2026-000123'] }) });
    expect(checkDeputyDelegation(input)).toBeNull();
  });

  it('R-06 should reject a deputy when the dossier is not urgent', () => {
    // given an authorization but ordinary urgency
    const input = deputySignatureInput({ dossier: validDossier({ urgency: 'THUONG', urgentReason: 'Giám đốc đi công tác' }) });
    // when
    const v = checkDeputyDelegation(input);
    // then
    expect(v?.code).toBe('ERR_DEPUTY_NOT_AUTHORIZED');
    expect(v?.details?.reasons).toEqual(['NOT_URGENT']);
    expect(v?.message).toBe('Cấp phó chỉ được ký khi có phát sinh đột xuất và có văn bản ủy quyền còn hiệu lực của Thủ trưởng.');
  });

  it('R-06 should need a reason for the urgency, not only the level', () => {
    expect(isUrgent({ urgency: 'HOA_TOC', urgentReason: ' ' })).toBe(false);
    expect(isUrgent({ urgency: 'HOA_TOC', urgentReason: 'Bão số 3' })).toBe(true);
  });

  it('R-06 should reject a deputy without an authorization', () => {
    expect(reasonsOf(deputySignatureInput({ authorization: undefined }))).toEqual(['NO_AUTHORIZATION']);
  });

  it('R-06 should reject a deputy whose authorization has expired', () => {
    // given an authorization that ended the day before signing
    const input = deputySignatureInput({ authorization: authorization({ validTo: new Date('2026-03-09T23:59:59+07:00') }) });
    // then
    expect(reasonsOf(input)).toEqual(['EXPIRED']);
    expect(checkSignature(input, config).map((v) => v.code)).toEqual(['ERR_DEPUTY_NOT_AUTHORIZED']);
  });

  it('R-06 should reject a deputy whose authorization was revoked before signing', () => {
    const input = deputySignatureInput({ authorization: authorization({ revokedAt: new Date('2026-03-09T08:00:00+07:00') }) });
    expect(reasonsOf(input)).toEqual(['REVOKED']);
  });

  it('R-06 should reject an authorization not yet in force', () => {
    const input = deputySignatureInput({ authorization: authorization({ validFrom: new Date('2026-03-11T00:00:00+07:00') }) });
    expect(reasonsOf(input)).toEqual(['NOT_YET_VALID']);
  });

  it('R-06 should reject an authorization for another matter', () => {
    const input = deputySignatureInput({ authorization: authorization({ matterCategories: ['dat-dai'] }) });
    expect(reasonsOf(input)).toEqual(['OUT_OF_SCOPE']);
  });

  it('R-06 should reject an authorization given to another deputy or by someone other than the head', () => {
    const input = deputySignatureInput({ authorization: authorization({ granteeUserId: 'u-other-deputy', grantorUserId: 'u-sct-deputy-2' }) });
    expect(reasonsOf(input)).toEqual(['GRANTOR_NOT_HEAD', 'WRONG_GRANTEE']);
  });
});
