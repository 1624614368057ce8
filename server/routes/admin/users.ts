/** Users and their roles: administrators manage them; a head lists the people of their own agency. */
import express from 'express';
import { z } from 'zod';
import { canManageOrganisation, isHeadRole } from '../../../domain/access.ts';
import { agencyExists, createUser, listUsers, setPassword, updateUser, userById } from '../../../store/organisation.ts';
import { assertStrongPassword, currentUser, hashPassword } from '../../auth.ts';
import type { ServerDeps } from '../../deps.ts';
import { ApiError, conflict, forbidden, notFound } from '../../errors.ts';
import { changer, requireAdmin } from './common.ts';
import { newPassword, userId, userInput, userListQuery, userUpdate } from './schemas.ts';

export function userRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();

  // Administrators list everyone; a head lists the people of their own agency (to pick a deputy).
  r.get('/users', async (req, res) => {
    const user = currentUser(req);
    const q = userListQuery.parse(req.query);
    let agency = q.agency;
    if (!canManageOrganisation(user)) {
      if (!isHeadRole(user.role)) throw forbidden();
      if (agency && agency !== user.agencyCode) throw forbidden('Thủ trưởng chỉ xem người dùng của cơ quan mình.');
      agency = user.agencyCode;
    }
    const { total, items } = await listUsers(deps.ds, {
      agencyCode: agency,
      role: q.role,
      active: q.active === undefined ? undefined : q.active === 'true',
      text: q.q,
      page: q.page,
      pageSize: q.pageSize,
    });
    res.json({ total, page: q.page, pageSize: q.pageSize, items });
  });

  r.post('/users', async (req, res) => {
    requireAdmin(req);
    const u = userInput.parse(req.body);
    if (!(await agencyExists(deps.ds, u.agencyCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${u.agencyCode}.`, { field: 'agencyCode' });
    assertStrongPassword(u.password, [u.username, u.fullName]);
    const passwordHash = await hashPassword(u.password);
    if (!(await createUser(deps.ds, { ...u, passwordHash }, changer(req), { user: { ...u, password: undefined } }))) {
      throw conflict('USER_EXISTS', `Tên đăng nhập ${u.username} đã có.`);
    }
    res.status(201).json({ user: await userById(deps.ds, u.username) });
  });

  r.patch('/users/:id', async (req, res) => {
    requireAdmin(req);
    const actor = currentUser(req);
    const id = userId.parse(req.params.id);
    const changes = userUpdate.parse(req.body);
    const before = await userById(deps.ds, id);
    if (!before) throw notFound(`người dùng ${id}`);
    if (changes.agencyCode && !(await agencyExists(deps.ds, changes.agencyCode))) {
      throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${changes.agencyCode}.`, { field: 'agencyCode' });
    }
    // No administrator locks the system out by demoting or disabling themselves.
    if (id === actor.id && (changes.active === false || (changes.role && changes.role !== 'ADMIN'))) {
      throw new ApiError(409, 'SELF_LOCKOUT', 'Không thể tự khóa hoặc tự bỏ quyền quản trị của mình.');
    }
    await updateUser(deps.ds, before, changes, changer(req), { user: id, changes, before });
    res.json({ user: await userById(deps.ds, id) });
  });

  r.post('/users/:id/password', async (req, res) => {
    requireAdmin(req);
    const id = userId.parse(req.params.id);
    const { password } = z.object({ password: newPassword }).strict().parse(req.body);
    const target = await userById(deps.ds, id);
    if (!target) throw notFound(`người dùng ${id}`);
    assertStrongPassword(password, [target.username, target.fullName]);
    // Whoever held the old password is signed out everywhere.
    await setPassword(deps.ds, id, await hashPassword(password), { ...changer(req), action: 'PASSWORD_RESET' });
    res.status(204).end();
  });

  return r;
}
