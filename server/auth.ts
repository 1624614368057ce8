/**
 * Sign-in with sessions kept in PostgreSQL: an http-only SameSite=Strict cookie holds a random
 * id (only its hash is stored); every state-changing request also carries the session's CSRF
 * token in a header; failed sign-ins are rate-limited per user name and address, and per address.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import bcrypt from 'bcryptjs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../domain/access.ts';
import type { SecrecyLevel, UserRole } from '../domain/model.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'hst_sid';
export const CSRF_HEADER = 'x-csrf-token';

export type SessionUser = Actor & { username: string; fullName: string; position: string };

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    csrfToken?: string;
  }
}

export type AuthOptions = {
  absoluteTtlMs: number;
  idleTtlMs: number;
  secureCookie: boolean;
  /** Failed sign-ins allowed per user name and address within the window. */
  maxFailures: number;
  /** Failed sign-ins allowed per address, whatever the user names (password spraying). */
  maxFailuresPerAddress: number;
  failureWindowMs: number;
};

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  absoluteTtlMs: 8 * 3600_000,
  idleTtlMs: 60 * 60_000,
  secureCookie: false,
  maxFailures: 5,
  maxFailuresPerAddress: 50,
  failureWindowMs: 15 * 60_000,
};

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 10);
}

/** The request's cookies; one that does not decode (another app's, on the same host) is skipped. */
function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // URIError: malformed percent-encoding
    }
  }
  return out;
}

// A constant hash to compare against when the user does not exist, so timing does not tell.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export function createAuth(ds: DataSource, opts: AuthOptions = DEFAULT_AUTH_OPTIONS) {

  function setCookie(res: Response, value: string, maxAgeMs: number): void {
    const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
    if (opts.secureCookie) parts.push('Secure');
    res.setHeader('set-cookie', parts.join('; '));
  }

  async function login(req: Request, res: Response, username: string, password: string): Promise<{ user: SessionUser; csrfToken: string }> {
    const address = req.ip ?? '-';
    const name = username.toLowerCase();
    const now = Date.now();
    // Counted in the database, so the limit holds across every server instance.
    const windowStart = new Date(now - opts.failureWindowMs);
    const counts = (await ds.query(
      `SELECT count(*) FILTER (WHERE username = $2)::int AS mine, count(*)::int AS address FROM login_failure WHERE address = $1 AND at > $3`,
      [address, name, windowStart],
    )) as { mine: number; address: number }[];
    if ((counts[0]?.mine ?? 0) >= opts.maxFailures || (counts[0]?.address ?? 0) >= opts.maxFailuresPerAddress) {
      throw new ApiError(429, 'TOO_MANY_ATTEMPTS', `Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ${Math.ceil(opts.failureWindowMs / 60_000)} phút.`);
    }
    const rows = (await ds.query(
      `SELECT id, username, full_name, agency_code, position, role, clearance, password_hash FROM app_user WHERE lower(username) = lower($1) AND active`,
      [username],
    )) as { id: string; username: string; full_name: string; agency_code: string; position: string; role: UserRole; clearance: SecrecyLevel; password_hash: string | null }[];
    const row = rows[0];
    const ok = await bcrypt.compare(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !row.password_hash || !ok) {
      await ds.query('INSERT INTO login_failure (address, username) VALUES ($1, $2)', [address, name]);
      await ds.query('DELETE FROM login_failure WHERE at < $1', [windowStart]);
      throw new ApiError(401, 'INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    await ds.query('DELETE FROM login_failure WHERE address = $1 AND username = $2', [address, name]);
    // A new session id on every sign-in (no fixation); the browser's previous one ends, expired ones go.
    const previous = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (previous) await ds.query('DELETE FROM user_session WHERE id_hash = $1', [hash(previous)]);
    await ds.query('DELETE FROM user_session WHERE expires_at < now()');
    const sid = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await ds.query(`INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`, [
      hash(sid),
      row.id,
      csrfToken,
      new Date(now + opts.absoluteTtlMs),
    ]);
    setCookie(res, sid, opts.absoluteTtlMs);
    return {
      user: { id: row.id, username: row.username, fullName: row.full_name, agencyCode: row.agency_code, position: row.position, role: row.role, clearance: row.clearance },
      csrfToken,
    };
  }

  async function logout(req: Request, res: Response): Promise<void> {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (sid) await ds.query('DELETE FROM user_session WHERE id_hash = $1', [hash(sid)]);
    setCookie(res, '', 0);
  }

  /** Attaches req.user when the cookie names a live session; expired sessions are refused. */
  const authenticate: RequestHandler = (req, _res, next) => {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!sid) return next();
    const idHash = hash(sid);
    ds.query(
      `SELECT s.csrf_token, u.id, u.username, u.full_name, u.agency_code, u.position, u.role, u.clearance,
         extract(epoch FROM (now() - s.last_seen_at)) * 1000 AS idle_ms
       FROM user_session s JOIN app_user u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND u.active AND s.expires_at > now() AND s.last_seen_at > now() - ($2 || ' milliseconds')::interval`,
      [idHash, String(opts.idleTtlMs)],
    )
      .then(async (result: unknown) => {
        const rows = result as Record<string, string>[];
        const r = rows[0];
        // The idle clock moves in steps, so a burst of requests costs one write, not one each.
        if (r && Number(r.idle_ms) > Math.min(60_000, opts.idleTtlMs / 10)) {
          await ds.query('UPDATE user_session SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
        }
        if (r) {
          req.user = {
            id: r.id!,
            username: r.username!,
            fullName: r.full_name!,
            agencyCode: r.agency_code!,
            position: r.position!,
            role: r.role as UserRole,
            clearance: r.clearance as SecrecyLevel,
          };
          req.csrfToken = r.csrf_token;
        }
        next();
      })
      .catch(next);
  };

  return { login, logout, authenticate };
}

/** Refuses anonymous requests, and state-changing ones without the session's CSRF token. */
export function requireUser(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user) return next(new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.'));
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    const given = req.get(CSRF_HEADER) ?? '';
    const expected = req.csrfToken ?? '';
    const ok = given.length === expected.length && given.length > 0 && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) return next(new ApiError(403, 'CSRF_INVALID', 'Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF).'));
  }
  next();
}

/** Ends every session of a user (password reset, deactivation). */
export async function revokeSessionsOf(m: EntityManager | DataSource, userId: string): Promise<void> {
  await m.query('DELETE FROM user_session WHERE user_id = $1', [userId]);
}

export function currentUser(req: Request): SessionUser {
  if (!req.user) throw new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.');
  return req.user;
}
