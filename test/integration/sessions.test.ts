/**
 * Sign-in, sessions and the organisation API against the real server and database: cookie and
 * headers, CSRF, logout, idle and absolute expiry, the failed sign-in limit, error hygiene,
 * administrators managing users, a head granting and revoking a deputy's delegation.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { expectRule, refusal } from '../support/engine.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { createApp } from '../../server/app.ts';
import { DEFAULT_AUTH_OPTIONS } from '../../server/auth.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import { EventHub } from '../../server/events.ts';

describe('sign-in and sessions', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should set an http-only SameSite=Strict session cookie and the security headers, and never store the session id itself', async () => {
    // when a user signs in
    const res = await fetch(`${env.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sct.chuyenvien', password: DEMO_PASSWORD }) });

    // then the cookie is http-only and strict, the answer carries the headers, and only a hash is stored
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hst_sid=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-powered-by')).toBeNull();
    const sid = cookie.split(';')[0]!.split('=')[1]!;
    const stored = (await env.ds.query('SELECT count(*)::int AS n FROM user_session WHERE id_hash = $1', [sid])) as { n: number }[];
    expect(stored[0]!.n).toBe(0);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).not.toHaveProperty('passwordHash');
  });

  it('should refuse a state-changing request without the CSRF header or with a wrong one, and accept it with the right one', async () => {
    // given a signed-in specialist and a state-changing route
    const user = await env.as('sct.chuyenvien');
    const body = { practicalBasis: 'Cơ sở thực tiễn.' };

    // when the header is missing or wrong
    const missing = await refusal(user.request('PATCH', '/api/dossiers/HS-2026-999999', body, { csrf: false }));
    const token = user.csrfToken;
    user.csrfToken = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    const wrong = await refusal(user.request('PATCH', '/api/dossiers/HS-2026-999999', body));
    user.csrfToken = token;

    // then both are refused before anything else happens; with the token the route itself answers
    expectRule(missing, 403, 'CSRF_INVALID');
    expectRule(wrong, 403, 'CSRF_INVALID');
    expectRule(await refusal(user.request('PATCH', '/api/dossiers/HS-2026-999999', body)), 404, 'NOT_FOUND');
    // and a GET needs no token
    expect(await user.request('GET', '/api/auth/me', undefined, { csrf: false })).toMatchObject({ user: { id: 'sct.chuyenvien' } });
  });

  it('should end the session on logout', async () => {
    const user = await env.as('sct.chuyenvien');
    await user.post('/api/auth/logout');
    expectRule(await refusal(user.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
  });

  it('should keep working when another cookie on the host does not decode', async () => {
    // given another app's malformed cookie beside ours (decodeURIComponent throws on it)
    const malformed = 'a=%E0%A4%A';
    const login = await fetch(`${env.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: malformed },
      body: JSON.stringify({ username: 'sct.chuyenvien', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const session = login.headers.get('set-cookie')!.split(';')[0]!;

    // when the session is used with the malformed cookie before and after it
    const me = await fetch(`${env.baseUrl}/api/auth/me`, { headers: { cookie: `${malformed}; ${session}; b=%ZZ` } });
    const anonymous = await fetch(`${env.baseUrl}/api/auth/me`, { headers: { cookie: malformed } });

    // then the session still works, and without one the answer is 401, not 500
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe('sct.chuyenvien');
    expect(anonymous.status).toBe(401);
  });

  it('should expire a session idle longer than the idle limit, and one past its absolute limit', async () => {
    // given two sessions
    const idle = await env.as('sct.chuyenvien');
    const old = await env.as('sct.giamdoc');
    expect(await idle.get('/api/auth/me')).toBeTruthy();

    // when one has not been seen for longer than the idle limit, and the other is past its end
    await env.ds.query(`UPDATE user_session SET last_seen_at = now() - ($1 || ' milliseconds')::interval - interval '1 minute' WHERE user_id = 'sct.chuyenvien'`, [
      String(DEFAULT_AUTH_OPTIONS.idleTtlMs),
    ]);
    await env.ds.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = 'sct.giamdoc'`);

    // then both must sign in again
    expectRule(await refusal(idle.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    expectRule(await refusal(old.get('/api/tasks')), 401, 'UNAUTHENTICATED');
  });

  it('should expire a session after a short idle TTL given to createApp', async () => {
    // given a server whose sessions end after 300 ms without a request
    const app = createApp(
      { ...env.deps, policy: DEFAULT_POLICY, events: new EventHub() },
      { ...DEFAULT_AUTH_OPTIONS, idleTtlMs: 300 },
    );
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const address = server.address();
      const client = await new ApiClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`).login('sct.chuyenvien', DEMO_PASSWORD);
      expect(await client.get('/api/auth/me')).toBeTruthy();

      // when the user waits longer than that
      await new Promise((r) => setTimeout(r, 600));

      // then the session is over
      expectRule(await refusal(client.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    } finally {
      await new Promise((r) => server.close(() => r(null)));
      server.closeAllConnections?.();
    }
  });

  it('should block sign-in after 5 failures for that name and address, even with the right password, and record them in the database', async () => {
    // given five wrong passwords for snv.vanthu
    const client = new ApiClient(env.baseUrl);
    for (let i = 0; i < 5; i++) expectRule(await refusal(client.login('snv.vanthu', `sai-mat-khau-${i}`)), 401, 'INVALID_CREDENTIALS');

    // when the right password comes next
    const blocked = await refusal(client.login('snv.vanthu', DEMO_PASSWORD));

    // then it is refused with 429, counted where every server instance sees it; other users are not affected
    expectRule(blocked, 429, 'TOO_MANY_ATTEMPTS');
    const rows = (await env.ds.query(`SELECT count(*)::int AS n FROM login_failure WHERE username = 'snv.vanthu'`)) as { n: number }[];
    expect(rows[0]!.n).toBe(5);
    expect((await new ApiClient(env.baseUrl).login('snv.chuyenvien', DEMO_PASSWORD)).user?.id).toBe('snv.chuyenvien');
    // and an unknown user name costs the same answer as a wrong password
    expectRule(await refusal(new ApiClient(env.baseUrl).login('khong.ton.tai', DEMO_PASSWORD)), 401, 'INVALID_CREDENTIALS');
  });

  it('should answer malformed, oversized or unknown requests without stack traces or SQL', async () => {
    const user = await env.as('sct.chuyenvien');
    const malformed = await refusal(user.request('POST', '/api/tasks/abc/claim', '{"broken":'));
    // 1 MB is the limit outside the routes that carry documents
    const big = await refusal(user.request('POST', '/api/dossiers/HS-2026-000001/opinions/STC/waive', { reason: 'x'.repeat(1_100_000) }));
    const unknown = await refusal(user.get('/api/khong-co'));
    const badParam = await refusal(user.get(`/api/dossiers/${encodeURIComponent("1' OR '1'='1")}`));
    const badQuery = await refusal(user.get('/api/tasks?sortBy=assignee'));
    expectRule(malformed, 400, 'MALFORMED_JSON');
    expectRule(big, 413, 'PAYLOAD_TOO_LARGE');
    expectRule(unknown, 404, 'NOT_FOUND');
    expectRule(badParam, 400, 'INVALID_INPUT');
    expectRule(badQuery, 400, 'INVALID_INPUT');
    for (const e of [malformed, big, unknown, badParam, badQuery]) {
      expect(JSON.stringify(e.body)).not.toMatch(/node_modules|\.ts:\d+|\bat [A-Za-z.]+ \(|SELECT |INSERT |syntax error/);
    }
  });
});

describe('the organisation: administrators manage users, heads delegate (R-06)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  const audits = async (action: string) =>
    (await env.ds.query('SELECT actor_user_id, dossier_id, details FROM audit_event WHERE action = $1 ORDER BY id', [action])) as { actor_user_id: string; dossier_id: string | null; details: Record<string, unknown> }[];

  it('should let the administrator create an agency and a user who can then sign in, change a role and reset a password, all audited', async () => {
    // given the administrator
    const admin = await env.as('admin');

    // when they create an agency and a specialist in it
    await admin.post('/api/admin/agencies', { code: 'SVHTTDL', symbolAbbr: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch', type: 'SO_NGANH', fields: ['van-hoa'] });
    const { user } = await admin.post<{ user: { id: string; role: string } }>('/api/admin/users', {
      username: 'svhttdl.chuyenvien',
      fullName: 'Chuyên viên Sở Văn hóa',
      agencyCode: 'SVHTTDL',
      position: 'Chuyên viên',
      role: 'SPECIALIST',
      password: 'VanHoa2026!x',
    });

    // then the user signs in with the groups of their agency and role; no hash is shown
    const created = await new ApiClient(env.baseUrl).login('svhttdl.chuyenvien', 'VanHoa2026!x');
    expect(created.user).toMatchObject({ agencyCode: 'SVHTTDL', role: 'SPECIALIST', groups: ['SVHTTDL_chuyenvien'] });
    expect(JSON.stringify(await admin.get('/api/admin/users?agency=SVHTTDL'))).not.toMatch(/password|\$2[aby]\$/);

    // when the administrator makes them a clerk: the groups follow at once
    await admin.request('PATCH', `/api/admin/users/${user.id}`, { role: 'CLERK' });
    expect((await created.get<{ user: { groups: string[] } }>('/api/auth/me')).user.groups).toEqual(['SVHTTDL_vanthu']);

    // when the password is reset: the old session ends, the new password works, the old one not
    await admin.post(`/api/admin/users/${user.id}/password`, { password: 'MatKhauMoi2026' });
    expectRule(await refusal(created.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    expectRule(await refusal(new ApiClient(env.baseUrl).login(user.id, 'VanHoa2026!x')), 401, 'INVALID_CREDENTIALS');
    await new ApiClient(env.baseUrl).login(user.id, 'MatKhauMoi2026');

    // and a weak password or an unknown agency is refused
    expectRule(await refusal(admin.post(`/api/admin/users/${user.id}/password`, { password: 'ngan' })), 400, 'INVALID_INPUT');
    expectRule(await refusal(admin.request('PATCH', `/api/admin/users/${user.id}`, { agencyCode: 'KHONGCO' })), 422, 'UNKNOWN_AGENCY');

    // and every change is in the audit trail, with no dossier and no password
    for (const action of ['AGENCY_CREATED', 'USER_CREATED', 'USER_UPDATED', 'PASSWORD_RESET']) {
      const rows = await audits(action);
      expect(rows.length, action).toBeGreaterThan(0);
      expect(rows.every((r) => r.actor_user_id === 'admin' && r.dossier_id === null)).toBe(true);
    }
    expect(JSON.stringify(await audits('USER_CREATED'))).not.toMatch(/VanHoa2026/);
  });

  it('should end the sessions of a deactivated user and refuse their sign-in, and never let the administrator lock themselves out', async () => {
    const admin = await env.as('admin');
    const clerk = await env.as('sxd.vanthu');
    await admin.request('PATCH', '/api/admin/users/sxd.vanthu', { active: false });
    expectRule(await refusal(clerk.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    expectRule(await refusal(new ApiClient(env.baseUrl).login('sxd.vanthu', DEMO_PASSWORD)), 401, 'INVALID_CREDENTIALS');
    expectRule(await refusal(admin.request('PATCH', '/api/admin/users/admin', { active: false })), 409, 'SELF_LOCKOUT');
    expectRule(await refusal(admin.request('PATCH', '/api/admin/users/admin', { role: 'SPECIALIST' })), 409, 'SELF_LOCKOUT');
  });

  it('R-06 should let a head grant a delegation to a deputy of their own agency only, list it, and revoke it', async () => {
    // given the head and the deputy of Sở Công Thương
    const head = await env.as('sct.giamdoc');
    const deputy = await env.as('sct.phogiamdoc');
    const validFrom = new Date().toISOString();
    const validTo = new Date(Date.now() + 3 * 86_400_000).toISOString();

    // when the head delegates to their deputy for one matter category
    const { delegation } = await head.post<{ delegation: { id: string; grantorUserId: string; granteeUserId: string; agencyCode: string } }>('/api/admin/delegations', {
      granteeUserId: 'sct.phogiamdoc',
      matterCategories: ['cong-thuong'],
      validFrom,
      validTo,
      reason: 'Giám đốc đi công tác nước ngoài',
    });

    // then it is recorded for the agency, visible to the head and the deputy, audited with R-06
    expect(delegation).toMatchObject({ grantorUserId: 'sct.giamdoc', granteeUserId: 'sct.phogiamdoc', agencyCode: 'SCT' });
    expect((await head.get<{ items: { id: string }[] }>('/api/admin/delegations')).items.map((d) => d.id)).toContain(delegation.id);
    expect((await deputy.get<{ items: { id: string }[] }>('/api/admin/delegations')).items.map((d) => d.id)).toEqual([delegation.id]);
    expect(await audits('DELEGATION_GRANTED')).toEqual([expect.objectContaining({ actor_user_id: 'sct.giamdoc', dossier_id: null })]);

    // and a delegation to another agency's deputy, to a specialist, by a deputy or by another head is refused
    const body = { validFrom, validTo, reason: 'Giám đốc đi công tác' };
    expectRule(await refusal(head.post('/api/admin/delegations', { ...body, granteeUserId: 'stc.phogiamdoc' })), 422, 'ERR_DEPUTY_NOT_AUTHORIZED', 'R-06');
    expectRule(await refusal(head.post('/api/admin/delegations', { ...body, granteeUserId: 'sct.chuyenvien' })), 422, 'ERR_DEPUTY_NOT_AUTHORIZED', 'R-06');
    expectRule(await refusal(deputy.post('/api/admin/delegations', { ...body, granteeUserId: 'sct.phogiamdoc' })), 403, 'FORBIDDEN');
    const otherHead = await env.as('stc.giamdoc');
    expectRule(await refusal(otherHead.post(`/api/admin/delegations/${delegation.id}/revoke`)), 404, 'NOT_FOUND');
    expectRule(await refusal(head.post('/api/admin/delegations', { ...body, granteeUserId: 'sct.phogiamdoc', validTo: validFrom })), 400, 'INVALID_INPUT');

    // when the head revokes it
    const revoked = await head.post<{ delegation: { revokedAt: string | null } }>(`/api/admin/delegations/${delegation.id}/revoke`);

    // then it is no longer active
    expect(revoked.delegation.revokedAt).not.toBeNull();
    expect((await deputy.get<{ items: unknown[] }>('/api/admin/delegations?active=true')).items).toEqual([]);
    expect(await audits('DELEGATION_REVOKED')).toEqual([expect.objectContaining({ actor_user_id: 'sct.giamdoc', dossier_id: null })]);
  });
});
