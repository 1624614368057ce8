/** The signed-in user and what their role lets the app show. */
import type { SessionAnswer } from './api.ts';

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
  deploy: (u: User) => u.role === 'DESIGNER',
  /** Four eyes on a deployment: the Office's head or an administrator approves a designer's proposal. */
  approveDeployment: (u: User) => u.role === 'ADMIN' || (u.role === 'HEAD' && u.agencyCode === 'VPUBND'),
  operate: (u: User) => ['ADMIN', 'DESIGNER', 'OFFICE_MONITOR'].includes(u.role),
  statistics: (u: User) => ['ADMIN', 'DESIGNER', 'OFFICE_MONITOR'].includes(u.role) || u.agencyCode === 'VPUBND' || u.agencyCode === 'UBNDTINH',
  reports: (u: User) => u.agencyCode === 'VPUBND' || u.role === 'UBND_LEADER' || u.role === 'HEAD' || u.role === 'ACTING_HEAD',
  admin: (u: User) => u.role === 'ADMIN',
  /** heads grant and revoke; deputies see what they were granted. */
  delegate: (u: User) => u.role === 'HEAD' || u.role === 'ACTING_HEAD',
  seeDelegations: (u: User) => ['HEAD', 'ACTING_HEAD', 'DEPUTY'].includes(u.role),
  createDossier: (u: User) => ['SPECIALIST', 'HEAD', 'ACTING_HEAD', 'DEPUTY'].includes(u.role) && !['VPUBND', 'UBNDTINH'].includes(u.agencyCode),
};
