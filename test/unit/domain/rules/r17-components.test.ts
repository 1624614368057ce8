import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkComponents, checkForwardGates, missingComponents, validatePreSign } from '../../../../domain/rules/index.ts';
import { doc, normativeDossier, submissionDoc, validDossier } from '../fixtures.ts';

const keys = (d: Parameters<typeof missingComponents>[0], stage: 'INTAKE' | 'COMPLETE') => missingComponents(d, stage).map((m) => m.key);

describe('R-17 components', () => {
  it('R-17 should require the submission document and a draft at intake', () => {
    // given a dossier with neither
    const d = validDossier({ documents: validDossier().documents.filter((x) => x.role !== 'SUBMISSION_DOC' && x.role !== 'DRAFT_DECISION') });
    // when
    const v = checkComponents(d, 'INTAKE');
    // then
    expect(v?.code).toBe('ERR_DOSSIER_INCOMPLETE');
    expect(v?.details?.missing).toEqual(['SUBMISSION_DOC', 'DRAFT_DECISION']);
    expect(v?.message).toBe(
      'Hồ sơ trình thiếu thành phần: văn bản trình (tờ trình hoặc công văn đề trình); dự thảo văn bản hành chính của UBND tỉnh, Chủ tịch UBND tỉnh.',
    );
  });

  it('R-17 should allow exactly one submission document', () => {
    const d = validDossier();
    d.documents.push(submissionDoc({ id: 'doc-second' }));
    expect(keys(d, 'INTAKE')).toEqual(['SUBMISSION_DOC:ONLY_ONE']);
  });

  it('R-17 should not ask for opinion documents or appraisal at intake', () => {
    const d = normativeDossier({ documents: validDossier().documents.filter((x) => x.role !== 'OPINION_DOC') });
    expect(checkComponents(d, 'INTAKE')).toBeNull();
  });

  it('R-17 should require an opinion document from each agency that replied', () => {
    // given STC replied but its document is not attached
    const d = validDossier({ documents: validDossier().documents.filter((x) => x.issuerAgencyCode !== 'STC') });
    // then
    expect(keys(d, 'COMPLETE')).toEqual(['OPINION_DOC:STC']);
    expect(validatePreSign(d, DEFAULT_RULES_CONFIG).map((v) => v.code)).toEqual(['ERR_DOSSIER_INCOMPLETE']);
    expect(checkForwardGates(d, DEFAULT_RULES_CONFIG).map((v) => v.code)).toEqual(['ERR_DOSSIER_INCOMPLETE']);
  });

  it('R-17 should not require an opinion document from an agency whose opinion was waived', () => {
    const d = validDossier({ opinions: validDossier().opinions.filter((o) => o.agencyCode !== 'STC') });
    d.documents = d.documents.filter((x) => x.issuerAgencyCode !== 'STC');
    expect(keys(d, 'COMPLETE')).toEqual([]);
  });

  it('R-17 should require the appraisal report when appraisal is required', () => {
    const d = normativeDossier({ documents: validDossier().documents });
    expect(keys(d, 'COMPLETE')).toEqual(['APPRAISAL_REPORT']);
  });

  it('R-17 should require the receipt and explanation report after ELIGIBLE_AFTER_REVISION', () => {
    // given
    const d = normativeDossier({
      appraisal: { status: 'COMPLETED', conclusion: 'ELIGIBLE_AFTER_REVISION', lawful: true, reasons: 'Cần chỉnh lý Điều 3.' },
    });
    // then
    expect(keys(d, 'COMPLETE')).toEqual(['RECEIPT_EXPLANATION']);
    d.documents.push(doc('RECEIPT_EXPLANATION', { docType: 'BAO_CAO', symbol: '/BC-SCT' }));
    expect(keys(d, 'COMPLETE')).toEqual([]);
  });
});
