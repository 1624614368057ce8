/**
 * Reference data (R-01/02, R-16): the matter categories with the authority competent for each, and
 * the legal-basis types. Everyone signed in reads those in use (the forms pick from them);
 * administrators see the retired ones too, add and change them, and retire one instead of deleting
 * it, so the dossiers filed under it keep their category. Every change is audited.
 */
import express from 'express';
import { z } from 'zod';
import { canManageOrganisation } from '../../../domain/access.ts';
import { COMPETENT_AUTHORITIES } from '../../../domain/model.ts';
import {
  createLegalBasisType,
  createMatterCategory,
  legalBasisTypeByCode,
  listLegalBasisTypes,
  listMatterCategories,
  matterCategoryByCode,
  updateLegalBasisType,
  updateMatterCategory,
} from '../../../store/reference-data.ts';
import { currentUser } from '../../auth.ts';
import type { ServerDeps } from '../../deps.ts';
import { conflict, notFound } from '../../errors.ts';
import { changer, requireAdmin } from './common.ts';
import { legalBasisTypeCode, legalBasisTypeInput, legalBasisTypeUpdate, matterCategoryCode, matterCategoryInput, matterCategoryUpdate } from './schemas.ts';

const matterCategory = z.strictObject({ code: z.string(), nameVi: z.string(), nameEn: z.string(), competentAuthority: z.enum(COMPETENT_AUTHORITIES), active: z.boolean() });
const legalBasisType = z.strictObject({ code: z.string(), nameVi: z.string(), nameEn: z.string(), rank: z.number().int(), active: z.boolean() });
/** The answers, as the API document declares them. */
export const referenceDataAnswer = z.strictObject({ matterCategories: z.array(matterCategory), legalBasisTypes: z.array(legalBasisType) });
export const matterCategoryAnswer = z.strictObject({ matterCategory });
export const legalBasisTypeAnswer = z.strictObject({ legalBasisType });
export const matterCategoryParam = z.object({ code: matterCategoryCode });
export const legalBasisTypeParam = z.object({ code: legalBasisTypeCode });

export function referenceDataRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();

  r.get('/reference-data', async (req, res) => {
    const activeOnly = !canManageOrganisation(currentUser(req));
    res.json({ matterCategories: await listMatterCategories(deps.ds, { activeOnly }), legalBasisTypes: await listLegalBasisTypes(deps.ds, { activeOnly }) });
  });

  r.post('/matter-categories', async (req, res) => {
    requireAdmin(req);
    const c = matterCategoryInput.parse(req.body);
    if (!(await createMatterCategory(deps.ds, c, changer(req)))) throw conflict('MATTER_CATEGORY_EXISTS', `Lĩnh vực ${c.code} đã có.`);
    res.status(201).json({ matterCategory: await matterCategoryByCode(deps.ds, c.code) });
  });

  r.patch('/matter-categories/:code', async (req, res) => {
    requireAdmin(req);
    const { code } = matterCategoryParam.parse(req.params);
    const changes = matterCategoryUpdate.parse(req.body);
    if (!(await updateMatterCategory(deps.ds, code, changes, changer(req)))) throw notFound(`lĩnh vực ${code}`);
    res.json({ matterCategory: await matterCategoryByCode(deps.ds, code) });
  });

  r.post('/legal-basis-types', async (req, res) => {
    requireAdmin(req);
    const t = legalBasisTypeInput.parse(req.body);
    if (!(await createLegalBasisType(deps.ds, t, changer(req)))) throw conflict('LEGAL_BASIS_TYPE_EXISTS', `Loại văn bản ${t.code} đã có.`);
    res.status(201).json({ legalBasisType: await legalBasisTypeByCode(deps.ds, t.code) });
  });

  r.patch('/legal-basis-types/:code', async (req, res) => {
    requireAdmin(req);
    const { code } = legalBasisTypeParam.parse(req.params);
    const changes = legalBasisTypeUpdate.parse(req.body);
    if (!(await updateLegalBasisType(deps.ds, code, changes, changer(req)))) throw notFound(`loại văn bản ${code}`);
    res.json({ legalBasisType: await legalBasisTypeByCode(deps.ds, code) });
  });

  return r;
}
