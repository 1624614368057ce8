/**
 * The organisation: agencies, users and their roles (administrators), and the signing delegations
 * a head grants to a deputy of their own agency (R-06). Every change is audited.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import { assertStrongPassword, currentUser, hashPassword, revokeSessionsOf } from '../auth.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, conflict, forbidden, notFound } from '../errors.ts';
import { canManageDelegationsOf, canManageOrganisation, canReceiveDelegation, isHeadRole } from '../../domain/access.ts';
import { AGENCY_TYPES, SECRECY_LEVELS, USER_ROLES, type SecrecyLevel, type UserRole } from '../../domain/model.ts';
import { recordAudit } from '../../store/audit.ts';
import { patchOf } from '../schemas.ts';

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown;
const h = (fn: Handler) => fn;

export const agencyCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'mã cơ quan không hợp lệ');
export const userId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'tên đăng nhập chỉ gồm chữ thường, số, dấu chấm, gạch');
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/** Length here; the rest of the policy (domain/password-policy.ts) where the user's names are known. The demo password predates it. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự`)
  .max(MAX_PASSWORD_LENGTH);
const category = text(1, 120);

export const agencyInput = z
  .object({
    code: agencyCode,
    symbolAbbr: text(1, 20),
    name: text(2, 200),
    type: z.enum(AGENCY_TYPES),
    fields: z.array(category).max(100).default([]),
    headIsUbndMember: z.boolean().default(false),
    parentCode: agencyCode.nullable().optional(),
  })
  .strict();
export const agencyUpdate = patchOf(agencyInput.omit({ code: true })).extend({ headUserId: userId.nullable().optional() }).strict();

export const userInput = z
  .object({
    username: userId,
    fullName: text(2, 200),
    agencyCode,
    position: text(1, 100),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS).default('NONE'),
    password: newPassword,
  })
  .strict();
export const userUpdate = z
  .object({
    fullName: text(2, 200),
    agencyCode,
    position: text(1, 100),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS),
    active: z.boolean(),
  })
  .partial()
  .strict();
export const userListQuery = z
  .object({
    agency: agencyCode.optional(),
    role: z.enum(USER_ROLES).optional(),
    q: z.string().trim().max(100).optional(),
    active: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const delegationInput = z
  .object({
    granteeUserId: userId,
    matterCategories: z.array(category).max(50).default([]),
    dossierIds: z.array(z.string().regex(/^HS-\d{4}-\d{6}$/, 'mã hồ sơ không hợp lệ')).max(50).default([]),
    validFrom: z.string().datetime({ offset: true }),
    validTo: z.string().datetime({ offset: true }),
    reason: text(5, 1000),
  })
  .strict()
  .refine((d) => Date.parse(d.validTo) > Date.parse(d.validFrom), { message: 'thời hạn ủy quyền phải kết thúc sau khi bắt đầu', path: ['validTo'] });
export const delegationListQuery = z
  .object({ agency: agencyCode.optional(), active: z.enum(['true', 'false']).optional() })
  .strict();
const uuid = z.string().uuid('mã không hợp lệ');

type UserRow = { id: string; username: string; full_name: string; agency_code: string; position: string; role: UserRole; clearance: SecrecyLevel; active: boolean; created_at: Date };
const presentUser = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  fullName: u.full_name,
  agencyCode: u.agency_code,
  position: u.position,
  role: u.role,
  clearance: u.clearance,
  active: u.active,
  createdAt: u.created_at,
});
const USER_COLUMNS = 'id, username, full_name, agency_code, position, role, clearance, active, created_at';

type AgencyRow = { code: string; symbol_abbr: string; name: string; type: string; fields: string[]; head_user_id: string | null; head_is_ubnd_member: boolean; parent_code: string | null };
const presentAgency = (a: AgencyRow) => ({
  code: a.code,
  symbolAbbr: a.symbol_abbr,
  name: a.name,
  type: a.type,
  fields: a.fields,
  headUserId: a.head_user_id,
  headIsUbndMember: a.head_is_ubnd_member,
  parentCode: a.parent_code,
});

const isUniqueViolation = (err: unknown) => (err as { driverError?: { code?: string }; code?: string })?.driverError?.code === '23505' || (err as { code?: string })?.code === '23505';

/** Routes under /api/admin. */
export function adminRoutes(deps: ServerDeps) {
  const r = express.Router();
  const audit = (req: Request, action: string, details: Record<string, unknown>) => {
    const user = currentUser(req);
    return recordAudit(deps.ds.manager, { dossierId: null, action, actorUserId: user.id, actorRole: user.role, details });
  };
  const requireAdmin = (req: Request) => {
    if (!canManageOrganisation(currentUser(req))) throw forbidden('Chỉ quản trị hệ thống được quản lý cơ quan và người dùng.');
  };
  async function agencyExists(code: string): Promise<boolean> {
    return ((await deps.ds.query('SELECT 1 FROM agency WHERE code = $1', [code])) as unknown[]).length > 0;
  }
  async function userRow(id: string): Promise<UserRow | undefined> {
    return ((await deps.ds.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id])) as UserRow[])[0];
  }

  // Agencies are public knowledge inside the system (forms pick consulted agencies from them).
  r.get('/agencies', h(async (_req, res) => {
    const rows = (await deps.ds.query('SELECT * FROM agency ORDER BY code')) as AgencyRow[];
    res.json({ items: rows.map(presentAgency) });
  }));

  r.post('/agencies', h(async (req, res) => {
    requireAdmin(req);
    const a = agencyInput.parse(req.body);
    if (a.parentCode && !(await agencyExists(a.parentCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${a.parentCode}.`, { field: 'parentCode' });
    try {
      await deps.ds.query(
        'INSERT INTO agency (code, symbol_abbr, name, type, fields, head_is_ubnd_member, parent_code) VALUES ($1,$2,$3,$4,$5,$6,$7)',
        [a.code, a.symbolAbbr, a.name, a.type, a.fields, a.headIsUbndMember, a.parentCode ?? null],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('AGENCY_EXISTS', `Cơ quan ${a.code} đã có.`);
      throw err;
    }
    await audit(req, 'AGENCY_CREATED', { agency: a });
    const rows = (await deps.ds.query('SELECT * FROM agency WHERE code = $1', [a.code])) as AgencyRow[];
    res.status(201).json({ agency: presentAgency(rows[0]!) });
  }));

  r.patch('/agencies/:code', h(async (req, res) => {
    requireAdmin(req);
    const code = agencyCode.parse(req.params.code);
    const a = agencyUpdate.parse(req.body);
    if (!(await agencyExists(code))) throw notFound(`cơ quan ${code}`);
    if (a.parentCode) {
      if (a.parentCode === code) throw new ApiError(422, 'INVALID_PARENT', 'Cơ quan không thể trực thuộc chính nó.', { field: 'parentCode' });
      if (!(await agencyExists(a.parentCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${a.parentCode}.`, { field: 'parentCode' });
    }
    if (a.headUserId) {
      const head = await userRow(a.headUserId);
      // R-05/R-08: the head is a head (or acting head) of this very agency.
      if (!head || head.agency_code !== code || !(isHeadRole(head.role) || head.role === 'UBND_LEADER') || !head.active) {
        throw new ApiError(422, 'INVALID_HEAD', 'Thủ trưởng phải là người đứng đầu (hoặc Q. Giám đốc) đang hoạt động của chính cơ quan.', { field: 'headUserId' });
      }
    }
    const columns: [string, unknown][] = [
      ['symbol_abbr', a.symbolAbbr],
      ['name', a.name],
      ['type', a.type],
      ['fields', a.fields],
      ['head_is_ubnd_member', a.headIsUbndMember],
      ['parent_code', a.parentCode],
      ['head_user_id', a.headUserId],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    if (set.length > 0) {
      await deps.ds.query(`UPDATE agency SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE code = $1`, [code, ...set.map(([, v]) => v)]);
    }
    await audit(req, 'AGENCY_UPDATED', { agency: code, changes: a });
    const rows = (await deps.ds.query('SELECT * FROM agency WHERE code = $1', [code])) as AgencyRow[];
    res.json({ agency: presentAgency(rows[0]!) });
  }));

  // Administrators list everyone; a head lists the people of their own agency (to pick a deputy).
  r.get('/users', h(async (req, res) => {
    const user = currentUser(req);
    const q = userListQuery.parse(req.query);
    let agency = q.agency;
    if (!canManageOrganisation(user)) {
      if (!isHeadRole(user.role)) throw forbidden();
      if (agency && agency !== user.agencyCode) throw forbidden('Thủ trưởng chỉ xem người dùng của cơ quan mình.');
      agency = user.agencyCode;
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (agency) where.push(`agency_code = ${p(agency)}`);
    if (q.role) where.push(`role = ${p(q.role)}`);
    if (q.active) where.push(`active = ${p(q.active === 'true')}`);
    if (q.q) where.push(`(username ILIKE ${p(`%${q.q}%`)} OR full_name ILIKE ${p(`%${q.q}%`)})`);
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const count = (await deps.ds.query(`SELECT count(*)::int AS n FROM app_user ${sqlWhere}`, params)) as { n: number }[];
    const rows = (await deps.ds.query(
      `SELECT ${USER_COLUMNS} FROM app_user ${sqlWhere} ORDER BY agency_code, username LIMIT ${p(q.pageSize)} OFFSET ${p((q.page - 1) * q.pageSize)}`,
      params,
    )) as UserRow[];
    res.json({ total: count[0]?.n ?? 0, page: q.page, pageSize: q.pageSize, items: rows.map(presentUser) });
  }));

  r.post('/users', h(async (req, res) => {
    requireAdmin(req);
    const u = userInput.parse(req.body);
    if (!(await agencyExists(u.agencyCode))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${u.agencyCode}.`, { field: 'agencyCode' });
    assertStrongPassword(u.password, [u.username, u.fullName]);
    const hash = await hashPassword(u.password);
    try {
      await deps.ds.query(
        'INSERT INTO app_user (id, username, full_name, agency_code, position, role, clearance, password_hash) VALUES ($1,$1,$2,$3,$4,$5,$6,$7)',
        [u.username, u.fullName, u.agencyCode, u.position, u.role, u.clearance, hash],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('USER_EXISTS', `Tên đăng nhập ${u.username} đã có.`);
      throw err;
    }
    await audit(req, 'USER_CREATED', { user: { ...u, password: undefined } });
    res.status(201).json({ user: presentUser((await userRow(u.username))!) });
  }));

  r.patch('/users/:id', h(async (req, res) => {
    requireAdmin(req);
    const actor = currentUser(req);
    const id = userId.parse(req.params.id);
    const changes = userUpdate.parse(req.body);
    const before = await userRow(id);
    if (!before) throw notFound(`người dùng ${id}`);
    if (changes.agencyCode && !(await agencyExists(changes.agencyCode))) {
      throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${changes.agencyCode}.`, { field: 'agencyCode' });
    }
    // No administrator locks the system out by demoting or disabling themselves.
    if (id === actor.id && (changes.active === false || (changes.role && changes.role !== 'ADMIN'))) {
      throw new ApiError(409, 'SELF_LOCKOUT', 'Không thể tự khóa hoặc tự bỏ quyền quản trị của mình.');
    }
    const columns: [string, unknown][] = [
      ['full_name', changes.fullName],
      ['agency_code', changes.agencyCode],
      ['position', changes.position],
      ['role', changes.role],
      ['clearance', changes.clearance],
      ['active', changes.active],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    await deps.ds.transaction(async (m) => {
      if (set.length > 0) await m.query(`UPDATE app_user SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...set.map(([, v]) => v)]);
      const movedOrDemoted = (changes.agencyCode && changes.agencyCode !== before.agency_code) || (changes.role && changes.role !== before.role) || changes.active === false;
      if (movedOrDemoted) {
        // A delegation follows the person and the post: a deputy who leaves either loses it (R-06).
        await m.query('UPDATE delegation SET revoked_at = now() WHERE grantee_user_id = $1 AND revoked_at IS NULL', [id]);
        await m.query('UPDATE agency SET head_user_id = NULL WHERE head_user_id = $1', [id]);
      }
      if (changes.active === false) await revokeSessionsOf(m, id);
      await recordAudit(m, { dossierId: null, action: 'USER_UPDATED', actorUserId: actor.id, actorRole: actor.role, details: { user: id, changes, before: presentUser(before) } });
    });
    res.json({ user: presentUser((await userRow(id))!) });
  }));

  r.post('/users/:id/password', h(async (req, res) => {
    requireAdmin(req);
    const actor = currentUser(req);
    const id = userId.parse(req.params.id);
    const { password } = z.object({ password: newPassword }).strict().parse(req.body);
    const target = await userRow(id);
    if (!target) throw notFound(`người dùng ${id}`);
    assertStrongPassword(password, [target.username, target.full_name]);
    const hash = await hashPassword(password);
    await deps.ds.transaction(async (m) => {
      await m.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [id, hash]);
      // Whoever held the old password is signed out everywhere.
      await revokeSessionsOf(m, id);
      await recordAudit(m, { dossierId: null, action: 'PASSWORD_RESET', actorUserId: actor.id, actorRole: actor.role, details: { user: id } });
    });
    res.status(204).end();
  }));

  type DelegationRow = {
    id: string;
    agency_code: string;
    grantor_user_id: string;
    grantee_user_id: string;
    matter_categories: string[];
    dossier_ids: string[];
    valid_from: Date;
    valid_to: Date;
    reason: string;
    revoked_at: Date | null;
    created_at: Date;
  };
  const presentDelegation = (d: DelegationRow) => ({
    id: d.id,
    agencyCode: d.agency_code,
    grantorUserId: d.grantor_user_id,
    granteeUserId: d.grantee_user_id,
    matterCategories: d.matter_categories,
    dossierIds: d.dossier_ids,
    validFrom: d.valid_from,
    validTo: d.valid_to,
    reason: d.reason,
    revokedAt: d.revoked_at,
    createdAt: d.created_at,
  });

  // Administrators see all delegations; a head those of their agency; a deputy those granted to them.
  r.get('/delegations', h(async (req, res) => {
    const user = currentUser(req);
    const q = delegationListQuery.parse(req.query);
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (canManageOrganisation(user)) {
      if (q.agency) where.push(`agency_code = ${p(q.agency)}`);
    } else if (isHeadRole(user.role)) {
      if (q.agency && q.agency !== user.agencyCode) throw forbidden('Thủ trưởng chỉ xem ủy quyền của cơ quan mình.');
      where.push(`agency_code = ${p(user.agencyCode)}`);
    } else if (user.role === 'DEPUTY') {
      where.push(`grantee_user_id = ${p(user.id)}`);
    } else throw forbidden();
    if (q.active === 'true') where.push('revoked_at IS NULL AND valid_to > now()');
    if (q.active === 'false') where.push('(revoked_at IS NOT NULL OR valid_to <= now())');
    const rows = (await deps.ds.query(
      `SELECT * FROM delegation ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT 500`,
      params,
    )) as DelegationRow[];
    res.json({ items: rows.map(presentDelegation) });
  }));

  // R-06: the head grants a deputy of their own agency the signing, for matters or dossiers, for a period.
  r.post('/delegations', h(async (req, res) => {
    const user = currentUser(req);
    if (!canManageDelegationsOf(user, user.agencyCode)) throw forbidden('Chỉ Thủ trưởng cơ quan được ủy quyền ký thay cho cấp phó (R-06).');
    const d = delegationInput.parse(req.body);
    const grantee = await userRow(d.granteeUserId);
    if (!grantee || !canReceiveDelegation(user, { agencyCode: grantee.agency_code, role: grantee.role, active: grantee.active })) {
      throw new ApiError(422, 'ERR_DEPUTY_NOT_AUTHORIZED', 'Chỉ ủy quyền cho cấp phó đang công tác tại chính cơ quan (R-06).', { rule: 'R-06', field: 'granteeUserId' });
    }
    const rows = (await deps.ds.transaction(async (m) => {
      const inserted = (await m.query(
        `INSERT INTO delegation (agency_code, grantor_user_id, grantee_user_id, matter_categories, dossier_ids, valid_from, valid_to, reason)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
        [user.agencyCode, user.id, grantee.id, d.matterCategories, d.dossierIds, d.validFrom, d.validTo, d.reason],
      )) as DelegationRow[];
      await recordAudit(m, { dossierId: null, action: 'DELEGATION_GRANTED', actorUserId: user.id, actorRole: user.role, ruleId: 'R-06', details: { delegationId: inserted[0]!.id, ...d } });
      return inserted;
    })) as DelegationRow[];
    res.status(201).json({ delegation: presentDelegation(rows[0]!) });
  }));

  r.post('/delegations/:id/revoke', h(async (req, res) => {
    const user = currentUser(req);
    const id = uuid.parse(req.params.id);
    const rows = (await deps.ds.query('SELECT * FROM delegation WHERE id = $1', [id])) as DelegationRow[];
    const d = rows[0];
    // Someone else's delegation does not exist as far as this user can tell.
    if (!d || !canManageDelegationsOf(user, d.agency_code)) throw notFound(`ủy quyền ${id}`);
    await deps.ds.transaction(async (m) => {
      await m.query('UPDATE delegation SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [id]);
      await recordAudit(m, { dossierId: null, action: 'DELEGATION_REVOKED', actorUserId: user.id, actorRole: user.role, ruleId: 'R-06', details: { delegationId: id, granteeUserId: d.grantee_user_id } });
    });
    const after = (await deps.ds.query('SELECT * FROM delegation WHERE id = $1', [id])) as DelegationRow[];
    res.json({ delegation: presentDelegation(after[0]!) });
  }));

  return r;
}
