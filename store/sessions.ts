/**
 * Sessions and the sign-in limits: the one owner of `user_session`, `login_failure` and
 * `login_known_address`. Sessions are named by the hash of their id; the id itself is never stored.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { UserIdentity } from '../domain/access.ts';

/** The recent failures of a user name and of an address, as the sign-in limits weigh them. */
export type SignInCounts = {
  /** Failures of the user name within its window. */
  account: number;
  /** Milliseconds since the user name's latest failure (null: none). */
  sinceMs: number | null;
  /** Failures from the address within its window. */
  address: number;
  /** Milliseconds until the oldest of the address's counted failures leaves its window (null: none). */
  addressWaitMs: number | null;
  /** The user signed in from this address within knownAddressTtlMs. */
  known: boolean;
};

export type SignInWindows = { accountWindowMs: number; failureWindowMs: number; maxFailuresPerAddress: number; knownAddressTtlMs: number };

/**
 * Weighs a sign-in attempt by `decide` (a refusal it throws leaves nothing recorded) and, when it may
 * go ahead, records it as a failure before the password is compared, so parallel guesses see each
 * other; a success removes it again. Locks on the name and the address keep the check and the record
 * one step. Answers the recorded attempt's id.
 */
export async function admitSignIn(ds: DataSource, attempt: { address: string; name: string }, windows: SignInWindows, decide: (counts: SignInCounts) => void): Promise<string> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1)), pg_advisory_xact_lock(hashtext($2))', [`login-name:${attempt.name}`, `login-address:${attempt.address}`]);
    const rows = (await m.query(
      `SELECT
         (SELECT count(*)::int FROM login_failure WHERE username = $1 AND at > now() - ($3 || ' milliseconds')::interval) AS account,
         (SELECT extract(epoch FROM (now() - max(at))) * 1000 FROM login_failure WHERE username = $1 AND at > now() - ($3 || ' milliseconds')::interval) AS since_ms,
         (SELECT count(*)::int FROM login_failure WHERE address = $2 AND at > now() - ($4 || ' milliseconds')::interval) AS address,
         (SELECT extract(epoch FROM (min(at) + ($4 || ' milliseconds')::interval - now())) * 1000 FROM
            (SELECT at FROM login_failure WHERE address = $2 AND at > now() - ($4 || ' milliseconds')::interval ORDER BY at DESC LIMIT $5) recent) AS address_wait_ms,
         EXISTS (SELECT 1 FROM login_known_address WHERE username = $1 AND address = $2 AND last_at > now() - ($6 || ' milliseconds')::interval) AS known`,
      [attempt.name, attempt.address, String(windows.accountWindowMs), String(windows.failureWindowMs), windows.maxFailuresPerAddress, String(windows.knownAddressTtlMs)],
    )) as { account: number; since_ms: number | string | null; address: number; address_wait_ms: number | string | null; known: boolean }[];
    const c = rows[0]!;
    decide({
      account: c.account,
      sinceMs: c.since_ms === null ? null : Number(c.since_ms),
      address: c.address,
      addressWaitMs: c.address_wait_ms === null ? null : Number(c.address_wait_ms),
      known: c.known,
    });
    const inserted = (await m.query('INSERT INTO login_failure (address, username) VALUES ($1, $2) RETURNING id', [attempt.address, attempt.name])) as { id: string }[];
    return inserted[0]!.id;
  });
}

/** Forgets failures older than `olderThanMs` (every name's and address's). */
export async function pruneSignInFailures(ds: DataSource, olderThanMs: number): Promise<void> {
  await ds.query("DELETE FROM login_failure WHERE at < now() - ($1 || ' milliseconds')::interval", [String(olderThanMs)]);
}

/** Forgets every failure of a user name, from every address (it signed in). */
export async function clearSignInFailures(ds: DataSource, name: string): Promise<void> {
  await ds.query('DELETE FROM login_failure WHERE username = $1', [name]);
}

/** Forgets one recorded attempt (it turned out right). */
export async function forgetSignInAttempt(ds: DataSource, attemptId: string): Promise<void> {
  await ds.query('DELETE FROM login_failure WHERE id = $1', [attemptId]);
}

/** Keeps an address open to a user who signed in from it, and forgets addresses unused for `ttlMs`. */
export async function rememberSignInAddress(ds: DataSource, name: string, address: string, ttlMs: number): Promise<void> {
  await ds.query(`INSERT INTO login_known_address (username, address) VALUES ($1, $2) ON CONFLICT (username, address) DO UPDATE SET last_at = now()`, [name, address]);
  await ds.query(`DELETE FROM login_known_address WHERE last_at < now() - ($1 || ' milliseconds')::interval`, [String(ttlMs)]);
}

/** Ends the session of that id hash, if any. */
export async function endSession(ds: DataSource, idHash: string): Promise<void> {
  await ds.query('DELETE FROM user_session WHERE id_hash = $1', [idHash]);
}

/** Forgets expired sessions, then opens a new one. */
export async function openSession(ds: DataSource, s: { idHash: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
  await ds.query('DELETE FROM user_session WHERE expires_at < now()');
  await ds.query(`INSERT INTO user_session (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`, [s.idHash, s.userId, s.csrfToken, s.expiresAt]);
}

/** A live session: its user (active), its CSRF token and how long it has been idle. */
export type LiveSession = { user: UserIdentity; csrfToken: string; idleMs: number };

/** The live session of that id hash: not expired, not idle longer than `idleTtlMs`, its user active; else null. */
export async function liveSession(ds: DataSource, idHash: string, idleTtlMs: number): Promise<LiveSession | null> {
  const rows = (await ds.query(
    `SELECT s.csrf_token, u.id, u.username, u.full_name, u.agency_code, u.position, u.role, u.clearance,
       extract(epoch FROM (now() - s.last_seen_at)) * 1000 AS idle_ms
     FROM user_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND u.active AND s.expires_at > now() AND s.last_seen_at > now() - ($2 || ' milliseconds')::interval`,
    [idHash, String(idleTtlMs)],
  )) as ({ csrf_token: string; idle_ms: string | number; full_name: string; agency_code: string } & Pick<UserIdentity, 'id' | 'username' | 'position' | 'role' | 'clearance'>)[];
  const r = rows[0];
  if (!r) return null;
  return {
    user: { id: r.id, username: r.username, fullName: r.full_name, agencyCode: r.agency_code, position: r.position, role: r.role, clearance: r.clearance },
    csrfToken: r.csrf_token,
    idleMs: Number(r.idle_ms),
  };
}

/** Moves a session's idle clock to now. */
export async function touchSession(ds: DataSource, idHash: string): Promise<void> {
  await ds.query('UPDATE user_session SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
}

/** Ends every session of a user (password reset, deactivation), or every one but `exceptIdHash`. */
export async function endSessionsOf(m: EntityManager | DataSource, userId: string, exceptIdHash?: string): Promise<void> {
  if (exceptIdHash === undefined) await m.query('DELETE FROM user_session WHERE user_id = $1', [userId]);
  else await m.query('DELETE FROM user_session WHERE user_id = $1 AND id_hash <> $2', [userId, exceptIdHash]);
}
