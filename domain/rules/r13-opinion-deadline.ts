import { violation, type RuleViolation } from '../errors.ts';
import type { OpinionFacts, OpinionRequestFacts } from '../facts.ts';
import type { OpinionRequestStatus, UserRole } from '../model.ts';
import { isHeadRole } from './r05-head-signature.ts';

/** an opinion is late when it arrived after its request's dueAt (same agency and round). */
export function isOpinionLate(
  opinion: Pick<OpinionFacts, 'agencyCode' | 'round' | 'receivedAt'>,
  requests: readonly Pick<OpinionRequestFacts, 'agencyCode' | 'round' | 'dueAt'>[],
): boolean {
  const request = requests.find((r) => r.agencyCode === opinion.agencyCode && r.round === opinion.round);
  return request !== undefined && opinion.receivedAt.getTime() > request.dueAt.getTime();
}

/** whether a PENDING request has passed its deadline at `now` (the overdue timer's decision). */
export function isRequestOverdue(request: Pick<OpinionRequestFacts, 'status' | 'dueAt'>, now: Date): boolean {
  return request.status === 'PENDING' && now.getTime() > request.dueAt.getTime();
}

export interface WaiverInput {
  requestStatus: OpinionRequestStatus;
  actor: { role: UserRole; agencyCode: string };
  leadAgencyCode: string;
  silenceMeansConsent: boolean;
}

/**
 * only the lead agency's head (or acting head) may proceed without an opinion, only once the
 * request is OVERDUE, and only when silence does not already count as consent.
 */
export function checkWaiver(input: WaiverInput): RuleViolation | null {
  const reasons: string[] = [];
  if (input.requestStatus !== 'OVERDUE') reasons.push('REQUEST_NOT_OVERDUE');
  if (input.silenceMeansConsent) reasons.push('SILENCE_MEANS_CONSENT');
  if (input.actor.agencyCode !== input.leadAgencyCode || !isHeadRole(input.actor.role)) reasons.push('NOT_LEAD_HEAD');
  return reasons.length === 0
    ? null
    : violation('ERR_OPINION_WAIVER_NOT_ALLOWED', { reasons, requestStatus: input.requestStatus, actorRole: input.actor.role });
}
