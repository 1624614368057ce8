import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkSubmissionDocType, validateIntake } from '../../../../domain/rules/index.ts';
import { draftDecision, submissionDoc, validDossier } from '../fixtures.ts';

describe('R-15 submission document type', () => {
  it('R-15 should accept a tờ trình', () => {
    expect(checkSubmissionDocType([submissionDoc({ symbol: '123/TTr-SCT', number: 123 })])).toEqual([]);
  });

  it('R-15 should accept a công văn đề trình, whose symbol has no type part', () => {
    // given a công văn with "/SCT-KT": issuer-unit, no "CV"
    const d = validDossier();
    d.documents[0] = submissionDoc({ docType: 'CONG_VAN', symbol: '/SCT-KT' });
    // then
    expect(validateIntake(d, DEFAULT_RULES_CONFIG)).toEqual([]);
  });

  it('R-15 should reject a báo cáo as the submission document', () => {
    // given
    const d = validDossier();
    d.documents[0] = submissionDoc({ docType: 'BAO_CAO', symbol: '/BC-SCT' });
    // when
    const violations = validateIntake(d, DEFAULT_RULES_CONFIG);
    // then
    expect(violations.map((v) => v.code)).toEqual(['ERR_SUBMISSION_DOC_TYPE']);
    expect(violations[0]?.rule).toBe('R-15');
    expect(violations[0]?.message).toBe('Văn bản trình phải là tờ trình hoặc công văn đề trình, không dùng thể thức báo cáo.');
  });

  it('R-15 should reject a tờ trình whose symbol is that of a báo cáo', () => {
    const [v] = checkSubmissionDocType([submissionDoc({ docType: 'TO_TRINH', symbol: '45/BC-SCT' })]);
    expect(v?.code).toBe('ERR_SUBMISSION_DOC_TYPE');
    expect(v?.details?.reasons).toEqual(['SYMBOL_TYPE']);
  });

  it('R-15 should allow a draft báo cáo of UBND as the draft decision', () => {
    // given UBND's own draft report (role DRAFT_DECISION, docType BAO_CAO)
    const d = validDossier();
    d.documents[1] = draftDecision({ docType: 'BAO_CAO', symbol: '/BC-UBND' });
    // then
    expect(checkSubmissionDocType(d.documents)).toEqual([]);
    expect(validateIntake(d, DEFAULT_RULES_CONFIG)).toEqual([]);
  });

  it('R-15 should reject other forms such as a kế hoạch as the submission document', () => {
    expect(checkSubmissionDocType([submissionDoc({ docType: 'KE_HOACH', symbol: '/KH-SCT' })])[0]?.details?.reasons).toEqual([
      'DOC_TYPE',
      'SYMBOL_TYPE',
    ]);
  });
});
