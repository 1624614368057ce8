import { violation, type RuleViolation } from '../errors.ts';
import type { AuthorizationFacts, DossierFacts, SignatureInput } from '../facts.ts';
import { categoryCovers } from './categories.ts';
import { isBlank } from './vague-text.ts';

/** "phát sinh đột xuất": an urgency above THUONG and a stated reason. */
export function isUrgent(d: Pick<DossierFacts, 'urgency' | 'urgentReason'>): boolean {
  return d.urgency !== 'THUONG' && !isBlank(d.urgentReason);
}

/** why an authorization does not let this deputy sign this dossier at signedAt (empty when it does). */
export function authorizationProblems(
  auth: AuthorizationFacts | undefined,
  ctx: { dossier: Pick<DossierFacts, 'id' | 'matterCategory' | 'leadAgency'>; granteeUserId: string; signedAt: Date },
): string[] {
  if (auth === undefined) return ['NO_AUTHORIZATION'];
  const problems: string[] = [];
  const at = ctx.signedAt.getTime();
  if (auth.grantorUserId !== ctx.dossier.leadAgency.headUserId) problems.push('GRANTOR_NOT_HEAD');
  if (auth.granteeUserId !== ctx.granteeUserId) problems.push('WRONG_GRANTEE');
  if (auth.agencyCode !== ctx.dossier.leadAgency.code) problems.push('WRONG_AGENCY');
  const inScope =
    auth.dossierIds.includes(ctx.dossier.id) ||
    auth.matterCategories.some((c) => categoryCovers(c, ctx.dossier.matterCategory));
  if (!inScope) problems.push('OUT_OF_SCOPE');
  if (at < auth.validFrom.getTime()) problems.push('NOT_YET_VALID');
  if (at > auth.validTo.getTime()) problems.push('EXPIRED');
  if (auth.revokedAt !== undefined && auth.revokedAt !== null && auth.revokedAt.getTime() <= at) problems.push('REVOKED');
  return problems;
}

/**
 * a deputy signs only when urgent and under a valid authorization in scope at signedAt.
 * Not applied when R-07 applies (assignedToUbndMember): then no deputy may sign at all.
 */
export function checkDeputyDelegation(input: SignatureInput): RuleViolation | null {
  const { dossier: d, signer } = input;
  if (signer.role !== 'DEPUTY' || d.assignedToUbndMember) return null;
  const reasons: string[] = [];
  if (!isUrgent(d)) reasons.push('NOT_URGENT');
  reasons.push(...authorizationProblems(input.authorization, { dossier: d, granteeUserId: signer.userId, signedAt: input.signedAt }));
  if (reasons.length === 0) return null;
  return violation('ERR_DEPUTY_NOT_AUTHORIZED', { reasons, signerUserId: signer.userId });
}
