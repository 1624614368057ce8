/**
 * Builds the Operaton launcher (engine/) once, then starts and stops it. The build is cached:
 * a hash of engine/'s sources is stored beside the jar and the jar is rebuilt only when it changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

const ENGINE_DIR = path.resolve(import.meta.dirname, '..', 'engine');
const JAR = path.join(ENGINE_DIR, 'target', 'engine.jar');
const STAMP = path.join(ENGINE_DIR, 'target', 'engine.sha256');

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'target') await walk(full);
      } else files.push(full);
    }
  };
  await walk(ENGINE_DIR);
  for (const file of files.sort()) {
    hash.update(path.relative(ENGINE_DIR, file));
    hash.update(await fsp.readFile(file));
  }
  return hash.digest('hex');
}

/** Builds engine/target/engine.jar with Maven unless an up-to-date build exists. */
export async function buildEngine(log: (line: string) => void = console.log): Promise<string> {
  const hash = await sourceHash();
  const stamp = await fsp.readFile(STAMP, 'utf8').catch(() => '');
  if (stamp.trim() === hash && fs.existsSync(JAR)) return JAR;
  log('building the engine (Operaton 1.0.3 on Spring Boot 3.5.10) with Maven…');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const mvn = spawn('mvn', ['-q', '-B', '-f', path.join(ENGINE_DIR, 'pom.xml'), 'package', '-DskipTests'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    mvn.on('error', (err) => reject(new Error(`cannot run mvn: ${err.message} (is Maven installed?)`)));
    mvn.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`engine build failed: mvn exited with ${code}`))));
  });
  await fsp.writeFile(STAMP, hash);
  log(`engine built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return JAR;
}

/**
 * The engine password `npm start` uses when none is configured: random, made at first start and kept
 * in `<dataDir>/engine-password` (mode 0600), so the local engine never answers to admin/admin.
 */
export function localEnginePassword(dataDir: string): string {
  const file = path.join(dataDir, 'engine-password');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A file copied or restored with wider rights is narrowed again.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, 'utf8').trim();
  if (password.length < 16) throw new Error(`${file} holds no usable engine password: delete it and start again`);
  return password;
}

export type EngineHandle = {
  restUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
};

/** Turns postgres://user:pw@host:port/db into the JDBC URL and credentials Spring wants. */
export function jdbcOf(postgresUrl: string): { url: string; user: string; password: string } {
  const u = new URL(postgresUrl);
  return {
    url: `jdbc:postgresql://${u.hostname}:${u.port || '5432'}${u.pathname}`,
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

/** Starts the engine against `databaseUrl` and resolves once GET /engine-rest/engine answers. */
export async function startEngine(opts: {
  port: number;
  databaseUrl: string;
  bind?: string;
  user: string;
  password: string;
  logFile?: string;
  readyTimeoutMs?: number;
  jar?: string;
  /**
   * Its own process group, out of reach of the terminal's Ctrl-C: the supervisor stops it itself,
   * after the workers and the server have reported what they were doing to it.
   */
  detached?: boolean;
  /** Cockpit, Tasklist and Admin; off unless asked for. */
  webapps?: boolean;
  /** The node's JDBC pool; unset = ENGINE_DB_POOL or 20 (application.yaml). */
  dbPool?: number;
  /**
   * The test suites start engines often and run each briefly: the first JIT tier only and the serial
   * collector bring one up sooner on two cores. Unset, the JVM's defaults, as the engine image runs it
   * (`npm start`, the bench's and the fault run's full runs), so their figures are production's.
   */
  quickStart?: boolean;
}): Promise<EngineHandle> {
  const jdbc = jdbcOf(opts.databaseUrl);
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(
    'java',
    // UTC: the engine's timestamp columns carry no zone, and the server reads them as UTC (store/engine-read-model.ts).
    ['-Xms256m', '-Xmx1g', ...(opts.quickStart ? ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'] : []), '-Duser.timezone=UTC', '-jar', opts.jar ?? JAR],
    {
      env: {
        ...process.env,
        ENGINE_PORT: String(opts.port),
        ENGINE_BIND: opts.bind ?? '127.0.0.1',
        ENGINE_DB_URL: jdbc.url,
        ENGINE_DB_USER: jdbc.user,
        ENGINE_DB_PASSWORD: jdbc.password,
        ENGINE_ADMIN_USER: opts.user,
        ENGINE_ADMIN_PASSWORD: opts.password,
        ENGINE_REST_BASIC_AUTH: 'true',
        ENGINE_WEBAPPS: String(opts.webapps === true),
        ...(opts.dbPool ? { ENGINE_DB_POOL: String(opts.dbPool) } : {}),
      },
      stdio: ['ignore', out, out],
      detached: opts.detached ?? false,
    },
  );
  const restUrl = `http://127.0.0.1:${opts.port}/engine-rest`;
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  const handle: EngineHandle = {
    restUrl,
    process: child,
    stop: () => stopProcess(child),
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  const auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`engine exited with code ${exited} before it was ready${opts.logFile ? ` (see ${opts.logFile})` : ''}`);
    }
    try {
      const res = await fetch(`${restUrl}/engine`, { headers: { authorization: auth }, signal: AbortSignal.timeout(2000) });
      if (res.ok) return handle;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await handle.stop();
  throw new Error(`engine did not answer ${restUrl}/engine within ${opts.readyTimeoutMs ?? 120_000} ms`);
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
