import { describe, expect, it } from 'vitest';
import { reportYearNow } from '../../ui/src/report-year.ts';

describe('R-25 the report page opens on Vietnam\'s year', () => {
  it('R-25 should default to the year in Vietnam, not the browser\'s clock: 31/12/2026 at 18:00 UTC is already 2027 in Vietnam', () => {
    expect(reportYearNow(new Date('2026-12-31T18:00:00Z'))).toBe(2027);
    expect(reportYearNow(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(reportYearNow(new Date('2027-01-01T00:30:00+07:00'))).toBe(2027);
  });
});
