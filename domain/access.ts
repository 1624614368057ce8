/**
 * Who may see and do what (docs/RULES.md: candidate groups, and decision 5 on confidential subjects). Pure:
 * the server calls these on every route, so a rule of access lives in one place.
 */
import { secrecyRank, type SecrecyLevel, type UserRole } from './model.ts';
import { isHeadRole } from './rules/r05-head-signature.ts';

export { isHeadRole };

export type Actor = { id: string; agencyCode: string; role: UserRole; clearance: SecrecyLevel };

export const OFFICE_AGENCY = 'VPUBND';
export const UBND_AGENCY = 'UBNDTINH';
export const CONFIDENTIAL_PLACEHOLDER_SUBJECT = 'Hồ sơ mật';

/** The units of an agency that engine tasks are offered to: specialists, leaders, clerks, and the Office's deadline monitors. */
export type GroupUnit = 'chuyenvien' | 'lanhdao' | 'vanthu' | 'theodoi';

/** The engine candidate group of an agency's unit, `<AGENCY>_<unit>`: the one place this naming lives. */
export function candidateGroup(agencyCode: string, unit: GroupUnit): string {
  return `${agencyCode}_${unit}`;
}

/** The engine candidate groups a user belongs to: their agency's unit, the Office's and the leaders'. */
export function groupsOf(actor: Pick<Actor, 'agencyCode' | 'role'>): string[] {
  switch (actor.role) {
    case 'HEAD':
    case 'ACTING_HEAD':
    case 'DEPUTY':
      return [candidateGroup(actor.agencyCode, 'lanhdao')];
    case 'SPECIALIST':
    case 'APPRAISER':
      return [candidateGroup(actor.agencyCode, 'chuyenvien')];
    case 'CLERK':
      return [candidateGroup(actor.agencyCode, 'vanthu')];
    case 'OFFICE_REVIEWER':
      return [candidateGroup(OFFICE_AGENCY, 'chuyenvien')];
    case 'OFFICE_MONITOR':
      return [candidateGroup(OFFICE_AGENCY, 'theodoi')];
    case 'UBND_LEADER':
      return [candidateGroup(UBND_AGENCY, 'lanhdao')];
    case 'ADMIN':
    case 'DESIGNER':
      return [];
  }
}

export type DossierAccessFacts = {
  leadAgencyCode: string;
  secrecyLevel: SecrecyLevel;
  consultedAgencyCodes: readonly string[];
  appraiserAgencyCode: string | null;
};

/** Administrators and process designers run the system; they take no part in dossiers. */
export function isSystemRole(role: UserRole): boolean {
  return role === 'ADMIN' || role === 'DESIGNER';
}

/** The Office's own staff (R-25 monitoring, intake), not the system roles that happen to sit in it. */
export function isOfficeStaff(actor: Pick<Actor, 'agencyCode' | 'role'>): boolean {
  return actor.agencyCode === OFFICE_AGENCY && !isSystemRole(actor.role);
}

/** Whether the user may see the dossier at all (its metadata). */
export function canSeeDossier(actor: Actor, d: DossierAccessFacts): boolean {
  if (isSystemRole(actor.role)) return false;
  if (actor.agencyCode === d.leadAgencyCode) return true;
  if (d.consultedAgencyCodes.includes(actor.agencyCode)) return true;
  if (d.appraiserAgencyCode === actor.agencyCode) return true;
  if (isOfficeStaff(actor) || actor.agencyCode === UBND_AGENCY) return true;
  return false;
}

/** docs/RULES.md decision 5: the subject of a secret dossier, for the lead head, the cleared and the Office's confidential clerk. */
export function canSeeConfidentialSubject(actor: Actor, d: Pick<DossierAccessFacts, 'leadAgencyCode' | 'secrecyLevel'>): boolean {
  if (d.secrecyLevel === 'NONE') return true;
  if (isHeadRole(actor.role) && actor.agencyCode === d.leadAgencyCode) return true;
  if (secrecyRank(actor.clearance) >= secrecyRank(d.secrecyLevel)) return true;
  return false;
}

export function visibleSubject(actor: Actor, d: Pick<DossierAccessFacts, 'leadAgencyCode' | 'secrecyLevel'> & { subject: string }): string {
  return canSeeConfidentialSubject(actor, d) ? d.subject : CONFIDENTIAL_PLACEHOLDER_SUBJECT;
}

/** Creating a dossier: a specialist (or a leader) of the lead agency. */
export function canCreateDossierFor(actor: Actor, leadAgencyCode: string): boolean {
  return actor.agencyCode === leadAgencyCode && (actor.role === 'SPECIALIST' || actor.role === 'HEAD' || actor.role === 'ACTING_HEAD' || actor.role === 'DEPUTY');
}

/** Editing the dossier's own content: the lead agency's specialists and leaders. */
export function canEditDossier(actor: Actor, d: Pick<DossierAccessFacts, 'leadAgencyCode'>): boolean {
  return canCreateDossierFor(actor, d.leadAgencyCode);
}

/** A task is the user's to see and claim when one of its candidate groups is theirs, or it names them. */
export function canWorkOnTask(actor: Actor, task: { candidateGroups: readonly string[]; candidateUsers: readonly string[]; assignee: string | null }): boolean {
  if (task.assignee === actor.id) return true;
  if (task.candidateUsers.includes(actor.id)) return true;
  const mine = new Set(groupsOf(actor));
  return task.candidateGroups.some((g) => mine.has(g));
}

/** Reports: the Office and UBND leaders for every agency; a head for their own. */
export function canReadReportsOf(actor: Actor, agencyCode: string | null): boolean {
  if (isOfficeStaff(actor) || actor.role === 'UBND_LEADER') return true;
  return agencyCode !== null && isHeadRole(actor.role) && actor.agencyCode === agencyCode;
}

export function canDeploy(actor: Actor): boolean {
  return actor.role === 'DESIGNER';
}

/** Four eyes on a deployment: the Office's head or an administrator approves a designer's proposal (never their own). */
export function canApproveDeployment(actor: Actor): boolean {
  return actor.role === 'ADMIN' || (actor.role === 'HEAD' && actor.agencyCode === OFFICE_AGENCY);
}

/** Agencies, users and roles are managed by administrators only. */
export function canManageOrganisation(actor: Actor): boolean {
  return actor.role === 'ADMIN';
}

/** R-06: the head (or acting head) of an agency grants and revokes its deputies' delegations. */
export function canManageDelegationsOf(actor: Actor, agencyCode: string): boolean {
  return isHeadRole(actor.role) && actor.agencyCode === agencyCode;
}

/** a delegation goes from the agency's head to one of its own active deputies. */
export function canReceiveDelegation(grantor: Actor, grantee: Pick<Actor, 'agencyCode' | 'role'> & { active: boolean }): boolean {
  return grantee.active && grantee.role === 'DEPUTY' && grantee.agencyCode === grantor.agencyCode && isHeadRole(grantor.role);
}

/** Operations (incidents, retries): administrators, designers and the Office's deadline monitors. */
export function canOperate(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'ADMIN' || actor.role === 'DESIGNER' || actor.role === 'OFFICE_MONITOR';
}

/** Per-activity figures of a whole definition: the Office, UBND leaders and operators. */
export function canSeeDefinitionStatistics(actor: Pick<Actor, 'role' | 'agencyCode'>): boolean {
  return canOperate(actor) || actor.agencyCode === OFFICE_AGENCY || actor.agencyCode === UBND_AGENCY;
}

/** A signed-in person as the server knows them: the actor plus what is shown of them. */
export type UserIdentity = Actor & { username: string; fullName: string; position: string };
