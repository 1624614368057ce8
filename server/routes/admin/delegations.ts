/** The signing delegations a head grants to a deputy of their own agency. */
import express from 'express';
import { canManageDelegationsOf, canManageOrganisation, canReceiveDelegation, isHeadRole } from '../../../domain/access.ts';
import { delegationById, grantDelegation, listDelegations, revokeDelegation, userById, type DelegationFilter } from '../../../store/organisation.ts';
import { currentUser } from '../../auth.ts';
import type { ServerDeps } from '../../deps.ts';
import { ApiError, forbidden, notFound } from '../../errors.ts';
import { changer } from './common.ts';
import { delegationInput, delegationListQuery, uuid } from './schemas.ts';

export function delegationRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();

  // Administrators see all delegations; a head those of their agency; a deputy those granted to them.
  r.get('/delegations', async (req, res) => {
    const user = currentUser(req);
    const q = delegationListQuery.parse(req.query);
    const filter: DelegationFilter = { active: q.active === undefined ? undefined : q.active === 'true' };
    if (canManageOrganisation(user)) {
      if (q.agency) filter.agencyCode = q.agency;
    } else if (isHeadRole(user.role)) {
      if (q.agency && q.agency !== user.agencyCode) throw forbidden('Thủ trưởng chỉ xem ủy quyền của cơ quan mình.');
      filter.agencyCode = user.agencyCode;
    } else if (user.role === 'DEPUTY') {
      filter.granteeUserId = user.id;
    } else throw forbidden();
    res.json({ items: await listDelegations(deps.ds, filter) });
  });

  // the head grants a deputy of their own agency the signing, for matters or dossiers, for a period.
  r.post('/delegations', async (req, res) => {
    const user = currentUser(req);
    if (!canManageDelegationsOf(user, user.agencyCode)) throw forbidden('Chỉ Thủ trưởng cơ quan được ủy quyền ký thay cho cấp phó (R-06).');
    const d = delegationInput.parse(req.body);
    const grantee = await userById(deps.ds, d.granteeUserId);
    if (!grantee || !canReceiveDelegation(user, { agencyCode: grantee.agencyCode, role: grantee.role, active: grantee.active })) {
      throw new ApiError(422, 'ERR_DEPUTY_NOT_AUTHORIZED', 'Chỉ ủy quyền cho cấp phó đang công tác tại chính cơ quan (R-06).', { rule: 'R-06', field: 'granteeUserId' });
    }
    const delegation = await grantDelegation(deps.ds, { ...d, agencyCode: user.agencyCode, grantorUserId: user.id, granteeUserId: grantee.id }, changer(req), d);
    res.status(201).json({ delegation });
  });

  r.post('/delegations/:id/revoke', async (req, res) => {
    const user = currentUser(req);
    const id = uuid.parse(req.params.id);
    const d = await delegationById(deps.ds, id);
    // Someone else's delegation does not exist as far as this user can tell.
    if (!d || !canManageDelegationsOf(user, d.agencyCode)) throw notFound(`ủy quyền ${id}`);
    res.json({ delegation: await revokeDelegation(deps.ds, d, changer(req)) });
  });

  return r;
}
