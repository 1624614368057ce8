import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOfficeReturn, returnReasonFor, violation } from '../../../../domain/rules/index.ts';
import { checkReconsultAgencies, FORMAT_RETURN_REASONS, returnRoute } from '../../../../domain/rules/r30-return-reasons.ts';
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

  it('R-30 should send a format or signature return to redrafting and every other reason to revision', () => {
    expect(RETURN_REASONS.filter((r) => returnRoute(r) === 'REDRAFT')).toEqual(['WRONG_DOC_TYPE', 'INVALID_SIGNATURE', 'FORMAT']);
    expect(returnRoute('MISSING_LEGAL_BASIS')).toBe('REVISE');
  });

  it('R-30 should let a content return name only agencies the dossier consulted, and a format return none', () => {
    expect(checkReconsultAgencies('VAGUE_PROPOSAL', [], ['STC'])).toBeNull();
    expect(checkReconsultAgencies('VAGUE_PROPOSAL', ['STC'], ['STC', 'SKHDT'])).toBeNull();
    expect(checkReconsultAgencies('VAGUE_PROPOSAL', ['SNV', 'STC'], ['STC'])).toMatchObject({ code: 'ERR_RECONSULT_NOT_CONSULTED', details: { agencies: ['SNV'] } });
    expect(checkReconsultAgencies('FORMAT', ['STC'], ['STC'])?.code).toBe('ERR_RECONSULT_NOT_CONTENT');
    expect(checkReconsultAgencies('FORMAT', [], ['STC'])).toBeNull();
  });

  it('R-30 should hide the agencies to re-consult in the office-check form for exactly the format reasons', () => {
    const form = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../../processes/forms/office-check.form'), 'utf8')) as {
      components: { key?: string; conditional?: { hide?: string } }[];
    };
    const hide = form.components.find((c) => c.key === 'reconsultAgencies')?.conditional?.hide ?? '';
    const named = [...hide.matchAll(/returnReason = "(\w+)"/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...FORMAT_RETURN_REASONS].sort());
  });
});
