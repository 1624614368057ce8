/**
 * Reference data administrators keep: the matter categories with the authority competent for each
 * (the authority matrix of R-01/02, table `authority_matrix`) and the legal-basis types (R-16,
 * table `legal_basis_type`). The one owner of both tables.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CompetentAuthority } from '../domain/model.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { recordAudit } from './audit.ts';
import type { Changer } from './organisation.ts';

type Db = DataSource | EntityManager;

/** A matter category as the pickers and the administrators' page show it. */
export type MatterCategory = { code: string; nameVi: string; nameEn: string; competentAuthority: CompetentAuthority; active: boolean };
/** A legal-basis type (Luật, Nghị định…); a lower rank is the higher document. */
export type LegalBasisTypeRow = { code: string; nameVi: string; nameEn: string; rank: number; active: boolean };

type CategoryRow = { matter_category: string; name_vi: string; name_en: string; competent_authority: CompetentAuthority; active: boolean };
const toCategory = (r: CategoryRow): MatterCategory => ({
  code: r.matter_category,
  nameVi: r.name_vi,
  nameEn: r.name_en,
  competentAuthority: r.competent_authority,
  active: r.active,
});
const CATEGORY_COLUMNS = 'matter_category, name_vi, name_en, competent_authority, active';

type TypeRow = { code: string; name_vi: string; name_en: string; rank: number; active: boolean };
const toType = (r: TypeRow): LegalBasisTypeRow => ({ code: r.code, nameVi: r.name_vi, nameEn: r.name_en, rank: r.rank, active: r.active });

const isUniqueViolation = (err: unknown) => (err as { driverError?: { code?: string }; code?: string })?.driverError?.code === '23505' || (err as { code?: string })?.code === '23505';

const audit = (m: EntityManager, by: Changer, action: string, details: Record<string, unknown>) =>
  recordAudit(m, { dossierId: null, action, actorUserId: by.userId, actorRole: by.role, details });

/** The categories by Vietnamese name; `activeOnly` for the pickers, all of them for administrators. */
export async function listMatterCategories(db: Db, opts: { activeOnly?: boolean } = {}): Promise<MatterCategory[]> {
  const rows = (await db.query(
    `SELECT ${CATEGORY_COLUMNS} FROM authority_matrix ${opts.activeOnly ? 'WHERE active' : ''} ORDER BY name_vi, matter_category`,
  )) as CategoryRow[];
  return rows.map(toCategory);
}

export async function matterCategoryByCode(db: Db, code: string): Promise<MatterCategory | null> {
  const rows = (await db.query(`SELECT ${CATEGORY_COLUMNS} FROM authority_matrix WHERE matter_category = $1`, [code])) as CategoryRow[];
  return rows[0] ? toCategory(rows[0]) : null;
}

