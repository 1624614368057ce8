import { describe, expect, it } from 'vitest';
import { checkOfficeReturn, returnReasonFor, violation } from '../../../../domain/rules/index.ts';
import { ERRORS, type ErrorCode } from '../../../../domain/errors.ts';
import { RETURN_REASONS } from '../../../../domain/model.ts';

describe('R-30 return reasons', () => {
  it('R-30 should accept an office return with a reason from the list', () => {
    expect(checkOfficeReturn({ outcome: 'RETURN', returnReason: 'WRONG_DOC_TYPE', note: 'Dùng báo cáo' })).toBeNull();
    expect(checkOfficeReturn({ outcome: 'ACCEPT' })).toBeNull();
  });

  it('R-30 should reject a return without a reason or with a free-text reason', () => {
    expect(checkOfficeReturn({ outcome: 'RETURN' })?.code).toBe('ERR_RETURN_REASON_REQUIRED');
    expect(checkOfficeReturn({ outcome: 'RETURN', returnReason: 'thiếu hồ sơ' })?.code).toBe('ERR_RETURN_REASON_REQUIRED');
  });

  it('R-30 should reject an unknown outcome', () => {
    expect(checkOfficeReturn({ outcome: 'MAYBE' })?.code).toBe('ERR_OFFICE_OUTCOME_INVALID');
  });

  it('R-30 should derive the return reason of a gate from its first error', () => {
    const found = [violation('WARN_VAGUE_PROPOSAL'), violation('ERR_OPINIONS_PENDING', { agencies: ['STC'] }), violation('ERR_APPRAISAL_MISSING')];
    expect(returnReasonFor(found)).toBe('OPINIONS_PENDING');
    expect(returnReasonFor([violation('ERR_HEAD_ATTENDANCE_REQUIRED')])).toBeNull();
  });

  it('R-30 should map every return reason from at least one code', () => {
    const mapped = new Set(Object.values(ERRORS).map((e) => e.returnReason));
    for (const reason of RETURN_REASONS) expect(mapped.has(reason), reason).toBe(true);
  });

  it('R-30 should give every code a rule id and both messages', () => {
    for (const [code, def] of Object.entries(ERRORS)) {
      expect(def.rule, code).toMatch(/^R-\d{2}(\/\d{2})?$/);
      expect(def.vi.length, code).toBeGreaterThan(10);
      expect(def.en.length, code).toBeGreaterThan(10);
      expect(def.severity, code).toBe(code.startsWith('WARN_') ? 'warning' : 'error');
      expect(violation(code as ErrorCode).code).toBe(code);
    }
  });
});
