/** Agencies: everyone reads them, administrators create and change them. */
import express from 'express';
import { isHeadRole } from '../../../domain/access.ts';
import { agencyByCode, agencyExists, createAgency, listAgencies, updateAgency, userById } from '../../../store/organisation.ts';
import type { ServerDeps } from '../../deps.ts';
import { ApiError, conflict, notFound } from '../../errors.ts';
import { changer, requireAdmin } from './common.ts';
import { agencyCode, agencyInput, agencyUpdate } from './schemas.ts';

export function agencyRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();

  // Agencies are public knowledge inside the system (forms pick consulted agencies from them).
  r.get('/agencies', async (_req, res) => {
    res.json({ items: await listAgencies(deps.ds) });
  });

  r.post('/agencies', async (req, res) => {
    requireAdmin(req);
    const a = agencyInput.parse(req.body);
    if (a.parentCode && !(await agencyExists(deps.ds, a.parentCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${a.parentCode}.`, { field: 'parentCode' });
    if (!(await createAgency(deps.ds, { ...a, parentCode: a.parentCode ?? null }, changer(req), { agency: a }))) throw conflict('AGENCY_EXISTS', `Cơ quan ${a.code} đã có.`);
    res.status(201).json({ agency: await agencyByCode(deps.ds, a.code) });
  });

  r.patch('/agencies/:code', async (req, res) => {
    requireAdmin(req);
    const code = agencyCode.parse(req.params.code);
    const a = agencyUpdate.parse(req.body);
    if (!(await agencyExists(deps.ds, code))) throw notFound(`cơ quan ${code}`);
    if (a.parentCode) {
      if (a.parentCode === code) throw new ApiError(422, 'INVALID_PARENT', 'Cơ quan không thể trực thuộc chính nó.', { field: 'parentCode' });
      if (!(await agencyExists(deps.ds, a.parentCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${a.parentCode}.`, { field: 'parentCode' });
    }
    if (a.headUserId) {
      const head = await userById(deps.ds, a.headUserId);
      // the head is a head (or acting head) of this very agency.
      if (!head || head.agencyCode !== code || !(isHeadRole(head.role) || head.role === 'UBND_LEADER') || !head.active) {
        throw new ApiError(422, 'INVALID_HEAD', 'Thủ trưởng phải là người đứng đầu (hoặc Q. Giám đốc) đang hoạt động của chính cơ quan.', { field: 'headUserId' });
      }
    }
    await updateAgency(deps.ds, code, a, changer(req), { agency: code, changes: a });
    res.json({ agency: await agencyByCode(deps.ds, code) });
  });

  return r;
}
