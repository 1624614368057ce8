import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkDocumentFormat, symbolProblems, validateIntake } from '../../../../domain/rules/index.ts';
import { draftDecision, submissionDoc, validDossier } from '../fixtures.ts';

describe('R-18 document format', () => {
  it('R-18 should accept Decree 30 symbols with and without a number', () => {
    expect(symbolProblems(submissionDoc({ symbol: '123/TTr-SCT', number: 123 }))).toEqual([]);
    expect(symbolProblems(submissionDoc({ symbol: 'TTr-SCT' }))).toEqual([]);
    expect(symbolProblems(submissionDoc({ docType: 'CONG_VAN', symbol: '/SCT-KT' }))).toEqual([]);
    expect(symbolProblems(draftDecision({ symbol: '/2026/QĐ-UBND' }))).toEqual([]);
  });

  it('R-18 should reject "CV" in the symbol of a công văn', () => {
    // given a công văn đề trình numbered the unofficial way
    const d = validDossier();
    d.documents[0] = submissionDoc({ docType: 'CONG_VAN', symbol: '123/CV-STP', number: 123 });
    // when
    const violations = validateIntake(d, DEFAULT_RULES_CONFIG);
    // then it is a format error, not a document type error
    expect(violations.map((v) => v.code)).toEqual(['ERR_DOCUMENT_FORMAT']);
    expect(violations[0]?.rule).toBe('R-18');
    expect(violations[0]?.message).toContain('"CV" không phải ký hiệu chính thức');
  });

  it('R-18 should reject a symbol that does not match the document type', () => {
    const v = checkDocumentFormat({ documents: [draftDecision({ docType: 'KE_HOACH', symbol: '/QĐ-UBND' })], leadAgency: validDossier().leadAgency });
    expect(v?.code).toBe('ERR_DOCUMENT_FORMAT');
    expect(v?.message).toContain('cần "KH"');
  });

  it('R-18 should reject a symbol that fits no pattern', () => {
    expect(symbolProblems(submissionDoc({ symbol: 'to trinh so 5' }))[0]).toContain('ký hiệu không đúng mẫu');
    expect(symbolProblems(submissionDoc({ symbol: '' }))).toEqual(['thiếu số, ký hiệu']);
  });

  it('R-18 should reject a number that differs from the registered number', () => {
    expect(symbolProblems(submissionDoc({ symbol: '124/TTr-SCT', number: 123 }))).toHaveLength(1);
  });

  it('R-18 should reject a submission issued under another agency’s abbreviation', () => {
    expect(symbolProblems(submissionDoc({ symbol: '/TTr-STP' }), { symbolAbbr: 'SCT' })[0]).toContain('"SCT"');
  });

  it('R-18 should not judge documents issued by other agencies', () => {
    const d = validDossier();
    d.documents[3] = { ...d.documents[3]!, symbol: '45/CV-STC' };
    expect(checkDocumentFormat(d)).toBeNull();
  });
});
