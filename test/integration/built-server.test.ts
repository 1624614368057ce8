/**
 * The runtime bundle the image runs: `npm run build:server` compiles the server and the workers to
 * dist/, and plain `node` (no tsx) starts them against the real engine and a fresh database, as
 * the Dockerfile's CMD does, with the secrets in files (*_FILE) as compose gives them. The web app's own build (vite) is left to the e2e project.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, ensureDatabase, withDatabase } from '../../store/postgres.ts';
import { freePort, waitForHttp } from '../../scripts/lib/ports.ts';
import { FORM_KEYS } from '../../server/forms/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = path.join(root, 'dist');

type Started = { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** Starts a compiled entry with plain node and an environment of our own (none of vitest's). */
function startBuilt(entry: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [path.join(dist, entry)], { cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the compiled runtime bundle (dist/)', () => {
  const pgServerUrl = inject('pgServerUrl');
  const dbName = `hst_test_built_${randomBytes(4).toString('hex')}`;
  let env: Record<string, string>;
  let secrets: string | undefined;
  const started: Started[] = [];

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build:server'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    if (build.status !== 0) throw new Error(`npm run build:server failed:\n${build.stdout}\n${build.stderr}`);
    await ensureDatabase(pgServerUrl, dbName);
    // The secrets as compose passes them: files named by *_FILE, never values in the environment.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-server-secrets-'));
    secrets = dir;
    const secretFile = (name: string, value: string) => {
      fs.writeFileSync(path.join(dir, name), `${value}\n`, { mode: 0o600 });
      return path.join(dir, name);
    };
    env = {
      NODE_ENV: 'production',
      DATABASE_URL_FILE: secretFile('database_url', withDatabase(pgServerUrl, dbName)),
      ENGINE_URL: inject('engineRestUrl'),
      ENGINE_USER: inject('engineUser'),
      ENGINE_PASSWORD_FILE: secretFile('engine_password', inject('enginePassword')),
      ENGINE_DATABASE_URL_FILE: secretFile('engine_database_url', inject('engineDatabaseUrl')),
      HOST: '127.0.0.1',
    };
  }, 300_000);

  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(started.map((s) => s.exited));
    await dropDatabase(pgServerUrl, dbName).catch(() => {});
    if (secrets) fs.rmSync(secrets, { recursive: true, force: true });
  });

  it('should find the diagrams, every form and the plain page from the compiled files when built', () => {
    // given the build output, when plain node loads the modules that read files beside the code
    const probe = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const { PROCESSES_DIR } = await import('./dist/platform/engine/deploy.js'); const { FORMS_DIR } = await import('./dist/server/forms/index.js'); console.log(JSON.stringify({ PROCESSES_DIR, FORMS_DIR }));",
      ],
      { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    expect(probe.stderr).toBe('');
    const dirs = JSON.parse(probe.stdout) as { PROCESSES_DIR: string; FORMS_DIR: string };
    // then they point into dist/, where the build copied what they read
    expect(dirs.PROCESSES_DIR).toBe(path.join(dist, 'processes'));
    expect(fs.readdirSync(dirs.PROCESSES_DIR).filter((n) => n.endsWith('.bpmn')).sort()).toEqual(
      fs.readdirSync(path.join(root, 'processes')).filter((n) => n.endsWith('.bpmn')).sort(),
    );
    for (const key of FORM_KEYS) expect(fs.existsSync(path.join(dirs.FORMS_DIR, `${key}.form`)), key).toBe(true);
    expect(fs.existsSync(path.join(dist, 'server', 'public', 'index.html'))).toBe(true);
    // and no TypeScript source went in (the image runs without tsx)
    expect(fs.readdirSync(path.join(dist, 'server')).filter((n) => n.endsWith('.ts'))).toEqual([]);
  });

  it('should answer /health and serve a page, then exit 0 on SIGTERM, when the compiled server runs under plain node', async () => {
    // given the compiled server started as the image's CMD starts it
    const port = await freePort();
    const server = startBuilt('server/main.js', { ...env, PORT: String(port) });
    started.push(server);
    const base = `http://127.0.0.1:${port}`;

    // when it has migrated, deployed and started listening
    await waitForHttp(`${base}/health`, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${server.output()}`);
    });

    // then /health reports the database and the engine reachable
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    // and a person's browser gets a page (the web app when built, else the plain page)
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // and an API error is still the machine-readable one
    const missing = await fetch(`${base}/api/no-such-route`);
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(((await missing.json()) as { error?: { code?: string } }).error?.code).toEqual(expect.any(String));

    // when the orchestrator stops it, then it exits cleanly
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('should poll the engine, then exit 0 on SIGTERM, when the compiled workers run under plain node', async () => {
    // given the database the server migrated, when the compiled workers start
    const workers = startBuilt('workers/index.js', env);
    started.push(workers);
    // then they start polling
    await until('workers polling', () => /polling/.test(workers.output()) || workers.child.exitCode !== null, 60_000);
    expect(workers.child.exitCode, workers.output()).toBeNull();
    // and stop cleanly on SIGTERM
    workers.child.kill('SIGTERM');
    expect(await workers.exited).toEqual({ code: 0, signal: null });
  });
});
