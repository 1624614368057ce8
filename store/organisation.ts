/** Agencies, users and delegations: the one owner of `agency`, `app_user` and `delegation`. */
import type { DataSource, EntityManager } from 'typeorm';
import type { UserIdentity } from '../domain/access.ts';
import type { AgencyType, SecrecyLevel, UserRole } from '../domain/model.ts';
import type { Agency, Delegation, User } from './entities/organisation.ts';
import { recordAudit, type AuditInput } from './audit.ts';
import { endSessionsOf } from './sessions.ts';

export type { Agency, Delegation, User } from './entities/organisation.ts';

/** Who a signed-in person is: what the access rules weigh, and the names shown. */

/** An account as administrators see it (never its password hash). */
export type UserAccount = Omit<User, 'passwordHash'>;

/** An agency as the organisation's pages show it. */
export type AgencyProfile = Omit<Agency, 'createdAt'>;

type Db = DataSource | EntityManager;

/** Who did a change to the organisation, for its audit event. */
export type Changer = { userId: string; role: string };

const audit = (m: EntityManager, by: Changer, action: string, details: Record<string, unknown>, extra: Partial<AuditInput> = {}) =>
  recordAudit(m, { dossierId: null, action, actorUserId: by.userId, actorRole: by.role, details, ...extra });

// ---- agencies -------------------------------------------------------------------------------

type AgencyRow = { code: string; symbol_abbr: string; name: string; type: AgencyType; fields: string[]; head_user_id: string | null; head_is_ubnd_member: boolean; parent_code: string | null };
const toAgency = (a: AgencyRow): AgencyProfile => ({
  code: a.code,
  symbolAbbr: a.symbol_abbr,
  name: a.name,
  type: a.type,
  fields: a.fields,
  headUserId: a.head_user_id,
  headIsUbndMember: a.head_is_ubnd_member,
  parentCode: a.parent_code,
});

/** Every agency's code. */
export async function agencyCodes(on: Db): Promise<string[]> {
  return ((await on.query('SELECT code FROM agency')) as { code: string }[]).map((a) => a.code);
}

export async function agencyExists(on: Db, code: string): Promise<boolean> {
  return ((await on.query('SELECT 1 FROM agency WHERE code = $1', [code])) as unknown[]).length > 0;
}

/** Every agency, by code. */
export async function listAgencies(on: Db): Promise<AgencyProfile[]> {
  return ((await on.query('SELECT * FROM agency ORDER BY code')) as AgencyRow[]).map(toAgency);
}

export async function agencyByCode(on: Db, code: string): Promise<AgencyProfile | null> {
  const rows = (await on.query('SELECT * FROM agency WHERE code = $1', [code])) as AgencyRow[];
  return rows[0] ? toAgency(rows[0]) : null;
}

/** A unique-key violation: the code or user name is taken. */
const isUniqueViolation = (err: unknown) => (err as { driverError?: { code?: string }; code?: string })?.driverError?.code === '23505' || (err as { code?: string })?.code === '23505';

