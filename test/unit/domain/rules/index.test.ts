import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkForwardGates, checkSignature, validateIntake, validatePreSign } from '../../../../domain/rules/index.ts';
import { violation } from '../../../../domain/errors.ts';
import { normativeDossier, signatureInput, validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;

describe('aggregate checks on the valid fixture', () => {
  it('should find nothing at intake when the dossier is valid', () => {
    expect(validateIntake(validDossier(), config)).toEqual([]);
  });

  it('should find nothing before signing when the dossier is complete', () => {
    expect(validatePreSign(validDossier(), config)).toEqual([]);
    expect(validatePreSign(normativeDossier(), config)).toEqual([]);
  });

  it('should accept the head signing the valid dossier', () => {
    expect(checkSignature(signatureInput(), config)).toEqual([]);
  });

  it('should open every forward gate when the dossier is signed and complete', () => {
    expect(checkForwardGates(validDossier(), config)).toEqual([]);
    expect(checkForwardGates(normativeDossier(), config)).toEqual([]);
  });
});

describe('stage composition', () => {
  it('should report each broken rule once at intake when several rules are broken', () => {
    // given a báo cáo as submission document, no legal basis and a secret dossier sent electronically
    const d = validDossier({ legalBasis: [], secrecyLevel: 'MAT' });
    d.documents[0] = { ...d.documents[0]!, docType: 'BAO_CAO', symbol: '/BC-SCT' };
    // when
    const codes = validateIntake(d, config).map((v) => v.code);
    // then
    expect(codes).toEqual(expect.arrayContaining(['ERR_SUBMISSION_DOC_TYPE', 'ERR_MISSING_LEGAL_BASIS', 'ERR_CONFIDENTIAL_ELECTRONIC']));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('should not check opinion documents at intake when opinions are still to come', () => {
    // given a fresh dossier: requests pending, no opinions or opinion documents yet, no summary
    const d = validDossier({
      opinions: [],
      opinionSummary: [],
      opinionRequests: [],
      documents: validDossier().documents.filter((doc) => doc.role !== 'OPINION_DOC'),
      signature: undefined,
    });
    // then
    expect(validateIntake(d, config)).toEqual([]);
  });
});

describe('violation factory', () => {
  it('should fill {agencies} and {list} from details and keep the details', () => {
    // when
    const v = violation('ERR_DOSSIER_INCOMPLETE', { list: ['báo cáo thẩm định', 'dự thảo'] });
    // then
    expect(v).toEqual({
      rule: 'R-17',
      code: 'ERR_DOSSIER_INCOMPLETE',
      message: 'Hồ sơ trình thiếu thành phần: báo cáo thẩm định; dự thảo.',
      messageEn: 'The dossier is missing components: báo cáo thẩm định; dự thảo.',
      severity: 'error',
      details: { list: ['báo cáo thẩm định', 'dự thảo'] },
    });
  });

  it('should leave no raw placeholder when details are missing', () => {
    expect(violation('ERR_OPINIONS_PENDING').message).not.toMatch(/\{agencies\}/);
  });
});
