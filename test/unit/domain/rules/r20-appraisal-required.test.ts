import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkAppraisalRequired, checkForwardGates, needsAppraisal } from '../../../../domain/rules/index.ts';
import { normativeDossier, validDossier } from '../fixtures.ts';

describe('R-20 appraisal required', () => {
  it('R-20 should require appraisal for legal-normative content even if the flag was not set', () => {
    expect(needsAppraisal({ isLegalNormative: true, requiresAppraisal: false })).toBe(true);
    expect(needsAppraisal({ isLegalNormative: false, requiresAppraisal: false })).toBe(false);
  });

  it('R-20 should block forwarding when the appraisal is not completed', () => {
    // given an appraisal still in progress
    const d = normativeDossier({ appraisal: { status: 'IN_PROGRESS' } });
    // when
    const v = checkAppraisalRequired(d);
    // then
    expect(v?.code).toBe('ERR_APPRAISAL_MISSING');
    expect(v?.message).toBe('Hồ sơ có nội dung quy phạm pháp luật phải có báo cáo thẩm định.');
    expect(checkForwardGates(d, DEFAULT_RULES_CONFIG).map((x) => x.code)).toEqual(['ERR_APPRAISAL_MISSING']);
  });

  it('R-20 should block forwarding when there is no appraisal at all', () => {
    const d = normativeDossier({ appraisal: undefined });
    expect(checkAppraisalRequired(d)?.code).toBe('ERR_APPRAISAL_MISSING');
  });

  it('R-20 should block forwarding when the appraisal concluded not eligible', () => {
    const d = normativeDossier({ appraisal: { status: 'COMPLETED', conclusion: 'NOT_ELIGIBLE', lawful: false, reasons: 'Sai thẩm quyền ban hành.' } });
    expect(checkAppraisalRequired(d)?.code).toBe('ERR_APPRAISAL_NOT_ELIGIBLE');
  });

  it('R-20 should let a completed, eligible appraisal through', () => {
    expect(checkAppraisalRequired(normativeDossier())).toBeNull();
    expect(checkAppraisalRequired(validDossier())).toBeNull();
  });
});
