import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkSignature, checkUbndMemberHead, checkUbndMemberHeadDocuments, validatePreSign } from '../../../../domain/rules/index.ts';
import { ACTING_HEAD_ID, deputySignatureInput, opinionRequestDoc, signatureInput, submissionDoc, validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;
const assigned = () =>
  validDossier({
    assignedToUbndMember: true,
    urgency: 'HOA_TOC',
    urgentReason: 'Giám đốc đi công tác nước ngoài',
    leadAgency: { ...validDossier().leadAgency, headIsUbndMember: true },
  });

describe('R-07 UBND member head signs in person', () => {
  it('R-07 should reject a deputy even when urgent and validly authorized', () => {
    // given a matter assigned to the head as a UBND member, and a deputy with a valid authorization
    const input = deputySignatureInput({ dossier: assigned() });
    // when
    const violations = checkSignature(input, config);
    // then only R-07 speaks: R-06 does not apply
    expect(violations.map((v) => v.code)).toEqual(['ERR_HEAD_SIGNATURE_REQUIRED']);
    expect(violations[0]?.rule).toBe('R-07');
    expect(violations[0]?.message).toBe(
      'Nội dung được giao cho Ủy viên UBND tỉnh là Thủ trưởng cơ quan chuyên môn: người đứng đầu phải trực tiếp ký, không ủy quyền cho cấp phó.',
    );
  });

  it('R-07 should accept the head in person', () => {
    expect(checkSignature(signatureInput({ dossier: assigned() }), config)).toEqual([]);
  });

  it('R-07 should accept an acting head', () => {
    const input = signatureInput({ dossier: assigned(), signer: { userId: ACTING_HEAD_ID, role: 'ACTING_HEAD', agencyCode: 'SCT' } });
    expect(checkSignature(input, config)).toEqual([]);
  });

  it('R-07 should let the server refuse a deputy claiming the signing task', () => {
    expect(checkUbndMemberHead({ assignedToUbndMember: true }, 'DEPUTY')?.code).toBe('ERR_HEAD_SIGNATURE_REQUIRED');
    expect(checkUbndMemberHead({ assignedToUbndMember: false }, 'DEPUTY')).toBeNull();
  });

  it('R-07 should refuse any implementing document of an assigned matter signed KT. for the head, not only the tờ trình', () => {
    // given an opinion-request letter the deputy signed "KT. GIÁM ĐỐC"
    const d = { ...assigned(), documents: [...assigned().documents.filter((x) => x.role !== 'OPINION_REQUEST'), opinionRequestDoc({ signingForm: 'KT' })] };
    // when
    const v = checkUbndMemberHeadDocuments(d);
    // then
    expect(v?.code).toBe('ERR_HEAD_SIGNATURE_REQUIRED');
    expect(v?.details?.documents).toEqual(['125/SCT-KT']);
    expect(validatePreSign(d, config).map((x) => x.code)).toContain('ERR_HEAD_SIGNATURE_REQUIRED');
    // the same letter is fine for a matter not assigned to a UBND member, and signed by the head in person
    expect(checkUbndMemberHeadDocuments({ ...d, assignedToUbndMember: false })).toBeNull();
    expect(checkUbndMemberHeadDocuments({ ...d, documents: [submissionDoc({ signingForm: 'NONE' }), opinionRequestDoc()] })).toBeNull();
  });
});
