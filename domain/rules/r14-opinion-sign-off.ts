/**
 * a consulted agency's opinion is its head's position. The specialist drafts it; it counts
 * once the agency's head, or a deputy under a delegation of that head valid now and covering the
 * dossier (the delegation model of R-06), signs it off. Nobody signs off an opinion they drafted.
 */
import { violation, type RuleViolation } from '../errors.ts';
import type { AuthorizationFacts } from '../facts.ts';
import type { OpinionSignOffCapacity, UserRole } from '../model.ts';
import { isHeadRole } from './r05-head-signature.ts';
import { authorizationProblems } from './r06-deputy-delegation.ts';

export type OpinionSignOffInput = {
  actor: { id: string; agencyCode: string; role: UserRole };
  /** The consulted agency whose opinion it is, and its head now. */
  agency: { code: string; headUserId: string | null };
  dossier: { id: string; matterCategory: string };
  /** Who drafted the opinion (completed Tham gia ý kiến). */
  draftedByUserId: string | null;
  /** The actor's unrevoked delegations of the consulted agency. */
  delegations: readonly (AuthorizationFacts & { id: string })[];
  at: Date;
};

export type OpinionSignOff = { capacity: OpinionSignOffCapacity; delegationId: string | null };

/** In which capacity the actor signs the opinion off, or the violation that refuses it. */
export function opinionSignOff(input: OpinionSignOffInput): OpinionSignOff | RuleViolation {
  const { actor, agency } = input;
  if (actor.agencyCode !== agency.code) return violation('ERR_OPINION_SIGN_OFF_NOT_ALLOWED', { reasons: ['WRONG_AGENCY'] });
  if (input.draftedByUserId !== null && actor.id === input.draftedByUserId) return violation('ERR_OPINION_OWN_SIGN_OFF');
  if (isHeadRole(actor.role)) return { capacity: 'HEAD', delegationId: null };
  if (actor.role !== 'DEPUTY') return violation('ERR_OPINION_SIGN_OFF_NOT_ALLOWED', { reasons: ['NOT_HEAD_OR_DEPUTY'] });
  const ctx = {
    dossier: { id: input.dossier.id, matterCategory: input.dossier.matterCategory, leadAgency: { code: agency.code, headUserId: agency.headUserId ?? '', fields: [], headIsUbndMember: false } },
    granteeUserId: actor.id,
    signedAt: input.at,
  };
  const covering = input.delegations.find((d) => authorizationProblems(d, ctx).length === 0);
  if (covering) return { capacity: 'DEPUTY', delegationId: covering.id };
  const reasons = input.delegations.length === 0 ? ['NO_AUTHORIZATION'] : authorizationProblems(input.delegations[0], ctx);
  return violation('ERR_OPINION_SIGN_OFF_NOT_ALLOWED', { reasons });
}

export const isSignOffRefusal = (r: OpinionSignOff | RuleViolation): r is RuleViolation => 'code' in r;
