/**
 * Issue 15, finding 8, and issue 18's headers through helmet, against the real server and database:
 * the password policy and one's own password change, HSTS with secure cookies, no-store answers,
 * the cap on live streams per session, no body read before the session is checked, and invalid
 * characters refused with a 400 instead of reaching PostgreSQL.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { expectRule, refusal } from '../support/engine.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { createApp } from '../../server/app.ts';
import { DEFAULT_AUTH_OPTIONS } from '../../server/auth.ts';
import { MAX_STREAMS_PER_SESSION } from '../../server/routes/events.ts';

describe('HTTP hardening (finding 8, helmet)', () => {
  let env: TestEnv;
  const servers: Server[] = [];
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    for (const s of servers) {
      await new Promise((r) => s.close(() => r(null)));
      s.closeAllConnections?.();
    }
    await env?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${env.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('should refuse aaaaaaaaa1 for its length and aaaaaaaaaaa1 or a leaked password for their weakness when the administrator creates or resets a user', async () => {
    // given the administrator
    const admin = await env.as('admin');
    const user = (password: string) => ({ username: 'snv.moi', fullName: 'Chuyên viên mới', agencyCode: 'SNV', position: 'Chuyên viên', role: 'SPECIALIST', password });

    // when they create a user with short, monotonous and well-known passwords
    const short = await refusal(admin.post('/api/admin/users', user('aaaaaaaaa1')));
    const monotonous = await refusal(admin.post('/api/admin/users', user('aaaaaaaaaaa1')));
    const leaked = await refusal(admin.post('/api/admin/users', user('Password2026!')));
    const ownName = await refusal(admin.post('/api/admin/users', user('Chuyenvien#2026xyz')));

    // then length is named first, then why the others are weak; nobody is created
    expectRule(short, 400, 'INVALID_INPUT');
    expect(short.body?.error?.message).toMatch(/12 ký tự/);
    expectRule(monotonous, 422, 'WEAK_PASSWORD');
    expect(monotonous.body?.error?.message).toMatch(/đơn điệu/);
    expectRule(leaked, 422, 'WEAK_PASSWORD');
    expectRule(ownName, 422, 'WEAK_PASSWORD');
    expect(((await env.ds.query(`SELECT count(*)::int AS n FROM app_user WHERE id = 'snv.moi'`)) as { n: number }[])[0]!.n).toBe(0);

    // and the same policy holds for a reset, while a strong password is taken
    expectRule(await refusal(admin.post('/api/admin/users/snv.vanthu/password', { password: '123456789012' })), 422, 'WEAK_PASSWORD');
    await admin.post('/api/admin/users', user('Sông Vàm Cỏ Đông 2026'));
  });

  it("should change one's own password with the current one, end the user's other sessions and keep this one, when the new one passes the policy", async () => {
    // given a specialist signed in twice (two browsers)
    const here = await env.as('snv.chuyenvien');
    const elsewhere = await env.as('snv.chuyenvien');

    // when the current password is wrong, or the new one weak, nothing changes
    expectRule(await refusal(here.post('/api/auth/password', { currentPassword: 'sai-mat-khau', newPassword: 'Ng4y-mai-tr0i-nang!' })), 403, 'WRONG_CURRENT_PASSWORD');
    expectRule(await refusal(here.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'aaaaaaaaa1' })), 400, 'INVALID_INPUT');
    expectRule(await refusal(here.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'matkhau12345' })), 422, 'WEAK_PASSWORD');
    expect(await elsewhere.get('/api/auth/me')).toBeTruthy();
    // and without the CSRF header the change is refused before anything is checked
    expectRule(await refusal(here.request('POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Ng4y-mai-tr0i-nang!' }, { csrf: false })), 403, 'CSRF_INVALID');

    // when the change is right
    await here.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Ng4y-mai-tr0i-nang!' });

    // then this session goes on, the other one ends, only the new password signs in, and it is audited
    expect(await here.get('/api/auth/me')).toBeTruthy();
    expectRule(await refusal(elsewhere.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    expectRule(await refusal(new ApiClient(env.baseUrl).login('snv.chuyenvien', DEMO_PASSWORD)), 401, 'INVALID_CREDENTIALS');
    await new ApiClient(env.baseUrl).login('snv.chuyenvien', 'Ng4y-mai-tr0i-nang!');
    const audit = (await env.ds.query(`SELECT actor_user_id, details FROM audit_event WHERE action = 'PASSWORD_CHANGED'`)) as { actor_user_id: string; details: object }[];
    expect(audit).toEqual([{ actor_user_id: 'snv.chuyenvien', details: { user: 'snv.chuyenvien' } }]);
    expect(JSON.stringify(audit)).not.toContain('Ng4y');
  });

  it('should send HSTS only when session cookies are secure, and the same content security policy through helmet', async () => {
    // given the test server (cookies not secure) and one with secure cookies
    const app = createApp(env.deps, { ...DEFAULT_AUTH_OPTIONS, secureCookie: true });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const address = server.address();
    const secureUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    // when both answer
    const plain = await fetch(`${env.baseUrl}/health/live`);
    const secure = await fetch(`${secureUrl}/health/live`);

    // then HSTS comes only with secure cookies; the other headers come from both
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    for (const res of [plain, secure]) {
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'self';img-src 'self' data:;style-src 'self' 'unsafe-inline';script-src 'self';connect-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'self'",
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('should mark every API answer and every download no-store, refusals included', async () => {
    // given a dossier with a file
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    const doc = ((await env.ds.query('SELECT id FROM document WHERE dossier_id = $1 AND sha256 IS NOT NULL LIMIT 1', [dossier.id])) as { id: string }[])[0]!;

    // when the API answers in every way
    const answers = [
      await drafter.request<Response>('GET', '/api/auth/me', undefined, { raw: true }),
      await drafter.request<Response>('GET', `/api/dossiers/${dossier.id}`, undefined, { raw: true }),
      await drafter.request<Response>('GET', `/api/documents/${doc.id}/content`, undefined, { raw: true }),
      await (await env.as('sct.giamdoc')).request<Response>('GET', '/api/reports/agencies?format=csv', undefined, { raw: true }),
      await drafter.request<Response>('GET', '/api/khong-co', undefined, { raw: true }),
      await fetch(`${env.baseUrl}/api/tasks`),
    ];

    // then none may be kept
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 404, 401]);
    for (const r of answers) expect(r.headers.get('cache-control'), r.url).toBe('no-store');
  });

  it(`should refuse a ${MAX_STREAMS_PER_SESSION + 1}th live stream of one session with 429, while another session and a freed place still get one`, async () => {
    // given a user with the streams of four tabs open
    const user = await env.as('stc.chuyenvien');
    const open = async (client: ApiClient) => {
      const ctrl = new AbortController();
      const res = await fetch(`${env.baseUrl}/api/events`, { headers: { cookie: client.sessionCookie }, signal: ctrl.signal });
      return { res, close: () => ctrl.abort() };
    };
    const tabs = [];
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) tabs.push(await open(user));
    expect(tabs.map((t) => t.res.status)).toEqual(Array(MAX_STREAMS_PER_SESSION).fill(200));

    try {
      // when a fifth opens
      const fifth = await open(user);

      // then it is refused with a code, and another session of another user is not affected
      expect(fifth.res.status).toBe(429);
      expect(((await fifth.res.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_STREAMS');
      const other = await open(await env.as('skhdt.chuyenvien'));
      expect(other.res.status).toBe(200);
      other.close();

      // and once a tab closes, its place is free again
      tabs.shift()!.close();
      const again = await (async () => {
        for (let i = 0; i < 50; i++) {
          const s = await open(user);
          if (s.res.status === 200) return s;
          await s.res.body?.cancel();
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('no place freed');
      })();
      tabs.push(again);
    } finally {
      for (const t of tabs) t.close();
    }
  });

  it('should answer 401 to an anonymous 15 MB body without reading it as JSON, and read it once signed in', async () => {
    // given 15 MB that is not JSON, sent to a route that takes 16 MB
    const junk = '{"x":"' + 'a'.repeat(15 * 1024 * 1024) + '",';

    // when nobody is signed in, then the session is checked first: 401, not a JSON error
    const anonymous = await post('/api/dossiers', junk);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');

    // when signed in, the body is read and found malformed
    const user = await env.as('sct.chuyenvien');
    const signedIn = await post('/api/dossiers', junk, { cookie: user.sessionCookie, 'x-csrf-token': user.csrfToken });
    expect(signedIn.status).toBe(400);
    expect(((await signedIn.json()) as { error: { code: string } }).error.code).toBe('MALFORMED_JSON');
  });

  it('should refuse with 400 INVALID_CHARACTERS a NUL or another control character in a query, a path parameter or a JSON body, and broken percent-encoding', async () => {
    // given a signed-in user
    const user = await env.as('sct.chuyenvien');

    // when the input carries what PostgreSQL cannot take
    const attempts = [
      await refusal(user.get('/api/dossiers?q=%00')),
      await refusal(user.get('/api/dossiers?q=abc%00def')),
      await refusal(user.get('/api/dossiers?q=%1b%5b31m')),
      await refusal(user.get('/api/dossiers?q=%FF%FE')),
      await refusal(user.get('/api/dossiers?q=%ED%A0%80')),
      await refusal(user.get('/api/dossiers/HS-2026-%00')),
      await refusal(user.get('/api/tasks/%00/form')),
      await refusal(user.request('PATCH', '/api/dossiers/HS-2026-000001', { practicalBasis: 'Cơ sở\u0000thực tiễn' })),
    ];

    const { dossier } = await user.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    const form = new FormData();
    form.set('role', 'OTHER');
    form.set('docType', 'KHAC');
    form.set('subject', 'Phụ lục\u0000');
    attempts.push(await refusal(user.upload(`/api/dossiers/${dossier.id}/files`, form)));

    // then each is a 400 with a code, never a 500
    for (const e of attempts) expectRule(e, 400, 'INVALID_CHARACTERS');
    // and Vietnamese in a query is still fine
    const ok = await user.get<{ total: number }>('/api/dossiers?q=k%E1%BA%BF%20ho%E1%BA%A1ch');
    expect(ok.total).toBeGreaterThanOrEqual(0);
  });
});
