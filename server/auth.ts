/**
 * Sign-in with sessions kept in PostgreSQL: an http-only SameSite=Strict cookie holds a random
 * id (only its hash is stored); every state-changing request also carries the session's CSRF
 * token in a header; failed sign-ins are limited per user name (growing waits) and per address.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { ApiError } from './errors.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '../domain/password-policy.ts';
import { z } from 'zod';
import { passwordHashOf, setPassword, userForSignIn } from '../store/organisation.ts';
import type { UserIdentity } from '../domain/access.ts';
import {
  admitSignIn,
  clearSignInFailures,
  endSession,
  forgetSignInAttempt,
  liveSession,
  openSession,
  pruneSignInFailures,
  rememberSignInAddress,
  touchSession,
} from '../store/sessions.ts';

export const SESSION_COOKIE = 'hst_sid';
export const CSRF_HEADER = 'x-csrf-token';

export type SessionUser = UserIdentity;

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    csrfToken?: string;
    /** The hash of the session id, naming the session without revealing it (per-session limits). */
    sessionKey?: string;
  }
}

export type AuthOptions = {
  absoluteTtlMs: number;
  idleTtlMs: number;
  secureCookie: boolean;
  /** Failed sign-ins allowed for one user name, from any address, before each further try must wait. */
  maxFailures: number;
  /** The first wait past maxFailures; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a user name's failures count (a success clears them). */
  accountWindowMs: number;
  /** Failed sign-ins allowed per address, whatever the user names (password spraying). */
  maxFailuresPerAddress: number;
  failureWindowMs: number;
  /** How long an address a user signed in from stays open to that user while the address is blocked. */
  knownAddressTtlMs: number;
};

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  absoluteTtlMs: 8 * 3600_000,
  idleTtlMs: 60 * 60_000,
  secureCookie: false,
  maxFailures: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  accountWindowMs: 24 * 3600_000,
  maxFailuresPerAddress: 50,
  failureWindowMs: 15 * 60_000,
  knownAddressTtlMs: 30 * 86_400_000,
};

/** How long a user name must wait after its n-th failure in a row (0 while n < maxFailures). */
export function accountDelayMs(failures: number, opts: Pick<AuthOptions, 'maxFailures' | 'baseDelayMs' | 'maxDelayMs'>): number {
  if (failures < opts.maxFailures) return 0;
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(30, failures - opts.maxFailures));
}

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

  const tooMany = (res: Response, waitMs: number) => {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    res.setHeader('retry-after', String(seconds));
    const when = seconds < 120 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`;
    return new ApiError(429, 'TOO_MANY_ATTEMPTS', `Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ${when}.`, { details: { retryAfterSeconds: seconds } });
  };

  /**
   * Checks both limits and, when the try may go ahead, records it as a failure before the password
   * is compared, so parallel guesses see each other; a success removes it again. Locks on the name
   * and the address keep the check and the record one step.
   */
  async function admit(res: Response, address: string, name: string): Promise<string> {
    return admitSignIn(ds, { address, name }, opts, (c) => {
      // Per user name, known or not (the same answer either way): growing waits, never a permanent lock.
      const wait = accountDelayMs(c.account, opts) - (c.sinceMs ?? 0);
      if (wait > 0) throw tooMany(res, wait);
      // Per address; a user who signed in from here before is not locked out by guesses under other names.
      if (c.address >= opts.maxFailuresPerAddress && !c.known) throw tooMany(res, c.addressWaitMs ?? opts.failureWindowMs);
    });
  }

  async function login(req: Request, res: Response, username: string, password: string): Promise<{ user: SessionUser; csrfToken: string }> {
    // The socket's address unless TRUST_PROXY names the proxies whose X-Forwarded-For is believed.
    const address = req.ip ?? '-';
    const name = username.toLowerCase();
    const now = Date.now();
    // Counted in the database, so the limits hold across every server instance.
    await admit(res, address, name);
    const found = await userForSignIn(ds, username);
    const ok = await bcrypt.compare(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !found.passwordHash || !ok) {
      await pruneSignInFailures(ds, Math.max(opts.accountWindowMs, opts.failureWindowMs));
      throw new ApiError(401, 'INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    // A success clears the name's failures (from every address) and keeps this address open to the user.
    await clearSignInFailures(ds, name);
    await rememberSignInAddress(ds, name, address, opts.knownAddressTtlMs);
    // A new session id on every sign-in (no fixation); the browser's previous one ends, expired ones go.
    const previous = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (previous) await endSession(ds, hash(previous));
    const sid = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await openSession(ds, { idHash: hash(sid), userId: found.user.id, csrfToken, expiresAt: new Date(now + opts.absoluteTtlMs) });
    setCookie(res, sid, opts.absoluteTtlMs);
    return { user: found.user, csrfToken };
  }

  /**
   * One's own password change: the current password is checked under the same per-account limit as
   * sign-in (a borrowed session must not guess it), the new one against the policy; every other
   * session of the user ends, this one stays.
   */
  async function changePassword(req: Request, res: Response, currentPassword: string, newPassword: string): Promise<void> {
    const user = currentUser(req);
    const name = user.username.toLowerCase();
    const attempt = await admit(res, req.ip ?? '-', name);
    const passwordHash = await passwordHashOf(ds, user.id);
    const ok = await bcrypt.compare(currentPassword, passwordHash ?? DUMMY_HASH);
    if (!ok || !passwordHash) {
      throw new ApiError(403, 'WRONG_CURRENT_PASSWORD', 'Mật khẩu hiện tại không đúng.', { field: 'currentPassword' });
    }
    await forgetSignInAttempt(ds, attempt);
    if (newPassword === currentPassword) throw new ApiError(422, 'SAME_PASSWORD', 'Mật khẩu mới phải khác mật khẩu hiện tại.', { field: 'newPassword' });
    assertStrongPassword(newPassword, [user.username, user.fullName], 'newPassword');
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE] ?? '';
    await setPassword(ds, user.id, await hashPassword(newPassword), { userId: user.id, role: user.role, action: 'PASSWORD_CHANGED', keepSessionHash: hash(sid) });
  }

  async function logout(req: Request, res: Response): Promise<void> {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (sid) await endSession(ds, hash(sid));
    setCookie(res, '', 0);
  }

  /** Attaches req.user when the cookie names a live session; expired sessions are refused. */
  const authenticate: RequestHandler = (req, _res, next) => {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!sid) return next();
    const idHash = hash(sid);
    liveSession(ds, idHash, opts.idleTtlMs)
      .then(async (session) => {
        // The idle clock moves in steps, so a burst of requests costs one write, not one each.
        if (session && session.idleMs > Math.min(60_000, opts.idleTtlMs / 10)) await touchSession(ds, idHash);
        if (session) {
          req.user = session.user;
          req.csrfToken = session.csrfToken;
          req.sessionKey = idHash;
        }
        next();
      })
      .catch(next);
  };

  return { login, logout, changePassword, authenticate };
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

/** The body of POST /api/auth/password: the current password, and the new one (length here, the rest of the policy after). */
export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    newPassword: z.string().min(MIN_PASSWORD_LENGTH, `mật khẩu mới cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự`).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

/** Refuses (422 WEAK_PASSWORD, naming why) a new password the policy does not allow. */
export function assertStrongPassword(password: string, names: readonly string[], field = 'password'): void {
  const problem = passwordProblem(password, names);
  if (problem) throw new ApiError(422, 'WEAK_PASSWORD', problem, { field });
}

export function currentUser(req: Request): SessionUser {
  if (!req.user) throw new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.');
  return req.user;
}