/** Creates an agency and audits it (`details` as the request gave them); false when its code is taken. */
export async function createAgency(ds: DataSource, a: Omit<AgencyProfile, 'headUserId'>, by: Changer, details: Record<string, unknown>): Promise<boolean> {
  try {
    await ds.query('INSERT INTO agency (code, symbol_abbr, name, type, fields, head_is_ubnd_member, parent_code) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
      a.code,
      a.symbolAbbr,
      a.name,
      a.type,
      a.fields,
      a.headIsUbndMember,
      a.parentCode,
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  await audit(ds.manager, by, 'AGENCY_CREATED', details);
  return true;
}

/** Changes the given fields of an agency (undefined: left as is) and audits it. */
export async function updateAgency(ds: DataSource, code: string, changes: Partial<Omit<AgencyProfile, 'code'>>, by: Changer, details: Record<string, unknown>): Promise<void> {
  const columns: [string, unknown][] = [
    ['symbol_abbr', changes.symbolAbbr],
    ['name', changes.name],
    ['type', changes.type],
    ['fields', changes.fields],
    ['head_is_ubnd_member', changes.headIsUbndMember],
    ['parent_code', changes.parentCode],
    ['head_user_id', changes.headUserId],
  ];
  const set = columns.filter(([, v]) => v !== undefined);
  if (set.length > 0) {
    await ds.query(`UPDATE agency SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE code = $1`, [code, ...set.map(([, v]) => v)]);
  }
  await audit(ds.manager, by, 'AGENCY_UPDATED', details);
}

// ---- users ----------------------------------------------------------------------------------

type UserRow = { id: string; username: string; full_name: string; agency_code: string; position: string; role: UserRole; clearance: SecrecyLevel; active: boolean; created_at: Date };
const USER_COLUMNS = 'id, username, full_name, agency_code, position, role, clearance, active, created_at';
const toUser = (u: UserRow): UserAccount => ({
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

export async function userById(on: Db, id: string): Promise<UserAccount | null> {
  const rows = (await on.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id])) as UserRow[];
  return rows[0] ? toUser(rows[0]) : null;
}

/** An active user by user name (any case), with the password hash to check; null when none. */
export async function userForSignIn(on: Db, username: string): Promise<{ user: UserIdentity; passwordHash: string | null } | null> {
  const rows = (await on.query(
    `SELECT id, username, full_name, agency_code, position, role, clearance, password_hash FROM app_user WHERE lower(username) = lower($1) AND active`,
    [username],
  )) as (Omit<UserRow, 'active' | 'created_at'> & { password_hash: string | null })[];
  const r = rows[0];
  if (!r) return null;
  return {
    user: { id: r.id, username: r.username, fullName: r.full_name, agencyCode: r.agency_code, position: r.position, role: r.role, clearance: r.clearance },
    passwordHash: r.password_hash,
  };
}

/** The password hash of an active user (null: none, or no such active user). */
export async function passwordHashOf(on: Db, userId: string): Promise<string | null> {
  const rows = (await on.query('SELECT password_hash FROM app_user WHERE id = $1 AND active', [userId])) as { password_hash: string | null }[];
  return rows[0]?.password_hash ?? null;
}

export type UserFilter = { agencyCode?: string; role?: UserRole; active?: boolean; text?: string; page: number; pageSize: number };

/** A page of users by agency and user name, and how many match. */
export async function listUsers(on: Db, f: UserFilter): Promise<{ total: number; items: UserAccount[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.agencyCode) where.push(`agency_code = ${p(f.agencyCode)}`);
  if (f.role) where.push(`role = ${p(f.role)}`);
  if (f.active !== undefined) where.push(`active = ${p(f.active)}`);
  if (f.text) where.push(`(username ILIKE ${p(`%${f.text}%`)} OR full_name ILIKE ${p(`%${f.text}%`)})`);
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const count = (await on.query(`SELECT count(*)::int AS n FROM app_user ${sqlWhere}`, params)) as { n: number }[];
  const rows = (await on.query(`SELECT ${USER_COLUMNS} FROM app_user ${sqlWhere} ORDER BY agency_code, username LIMIT ${p(f.pageSize)} OFFSET ${p((f.page - 1) * f.pageSize)}`, params)) as UserRow[];
  return { total: count[0]?.n ?? 0, items: rows.map(toUser) };
}

export type NewUser = Pick<User, 'username' | 'fullName' | 'agencyCode' | 'position' | 'role' | 'clearance'> & { passwordHash: string };

/** Creates a user (id = user name) and audits it; false when the name is taken. */
export async function createUser(ds: DataSource, u: NewUser, by: Changer, details: Record<string, unknown>): Promise<boolean> {
  try {
    await ds.query('INSERT INTO app_user (id, username, full_name, agency_code, position, role, clearance, password_hash) VALUES ($1,$1,$2,$3,$4,$5,$6,$7)', [
      u.username,
      u.fullName,
      u.agencyCode,
      u.position,
      u.role,
      u.clearance,
      u.passwordHash,
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  await audit(ds.manager, by, 'USER_CREATED', details);
  return true;
}

export type UserChanges = Partial<Pick<User, 'fullName' | 'agencyCode' | 'position' | 'role' | 'clearance' | 'active'>>;

/**
 * Changes a user and audits it, in one transaction. A user moved to another agency or role, or
 * deactivated, loses the delegations granted to them and any agency's head post (R-06: a
 * delegation follows the person and the post); a deactivated one also loses their sessions.
 */
export async function updateUser(ds: DataSource, before: UserAccount, changes: UserChanges, by: Changer, details: Record<string, unknown>): Promise<void> {
  const id = before.id;
  const columns: [string, unknown][] = [
    ['full_name', changes.fullName],
    ['agency_code', changes.agencyCode],
    ['position', changes.position],
    ['role', changes.role],
    ['clearance', changes.clearance],
    ['active', changes.active],
  ];
  const set = columns.filter(([, v]) => v !== undefined);
  await ds.transaction(async (m) => {
    if (set.length > 0) await m.query(`UPDATE app_user SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...set.map(([, v]) => v)]);
    const movedOrDemoted = (changes.agencyCode && changes.agencyCode !== before.agencyCode) || (changes.role && changes.role !== before.role) || changes.active === false;
    if (movedOrDemoted) {
      await m.query('UPDATE delegation SET revoked_at = now() WHERE grantee_user_id = $1 AND revoked_at IS NULL', [id]);
      await m.query('UPDATE agency SET head_user_id = NULL WHERE head_user_id = $1', [id]);
    }
    if (changes.active === false) await endSessionsOf(m, id);
    await audit(m, by, 'USER_UPDATED', details);
  });
}

/**
 * Sets a user's password hash and audits it (`action`), in one transaction with the end of the
 * user's sessions: all of them, or all but the one of `keepSessionHash` (one's own change).
 */
export async function setPassword(
  ds: DataSource,
  userId: string,
  passwordHash: string,
  by: Changer & { action: 'PASSWORD_CHANGED' | 'PASSWORD_RESET'; keepSessionHash?: string },
): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query('UPDATE app_user SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
    await endSessionsOf(m, userId, by.keepSessionHash);
    await audit(m, by, by.action, { user: userId });
  });
}

// ---- delegations (R-06) ---------------------------------------------------------------------

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
/** The one mapping of a delegation row. */
const toDelegation = (d: DelegationRow): Delegation => ({
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

/** A delegation of signing authority (R-06), or null. */
export async function delegationById(on: Db, id: string): Promise<Delegation | null> {
  const rows = (await on.query('SELECT * FROM delegation WHERE id = $1', [id])) as DelegationRow[];
  return rows[0] ? toDelegation(rows[0]) : null;
}

/** The unrevoked delegations of an agency granted to a user, latest ending first, with the agency's head now. */
export async function delegationsGrantedTo(on: Db, granteeUserId: string, agencyCode: string): Promise<(Delegation & { agencyHeadUserId: string | null })[]> {
  const rows = (await on.query(
    `SELECT d.*, a.head_user_id FROM delegation d JOIN agency a ON a.code = d.agency_code
     WHERE d.grantee_user_id = $1 AND d.agency_code = $2 AND d.revoked_at IS NULL ORDER BY d.valid_to DESC`,
    [granteeUserId, agencyCode],
  )) as (DelegationRow & { head_user_id: string | null })[];
  return rows.map((r) => ({ ...toDelegation(r), agencyHeadUserId: r.head_user_id }));
}

/** Which delegations: of an agency, or granted to a user; active (unrevoked, not ended) or not. */
export type DelegationFilter = { agencyCode?: string; granteeUserId?: string; active?: boolean };

/** The newest 500 delegations matching. */
export async function listDelegations(on: Db, f: DelegationFilter): Promise<Delegation[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.agencyCode) where.push(`agency_code = ${p(f.agencyCode)}`);
  if (f.granteeUserId) where.push(`grantee_user_id = ${p(f.granteeUserId)}`);
  if (f.active === true) where.push('revoked_at IS NULL AND valid_to > now()');
  if (f.active === false) where.push('(revoked_at IS NOT NULL OR valid_to <= now())');
  const rows = (await on.query(`SELECT * FROM delegation ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT 500`, params)) as DelegationRow[];
  return rows.map(toDelegation);
}

export type NewDelegation = Pick<Delegation, 'agencyCode' | 'grantorUserId' | 'granteeUserId' | 'matterCategories' | 'dossierIds' | 'reason'> & { validFrom: string | Date; validTo: string | Date };

/** Records a delegation and its audit event (`details` as the request gave them) in one transaction. */
export async function grantDelegation(ds: DataSource, d: NewDelegation, by: Changer, details: Record<string, unknown>): Promise<Delegation> {
  return ds.transaction(async (m) => {
    const inserted = (await m.query(
      `INSERT INTO delegation (agency_code, grantor_user_id, grantee_user_id, matter_categories, dossier_ids, valid_from, valid_to, reason)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
      [d.agencyCode, d.grantorUserId, d.granteeUserId, d.matterCategories, d.dossierIds, d.validFrom, d.validTo, d.reason],
    )) as DelegationRow[];
    const row = toDelegation(inserted[0]!);
    await audit(m, by, 'DELEGATION_GRANTED', { delegationId: row.id, ...details }, { ruleId: 'R-06' });
    return row;
  });
}

/** Revokes a delegation (the first revocation's time stays) and audits it; answers it as it is now. */
export async function revokeDelegation(ds: DataSource, d: Delegation, by: Changer): Promise<Delegation> {
  await ds.transaction(async (m) => {
    await m.query('UPDATE delegation SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [d.id]);
    await audit(m, by, 'DELEGATION_REVOKED', { delegationId: d.id, granteeUserId: d.granteeUserId }, { ruleId: 'R-06' });
  });
  return (await delegationById(ds, d.id))!;
}

/** The names of these agencies, by code (those that exist). */
export async function agencyNames(on: DataSource | EntityManager, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = (await on.query('SELECT code, name FROM agency WHERE code = ANY($1::text[])', [codes])) as { code: string; name: string }[];
  return new Map(rows.map((a) => [a.code, a.name]));
}

/** The full names of these users, by id (those that exist). */
export async function userNames(on: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await on.query('SELECT id, full_name FROM app_user WHERE id = ANY($1::text[])', [ids])) as { id: string; full_name: string }[];
  return new Map(rows.map((u) => [u.id, u.full_name]));
}
