import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkProactiveHandling, isReactiveOnly, proactiveAgencies } from '../../../../domain/rules/index.ts';

const known = ['SCT', 'STC', 'SKHDT', 'UBND_TANAN', 'UBNDTINH', 'VPUBND'];

describe('R-23 co-addressed documents', () => {
  it('R-23 should start proactive handling for every agency co-addressed with UBND tỉnh', () => {
    // given a ministry's letter to UBND tỉnh, copied to two departments and a district
    const doc = { kinhGui: ['UBND tỉnh Long An', 'SCT'], noiNhan: ['Như trên', 'STC', 'UBND_TANAN', 'VPUBND', 'Lưu: VT'], requestsAction: true };
    // when
    const agencies = proactiveAgencies(doc, known, DEFAULT_RULES_CONFIG);
    // then
    expect(agencies).toEqual(['SCT', 'STC', 'UBND_TANAN']);
  });

  it('R-23 should start nothing when the document requests no action', () => {
    const doc = { kinhGui: ['UBNDTINH', 'SCT'], noiNhan: [], requestsAction: false };
    expect(proactiveAgencies(doc, known, DEFAULT_RULES_CONFIG)).toEqual([]);
  });

  it('R-23 should start nothing when UBND tỉnh is not among the addressees', () => {
    const doc = { kinhGui: ['SCT', 'STC'], noiNhan: [], requestsAction: true };
    expect(proactiveAgencies(doc, known, DEFAULT_RULES_CONFIG)).toEqual([]);
  });

  it('R-23 should flag an agency that acted only after UBND’s instruction as reactive only', () => {
    const instruction = new Date('2026-03-05T09:00:00+07:00');
    expect(isReactiveOnly({ agencyCode: 'SCT', firstActionAt: new Date('2026-03-06T09:00:00+07:00'), ubndInstructionAt: instruction })).toBe(true);
    expect(isReactiveOnly({ agencyCode: 'SCT', firstActionAt: null, ubndInstructionAt: instruction })).toBe(true);
    expect(isReactiveOnly({ agencyCode: 'SCT', firstActionAt: new Date('2026-03-04T09:00:00+07:00'), ubndInstructionAt: instruction })).toBe(false);
    expect(isReactiveOnly({ agencyCode: 'SCT', firstActionAt: null })).toBe(false);
  });

  it('R-23 should report the reactive-only agencies', () => {
    const instruction = new Date('2026-03-05T09:00:00+07:00');
    const v = checkProactiveHandling([
      { agencyCode: 'STC', ubndInstructionAt: instruction },
      { agencyCode: 'SCT', firstActionAt: new Date('2026-03-01T09:00:00+07:00'), ubndInstructionAt: instruction },
    ]);
    expect(v?.code).toBe('WARN_REACTIVE_ONLY');
    expect(v?.details?.agencies).toEqual(['STC']);
  });
});
