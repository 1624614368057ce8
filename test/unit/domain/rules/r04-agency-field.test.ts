import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkAgencyField, rulesConfig } from '../../../../domain/rules/index.ts';
import { validDossier } from '../fixtures.ts';

describe('R-04 agency field', () => {
  it('R-04 should accept a sub-category of one of the agency’s fields', () => {
    expect(checkAgencyField(validDossier(), DEFAULT_RULES_CONFIG)).toBeNull();
  });

  it('R-04 should warn when the matter is outside the agency’s fields', () => {
    // given Sở Công Thương submitting a land matter
    const d = validDossier({ matterCategory: 'dat-dai/thu-hoi-dat' });
    // when
    const v = checkAgencyField(d, DEFAULT_RULES_CONFIG);
    // then
    expect(v?.code).toBe('WARN_OUTSIDE_AGENCY_FIELD');
    expect(v?.severity).toBe('warning');
  });

  it('R-04 should reject when configured strict', () => {
    const v = checkAgencyField(validDossier({ matterCategory: 'dat-dai' }), rulesConfig({ strictAgencyField: true }));
    expect(v?.code).toBe('ERR_OUTSIDE_AGENCY_FIELD');
    expect(v?.severity).toBe('error');
  });

  it('R-04 should not take a shared prefix for a parent field', () => {
    // "cong-thuong-mai" is not under "cong-thuong"
    expect(checkAgencyField(validDossier({ matterCategory: 'cong-thuong-mai' }), DEFAULT_RULES_CONFIG)?.code).toBe(
      'WARN_OUTSIDE_AGENCY_FIELD',
    );
  });
});