/** Adds a category and audits it; false when its code is taken. */
export async function createMatterCategory(ds: DataSource, c: Omit<MatterCategory, 'active'> & { active?: boolean }, by: Changer): Promise<boolean> {
  try {
    await ds.transaction(async (m) => {
      await m.query('INSERT INTO authority_matrix (matter_category, name_vi, name_en, competent_authority, active) VALUES ($1, $2, $3, $4, $5)', [
        c.code,
        c.nameVi,
        c.nameEn,
        c.competentAuthority,
        c.active ?? true,
      ]);
      await audit(m, by, 'MATTER_CATEGORY_CREATED', { matterCategory: c });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  return true;
}

/** Changes the given fields of a category (undefined: left as is) and audits it; false when there is no such category. */
export async function updateMatterCategory(ds: DataSource, code: string, changes: Partial<Omit<MatterCategory, 'code'>>, by: Changer): Promise<boolean> {
  const columns: [string, unknown][] = [
    ['name_vi', changes.nameVi],
    ['name_en', changes.nameEn],
    ['competent_authority', changes.competentAuthority],
    ['active', changes.active],
  ];
  const set = columns.filter(([, v]) => v !== undefined);
  return ds.transaction(async (m) => {
    const [, count] = (await m.query(
      `UPDATE authority_matrix SET ${set.length ? set.map(([c], i) => `${c} = $${i + 2}`).join(', ') : 'matter_category = matter_category'} WHERE matter_category = $1`,
      [code, ...set.map(([, v]) => v)],
    )) as [unknown, number];
    if (count === 0) return false;
    await audit(m, by, changes.active === false ? 'MATTER_CATEGORY_DEACTIVATED' : 'MATTER_CATEGORY_UPDATED', { matterCategory: code, changes });
    return true;
  });
}

/** The legal-basis types in the law's order; `activeOnly` for the pickers. */
export async function listLegalBasisTypes(db: Db, opts: { activeOnly?: boolean } = {}): Promise<LegalBasisTypeRow[]> {
  const rows = (await db.query(`SELECT code, name_vi, name_en, rank, active FROM legal_basis_type ${opts.activeOnly ? 'WHERE active' : ''} ORDER BY rank, code`)) as TypeRow[];
  return rows.map(toType);
}

export async function legalBasisTypeByCode(db: Db, code: string): Promise<LegalBasisTypeRow | null> {
  const rows = (await db.query('SELECT code, name_vi, name_en, rank, active FROM legal_basis_type WHERE code = $1', [code])) as TypeRow[];
  return rows[0] ? toType(rows[0]) : null;
}

/** Adds a legal-basis type and audits it; false when its code is taken. */
export async function createLegalBasisType(ds: DataSource, t: Omit<LegalBasisTypeRow, 'active'> & { active?: boolean }, by: Changer): Promise<boolean> {
  try {
    await ds.transaction(async (m) => {
      await m.query('INSERT INTO legal_basis_type (code, name_vi, name_en, rank, active) VALUES ($1, $2, $3, $4, $5)', [t.code, t.nameVi, t.nameEn, t.rank, t.active ?? true]);
      await audit(m, by, 'LEGAL_BASIS_TYPE_CREATED', { legalBasisType: t });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  return true;
}

/** Changes the given fields of a legal-basis type and audits it; false when there is no such type. */
export async function updateLegalBasisType(ds: DataSource, code: string, changes: Partial<Omit<LegalBasisTypeRow, 'code'>>, by: Changer): Promise<boolean> {
  const columns: [string, unknown][] = [
    ['name_vi', changes.nameVi],
    ['name_en', changes.nameEn],
    ['rank', changes.rank],
    ['active', changes.active],
  ];
  const set = columns.filter(([, v]) => v !== undefined);
  return ds.transaction(async (m) => {
    const [, count] = (await m.query(
      `UPDATE legal_basis_type SET ${set.length ? set.map(([c], i) => `${c} = $${i + 2}`).join(', ') : 'code = code'} WHERE code = $1`,
      [code, ...set.map(([, v]) => v)],
    )) as [unknown, number];
    if (count === 0) return false;
    await audit(m, by, changes.active === false ? 'LEGAL_BASIS_TYPE_DEACTIVATED' : 'LEGAL_BASIS_TYPE_UPDATED', { legalBasisType: code, changes });
    return true;
  });
}

/** The codes of the legal-basis types a dossier may cite now. */
export async function activeLegalBasisTypeCodes(db: Db): Promise<Set<string>> {
  return new Set(((await db.query('SELECT code FROM legal_basis_type WHERE active')) as { code: string }[]).map((r) => r.code));
}

/**
 * R-01/02: the rules' settings with the authority matrix as the database holds it now. Retired
 * categories stay in it: a dossier filed under one is still checked against its authority.
 */
export async function rulesWithStoredMatrix(db: Db, rules: RulesConfig): Promise<RulesConfig> {
  const rows = (await db.query('SELECT matter_category, competent_authority FROM authority_matrix')) as Pick<CategoryRow, 'matter_category' | 'competent_authority'>[];
  return Object.freeze({ ...rules, authorityMatrix: Object.freeze(Object.fromEntries(rows.map((r) => [r.matter_category, r.competent_authority]))) });
}
