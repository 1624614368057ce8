import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import type { UserRole } from '../model.ts';
import { isHeadRole } from './r05-head-signature.ts';

/**
 * a matter assigned to a UBND member who heads the lead agency is signed by the head (or acting head)
 * in person, whatever authorization exists. Also usable when a user claims the signing task.
 */
export function checkUbndMemberHead(d: Pick<DossierFacts, 'assignedToUbndMember'>, signerRole: UserRole): RuleViolation | null {
  if (!d.assignedToUbndMember || isHeadRole(signerRole)) return null;
  return violation('ERR_HEAD_SIGNATURE_REQUIRED', { signerRole });
}
