/**
 * The organisation under /api/admin: agencies, users and their roles (administrators), and the
 * signing delegations a head grants to a deputy of their own agency. Every change is audited.
 */
import express from 'express';
import type { ServerDeps } from '../../deps.ts';
import { agencyRoutes } from './agencies.ts';
import { calendarRoutes } from './calendar.ts';
import { delegationRoutes } from './delegations.ts';
import { referenceDataRoutes } from './reference-data.ts';
import { userRoutes } from './users.ts';

/** Routes under /api/admin. */
export function adminRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();
  r.use(agencyRoutes(deps));
  r.use(userRoutes(deps));
  r.use(delegationRoutes(deps));
  r.use(calendarRoutes(deps));
  r.use(referenceDataRoutes(deps));
  return r;
}
