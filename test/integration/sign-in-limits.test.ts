/**
 * Sign-in limits (issue 15, finding 4) against the real server and database: a per-account limit
 * with growing waits that X-Forwarded-For cannot dodge, a per-address limit that does not lock out
 * the users who signed in from that address before, the same answer for unknown names, and
 * TRUST_PROXY as the only way to believe a proxy's header.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { createApp } from '../../server/app.ts';
import { DEFAULT_AUTH_OPTIONS, type AuthOptions } from '../../server/auth.ts';
import { loadConfig, ConfigError } from '../../config/index.ts';

type Answer = { status: number; code: string | undefined; retryAfter: number | null };

describe('sign-in limits (finding 4)', () => {
  let env: TestEnv;
  const servers: Server[] = [];
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  // Every test starts from no failures, so one test's guesses never block the next one's address.
  beforeEach(async () => {
    await env?.ds.query('DELETE FROM login_failure');
  });
  afterAll(async () => {
    for (const s of servers) {
      await new Promise((r) => s.close(() => r(null)));
      s.closeAllConnections?.();
    }
    await env?.close();
  });

  /** A second server on the same database, with other limits or another TRUST_PROXY. */
  async function serverWith(auth: Partial<AuthOptions>, trustProxy?: string): Promise<string> {
    const config = trustProxy === undefined ? env.deps.config : { ...env.deps.config, server: { ...env.deps.config.server, trustProxy: loadConfig({ TRUST_PROXY: trustProxy }).server.trustProxy } };
    const app = createApp({ ...env.deps, config }, { ...DEFAULT_AUTH_OPTIONS, ...auth });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async function signIn(baseUrl: string, username: string, password: string, forwardedFor?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as { error?: { code?: string } };
    const retry = res.headers.get('retry-after');
    return { status: res.status, code: body.error?.code, retryAfter: retry === null ? null : Number(retry) };
  }

  /** Moves a name's failures back in time, as if the user had waited. */
  const age = (username: string, ms: number) => env.ds.query(`UPDATE login_failure SET at = at - ($2 || ' milliseconds')::interval WHERE username = $1`, [username, String(ms)]);

  it('should make every further try on one user name wait, twice as long after each failure, when X-Forwarded-For changes on every try and TRUST_PROXY is off', async () => {
    // given five wrong passwords for sct.chuyenvien, each claiming another client address
    for (let i = 0; i < 5; i++) {
      expect(await signIn(env.baseUrl, 'sct.chuyenvien', `sai-${i}`, `198.51.100.${i + 1}`)).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    }

    // when the right password comes next, from yet another claimed address
    const blocked = await signIn(env.baseUrl, 'sct.chuyenvien', DEMO_PASSWORD, '198.51.100.99');

    // then it waits 30 s: the header gained nothing, every failure counted on the account and on the real address
    expect(blocked).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(blocked.retryAfter).toBeGreaterThan(25);
    expect(blocked.retryAfter).toBeLessThanOrEqual(30);
    const addresses = (await env.ds.query(`SELECT DISTINCT address FROM login_failure WHERE username = 'sct.chuyenvien'`)) as { address: string }[];
    expect(addresses.map((a) => a.address)).toEqual([expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/)]);

    // when the wait is over and one more guess fails
    await age('sct.chuyenvien', 31_000);
    expect(await signIn(env.baseUrl, 'sct.chuyenvien', 'sai-6')).toMatchObject({ status: 401 });

    // then the next wait is twice as long
    const longer = await signIn(env.baseUrl, 'sct.chuyenvien', DEMO_PASSWORD);
    expect(longer).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(longer.retryAfter).toBeGreaterThan(55);
    expect(longer.retryAfter).toBeLessThanOrEqual(60);

    // and once it is over the right password works and clears the count
    await age('sct.chuyenvien', 61_000);
    expect(await signIn(env.baseUrl, 'sct.chuyenvien', DEMO_PASSWORD)).toMatchObject({ status: 200 });
    const left = (await env.ds.query(`SELECT count(*)::int AS n FROM login_failure WHERE username = 'sct.chuyenvien'`)) as { n: number }[];
    expect(left[0]!.n).toBe(0);
  });

  it('should answer an unknown user name exactly as a real one, before and after the limit', async () => {
    // given five failures on a real name and on one that does not exist
    const real: Answer[] = [];
    const unknown: Answer[] = [];
    for (let i = 0; i < 6; i++) {
      real.push(await signIn(env.baseUrl, 'stc.chuyenvien', `sai-${i}`));
      unknown.push(await signIn(env.baseUrl, 'khong.ton.tai', `sai-${i}`));
    }

    // then the answers are the same, try by try: nothing tells which name exists
    expect(unknown.map((a) => [a.status, a.code])).toEqual(real.map((a) => [a.status, a.code]));
    expect(real.at(-1)).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
  });

  it('should keep an address open to its known users when guesses under unknown names block it, and closed to everyone else', async () => {
    // given a server allowing 10 failures per address, and a user who signed in from this address before
    const baseUrl = await serverWith({ maxFailuresPerAddress: 10 });
    expect(await signIn(baseUrl, 'skhdt.chuyenvien', DEMO_PASSWORD)).toMatchObject({ status: 200 });

    // when someone at the same address guesses under ten unknown names, rotating X-Forwarded-For
    for (let i = 0; i < 10; i++) {
      expect(await signIn(baseUrl, `ten.bia.${i}`, 'MatKhau2026!', `203.0.113.${i}`)).toMatchObject({ status: 401 });
    }

    // then the address is blocked for new names, a known user still signs in, and the real users' accounts carry no failure
    const stranger = await signIn(baseUrl, 'stp.chuyenvien', DEMO_PASSWORD);
    expect(stranger).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(stranger.retryAfter).toBeGreaterThan(0);
    expect(await signIn(baseUrl, 'skhdt.chuyenvien', DEMO_PASSWORD)).toMatchObject({ status: 200 });
    const onReal = (await env.ds.query(`SELECT count(*)::int AS n FROM login_failure WHERE username IN ('stp.chuyenvien', 'skhdt.chuyenvien')`)) as { n: number }[];
    expect(onReal[0]!.n).toBe(0);
  });

  it('should count each client by the address its proxy gives only when TRUST_PROXY names that proxy', async () => {
    // given a server behind a proxy on the same machine (TRUST_PROXY=loopback) allowing 3 failures per address
    const baseUrl = await serverWith({ maxFailuresPerAddress: 3 }, 'loopback');

    // when one client, by its proxy's header, fails three times under unknown names
    for (let i = 0; i < 3; i++) expect(await signIn(baseUrl, `ten.khac.${i}`, 'sai', '192.0.2.10')).toMatchObject({ status: 401 });

    // then that client is blocked, another client behind the same proxy is not, and the addresses are the clients'
    expect(await signIn(baseUrl, 'ten.khac.x', 'sai', '192.0.2.10')).toMatchObject({ status: 429 });
    expect(await signIn(baseUrl, 'snv.chuyenvien', DEMO_PASSWORD, '192.0.2.11')).toMatchObject({ status: 200 });
    const rows = (await env.ds.query(`SELECT DISTINCT address FROM login_failure WHERE username LIKE 'ten.khac.%'`)) as { address: string }[];
    expect(rows.map((r) => r.address)).toEqual(['192.0.2.10']);
  });

  it('should refuse a TRUST_PROXY that would believe any client, and read addresses, subnets and hop counts', () => {
    expect(loadConfig({}).server.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12' }).server.trustProxy).toEqual(['10.0.0.5', '172.16.0.0/12']);
    expect(loadConfig({ TRUST_PROXY: '2' }).server.trustProxy).toBe(2);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.local', '0']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
  });
});
