/** What the organisation's routes share: who changes, and the administrators-only check. */
import type { Request } from 'express';
import { canManageOrganisation } from '../../../domain/access.ts';
import type { Changer } from '../../../store/organisation.ts';
import { currentUser } from '../../auth.ts';
import { forbidden } from '../../errors.ts';

/** The signed-in user as the author of a change (its audit event). */
export function changer(req: Request): Changer {
  const user = currentUser(req);
  return { userId: user.id, role: user.role };
}

export function requireAdmin(req: Request): void {
  if (!canManageOrganisation(currentUser(req))) throw forbidden('Chỉ quản trị hệ thống được quản lý cơ quan và người dùng.');
}
