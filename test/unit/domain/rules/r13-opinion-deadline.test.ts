import { describe, expect, it } from 'vitest';
import { checkWaiver, isOpinionLate, isRequestOverdue } from '../../../../domain/rules/index.ts';
import { NOW, opinion, opinionRequest } from '../fixtures.ts';

const headOfLead = { role: 'HEAD' as const, agencyCode: 'SCT' };

describe('R-13 opinion deadline', () => {
  it('R-13 should let the lead head waive an overdue opinion when silence is not consent', () => {
    expect(checkWaiver({ requestStatus: 'OVERDUE', actor: headOfLead, leadAgencyCode: 'SCT', silenceMeansConsent: false })).toBeNull();
    expect(
      checkWaiver({ requestStatus: 'OVERDUE', actor: { role: 'ACTING_HEAD', agencyCode: 'SCT' }, leadAgencyCode: 'SCT', silenceMeansConsent: false }),
    ).toBeNull();
  });

  it('R-13 should refuse a waiver before the deadline', () => {
    // given a request still within its deadline
    const v = checkWaiver({ requestStatus: 'PENDING', actor: headOfLead, leadAgencyCode: 'SCT', silenceMeansConsent: false });
    // then
    expect(v?.code).toBe('ERR_OPINION_WAIVER_NOT_ALLOWED');
    expect(v?.details?.reasons).toEqual(['REQUEST_NOT_OVERDUE']);
  });

  it('R-13 should refuse a waiver by a deputy, a specialist or another agency’s head', () => {
    for (const actor of [
      { role: 'DEPUTY' as const, agencyCode: 'SCT' },
      { role: 'SPECIALIST' as const, agencyCode: 'SCT' },
      { role: 'HEAD' as const, agencyCode: 'STC' },
    ]) {
      const v = checkWaiver({ requestStatus: 'OVERDUE', actor, leadAgencyCode: 'SCT', silenceMeansConsent: false });
      expect(v?.details?.reasons, JSON.stringify(actor)).toEqual(['NOT_LEAD_HEAD']);
    }
  });

  it('R-13 should refuse a waiver when silence already counts as consent', () => {
    const v = checkWaiver({ requestStatus: 'OVERDUE', actor: headOfLead, leadAgencyCode: 'SCT', silenceMeansConsent: true });
    expect(v?.details?.reasons).toEqual(['SILENCE_MEANS_CONSENT']);
  });

  it('R-13 should flag an opinion received after its round’s deadline as late', () => {
    const requests = [opinionRequest('STC', { dueAt: new Date('2026-03-05T17:00:00+07:00') })];
    expect(isOpinionLate(opinion('STC', { receivedAt: new Date('2026-03-05T17:00:01+07:00') }), requests)).toBe(true);
    expect(isOpinionLate(opinion('STC', { receivedAt: new Date('2026-03-05T16:59:59+07:00') }), requests)).toBe(false);
  });

  it('R-13 should mark a pending request overdue only once its deadline has passed', () => {
    expect(isRequestOverdue(opinionRequest('STC', { status: 'PENDING' }), NOW)).toBe(true);
    expect(isRequestOverdue(opinionRequest('STC', { status: 'PENDING', dueAt: new Date('2026-03-12T17:00:00+07:00') }), NOW)).toBe(false);
    expect(isRequestOverdue(opinionRequest('STC', { status: 'RECEIVED' }), NOW)).toBe(false);
  });
});
