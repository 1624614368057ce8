/** The signed-in user and what their role lets the app show: the server's own access rules (domain/access.ts), never a copy. */
import type { SessionAnswer } from './api.ts';
import {
  canApproveDeployment,
  canCreateDossierFor,
  canDeploy,
  canManageDelegationsOf,
  canManageOrganisation,
  canOperate,
  canReadReportsOf,
  canSeeDefinitionStatistics,
  isHeadRole,
  isOfficeStaff,
  isSystemRole,
  OFFICE_AGENCY,
} from '../../domain/access.ts';
import { mayCompleteAssignedTask, mayRegisterAssignedTask, mayWorkOnAssignedTask } from '../../domain/assigned-task.ts';

export type User = SessionAnswer['user'];

let current: User | null = null;
export const me = (): User => {
  if (!current) throw new Error('not signed in');
  return current;
};
export const maybeMe = () => current;
export const setMe = (u: User | null) => {
  current = u;
};

export const can = {
  deploy: (u: User) => canDeploy(u),
  /** Four eyes on a deployment: the Office's head or an administrator approves a designer's proposal. */
  approveDeployment: (u: User) => canApproveDeployment(u),
  operate: (u: User) => canOperate(u),
  statistics: (u: User) => canSeeDefinitionStatistics(u),
  /** the Office and UBND leaders read every agency's figures, a head their own. */
  reports: (u: User) => canReadReportsOf(u, u.agencyCode),
  admin: (u: User) => canManageOrganisation(u),
  /** heads grant and revoke; deputies see what they were granted. */
  delegate: (u: User) => canManageDelegationsOf(u, u.agencyCode),
  seeDelegations: (u: User) => isHeadRole(u.role) || u.role === 'DEPUTY',
  createDossier: (u: User) => canCreateDossierFor(u, u.agencyCode) && !['VPUBND', 'UBNDTINH'].includes(u.agencyCode),
  /** Dossiers and tasks: everyone who takes part in them (administrators and designers run the system instead). */
  dossiers: (u: User) => !isSystemRole(u.role),
  /** The designer page: designers, operators and those who approve a deployment. */
  designer: (u: User) => canDeploy(u) || canOperate(u) || canApproveDeployment(u),
  /** The operations page: incidents for operators, the per-step figures for those who may see them. */
  operations: (u: User) => canOperate(u) || canSeeDefinitionStatistics(u),
  /** Incoming documents: those who register them, the Office, the leaders and each agency's heads. */
  incoming: (u: User) => u.role === 'CLERK' || isOfficeStaff(u) || u.role === 'UBND_LEADER' || isHeadRole(u.role),
  /** As the server's office routes: the Office (its reviewers and head) for all, each agency's clerk for its own. */
  registerIncoming: (u: User) => u.role === 'CLERK' || (u.agencyCode === OFFICE_AGENCY && (u.role === 'OFFICE_REVIEWER' || u.role === 'HEAD')),
  /** Tasks UBND assigns: everyone who takes part in dossiers sees their agency's, the Office and UBND all. */
  assignedTasks: (u: User) => !isSystemRole(u.role),
  registerAssignedTask: (u: User) => mayRegisterAssignedTask(u),
  /** Progress reports: the assignee agency's specialists and leaders; completion by a report: its leaders. */
  workOnAssignedTask: (u: User) => mayWorkOnAssignedTask(u, { assigneeAgencyCode: u.agencyCode }),
  completeAssignedTask: (u: User) => mayCompleteAssignedTask(u, { assigneeAgencyCode: u.agencyCode }),
};
