/**
 * server/cluster.ts, the several server processes on one port of `npm start -- --servers 2`: the
 * test runs the real primary under node on a free port against a fresh database and the suite's
 * engine, and tells which process answered a request by the request's log line (every line
 * carries the pid, and a request's last line its request id, echoed in the answer).
 *
 * The processes counted are the primary's children whose command is `node`: tsx gives the primary
 * and each server process an esbuild child of its own. The first server process migrates the
 * database, seeds it and deploys the diagrams before the primary starts the second, which on a
 * busy 2-core machine takes a while: the test has its own, longer time-out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, ensureDatabase, withDatabase } from '../../store/postgres.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { childrenOf, descendantsOf, listProcesses, type ProcessInfo } from '../../scripts/lib/processes.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dbName = `hst_cluster_${randomBytes(4).toString('hex')}`;
const START_MS = 240_000;
const TEST_TIMEOUT_MS = 480_000;

type Line = { pid?: number; msg?: string; requestId?: string };
const byNumber = (x: number, y: number) => x - y;

let primary: ChildProcess | null = null;
const lines: Line[] = [];
const raw: string[] = [];
/** Every process seen below the primary, by pid and start time (a reused pid is another process). */
const seen = new Map<string, ProcessInfo>();

/** The environment of a server: the developer's own settings for this app never leak in. */
function serverEnv(port: number): NodeJS.ProcessEnv {
  const ours = new Set([...fs.readFileSync(path.join(root, '.env.example'), 'utf8').matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!ours.has(k) && !k.startsWith('VITEST') && !k.startsWith('npm_') && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    NODE_ENV: 'test',
    SERVER_PROCESSES: '2',
    DATABASE_URL: withDatabase(inject('pgServerUrl'), dbName),
    ENGINE_URL: inject('engineRestUrl'),
    ENGINE_USER: inject('engineUser'),
    ENGINE_PASSWORD: inject('enginePassword'),
    ENGINE_DATABASE_URL: inject('engineDatabaseUrl'),
    HOST: '127.0.0.1',
    PORT: String(port),
  };
}

function output(): string {
  return raw.slice(-80).join('\n');
}

async function until<T>(what: string, timeoutMs: number, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (primary && (primary.exitCode !== null || primary.signalCode !== null) && !what.startsWith('exit')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last output:\n${output()}`);
}

/** The server processes that said they listen, in the order they did. */
const listening = () => [...new Set(lines.filter((l) => l.msg?.startsWith('listening on')).map((l) => l.pid!))];
const nodeChildren = () =>
  childrenOf(primary!.pid!)
    .filter((p) => p.command === 'node')
    .map((p) => p.pid)
    .sort(byNumber);

/** One request on a connection of its own (the cluster hands out connections, not requests); resolves with its status and the pid that answered. */
async function ask(port: number, cookie: string): Promise<{ status: number; pid: number }> {
  const { status, requestId } = await new Promise<{ status: number; requestId: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/auth/me', headers: { cookie }, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id']) }));
    });
    req.once('error', reject);
    req.end();
  });
  const pid = await until(`the log line of request ${requestId}`, 5000, () => lines.find((l) => l.requestId === requestId)?.pid);
  return { status, pid };
}

/** Asks until every pid of `expected` has answered (at most `tries` requests); every answer must be 200. */
async function answeredBy(port: number, cookie: string, expected: number[], tries = 30): Promise<{ pids: number[]; statuses: number[] }> {
  const pids = new Set<number>();
  const statuses: number[] = [];
  for (let i = 0; i < tries && !expected.every((p) => pids.has(p)); i++) {
    const r = await ask(port, cookie);
    statuses.push(r.status);
    pids.add(r.pid);
  }
  return { pids: [...pids].sort(byNumber), statuses };
}

describe('server/cluster.ts', () => {
  afterAll(async () => {
    // A failed run must not leave its processes to the next test file.
    for (const p of listProcesses()) {
      if (!seen.has(`${p.pid}:${p.start}`) && p.pgid !== primary?.pid) continue;
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await dropDatabase(inject('pgServerUrl'), dbName).catch(() => {});
  });

  it('should serve one port from two processes, replace one killed with kill -9 under the same sessions, and leave nothing on SIGTERM', async () => {
    // Given the primary with SERVER_PROCESSES=2 on a fresh database
    const port = await freePort();
    await ensureDatabase(inject('pgServerUrl'), dbName);
    // detached: the primary leads a process group of its own, so what it leaves is found by group too.
    primary = spawn(process.execPath, ['--import', 'tsx', 'server/cluster.ts'], { cwd: root, env: serverEnv(port), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pending = { out: '', err: '' };
    const collect = (stream: 'out' | 'err') => (chunk: Buffer) => {
      const parts = (pending[stream] + chunk.toString('utf8')).split('\n');
      pending[stream] = parts.pop()!;
      for (const text of parts.filter((t) => t.trim() !== '')) {
        raw.push(text);
        try {
          lines.push(JSON.parse(text) as Line);
        } catch {
          // not a log line (a stack trace)
        }
      }
    };
    primary.stdout!.on('data', collect('out'));
    primary.stderr!.on('data', collect('err'));
    const watcher = setInterval(() => {
      for (const p of descendantsOf(primary!.pid!)) seen.set(`${p.pid}:${p.start}`, p);
    }, 150);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => primary!.once('exit', (code, signal) => resolve({ code, signal })));

    try {
      // When both processes are up
      const [a, b] = await until('two server processes listening', START_MS, () => listening().length >= 2 && listening());
      // Then they are the primary's two node children, and a signed-in user's requests are answered by both
      expect(nodeChildren()).toEqual([a!, b!].sort(byNumber));
      const client = await new ApiClient(`http://127.0.0.1:${port}`).login('sct.chuyenvien', DEMO_PASSWORD);
      const cookie = client.sessionCookie;
      client.close();
      const before = await answeredBy(port, cookie, [a!, b!]);
      expect(before.pids).toEqual([a!, b!].sort(byNumber));
      expect(new Set(before.statuses)).toEqual(new Set([200]));

      // When one is killed with kill -9
      process.kill(a!, 'SIGKILL');
      await until('the primary seeing the kill', 30_000, () => lines.some((l) => l.msg?.startsWith(`server process ${a} exited (SIGKILL)`)));

      // Then the other answers the same session at once, and the primary starts another that answers it too
      const meanwhile = await answeredBy(port, cookie, [b!], 3);
      expect(meanwhile).toEqual({ pids: [b!], statuses: [200] });
      const c = await until('a third server process listening', START_MS, () => listening().find((p) => p !== a && p !== b));
      expect(nodeChildren()).toEqual([b!, c].sort(byNumber));
      const after = await answeredBy(port, cookie, [b!, c]);
      expect(after.pids).toEqual([b!, c].sort(byNumber));
      expect(new Set(after.statuses)).toEqual(new Set([200]));

      // When the primary gets SIGTERM
      primary.kill('SIGTERM');
      const exit = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);

      // Then it exits once every server process has, and nothing of the run is left
      expect(exit, output()).toEqual({ code: 0, signal: null });
      expect(lines.filter((l) => l.msg === 'stopped').map((l) => l.pid!).sort(byNumber)).toEqual([b!, c].sort(byNumber));
      const left = () => listProcesses().filter((p) => (seen.has(`${p.pid}:${p.start}`) || p.pgid === primary!.pid) && !p.state.startsWith('Z'));
      // esbuild children go when their parent's pipe closes, a moment after it.
      await until('exit of every process of the run', 10_000, () => left().length === 0).catch(() => {});
      expect(left().map((p) => `${p.pid} ${p.command}`)).toEqual([]);
    } finally {
      clearInterval(watcher);
    }
  }, TEST_TIMEOUT_MS);
});
