/**
 * The one reader of process.env: a typed, frozen configuration built at start-up that fails fast
 * on a bad value. Every variable is listed in .env.example.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { isIP } from 'node:net';
import { parseEngineUrls } from '../platform/engine/failover.ts';
import { FULL_POOLS } from './connection-budget.ts';

export type Config = Readonly<{
  mode: 'development' | 'production' | 'test';
  /** Our business database. Null means "the default": local server, else a private PostgreSQL. */
  databaseUrl: string | null;
  /** This process's pool on our database (DB_POOL_SIZE); null = the process's own default (server 20, workers WORKER_MAX_TASKS). */
  databasePoolSize: number | null;
  /** Where a private PostgreSQL keeps its files when no server listens on 127.0.0.1:5432. */
  dataDir: string;
  engine: Readonly<{
    /** The first of restUrls: the one node of a single-node installation. */
    restUrl: string;
    /** Every engine node's REST API (ENGINE_URLS, else ENGINE_URL): calls fail over between them. */
    restUrls: readonly string[];
    user: string;
    password: string;
    port: number;
    bind: string;
    /** Name of the engine's own database on the same PostgreSQL server as ours. */
    databaseName: string;
    /** The engine's database, read by the server for task lists and progress; null = databaseName on our server. */
    databaseUrl: string | null;
    /** The server's pool on the engine's tables (ENGINE_READER_POOL_SIZE). */
    readerPoolSize: number;
    jar: string;
    /** Whether the local engine serves its own web apps (Cockpit, Tasklist, Admin); off unless asked for. */
    webapps: boolean;
  }>;
  server: Readonly<{
    host: string;
    port: number;
    /** Secure cookies need HTTPS in front; on by default in production. */
    secureCookie: boolean;
    /** Express's `trust proxy`: false (the socket's address), a hop count, or the proxies' addresses. */
    trustProxy: false | number | readonly string[];
  }>;
  worker: Readonly<{
    maxTasks: number;
    lockDurationMs: number;
    asyncResponseTimeoutMs: number;
    retries: number;
    retryTimeoutMs: number;
    /** Upper bound of the back-off while the engine is unreachable. */
    maxBackoffMs: number;
  }>;
  /** Create the demo organisation and users at server start; never in production. */
  seedDemo: boolean;
  /** Logs and metrics: the log level, and who may read /metrics where. */
  observability: Readonly<{
    logLevel: LogLevelName;
    /** Bearer token for GET /metrics on the server's own port; null = /metrics is a 404 there. */
    metricsToken: string | null;
    /** Address the metrics listeners bind to. */
    metricsHost: string;
    /** Port of the server's own Prometheus listener; null = none. */
    serverMetricsPort: number | null;
    /** Port of each worker process's Prometheus listener; null = none. */
    workerMetricsPort: number | null;
  }>;
}>;

export class ConfigError extends Error {}

/** Variables an older version read: set, they would be silently ignored, so a start with one is refused. */
const RETIRED_VARIABLES: Readonly<Record<string, string>> = {
  CALENDAR_FILE: 'public holidays and make-up working days are kept in the database (admin page, Lịch làm việc)',
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

function observability(env: NodeJS.ProcessEnv): Config['observability'] {
  const logLevel = str(env, 'LOG_LEVEL', 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const token = env.METRICS_TOKEN ?? '';
  if (token !== '' && !/^[\x21-\x7e]{24,}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be at least 24 visible ASCII characters (e.g. `openssl rand -hex 24`)');
  }
  const port = (name: string) => (env[name] ? int(env, name, 0, 1) : null);
  return {
    logLevel: logLevel as LogLevelName,
    metricsToken: token === '' ? null : token,
    metricsHost: str(env, 'METRICS_HOST', '127.0.0.1'),
    serverMetricsPort: port('METRICS_PORT'),
    workerMetricsPort: port('WORKER_METRICS_PORT'),
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function str(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: empty or false = X-Forwarded-For is ignored; a number = that many proxies in front;
 * else addresses, subnets or loopback/linklocal/uniquelocal, comma-separated. `true` would believe
 * any client's header, so it is refused.
 */
function trustProxy(env: NodeJS.ProcessEnv): false | number | readonly string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1);
  const parts = raw.split(',').map((p) => p.trim());
  for (const p of parts) {
    const [address, bits, extra] = p.split('/');
    const family = isIP(address ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.includes(p) || (family !== 0 && okBits && extra === undefined))) {
      throw new ConfigError(`TRUST_PROXY must be false, a number of proxies, or addresses/subnets of the proxies (or ${PROXY_NAMES.join(', ')}), comma-separated; got "${raw}"`);
    }
  }
  return parts;
}

/**
 * ENGINE_URLS (comma-separated, one per engine node) or ENGINE_URL (one node); setting both is
 * refused, as it would leave one of them silently unused.
 */
function engineUrls(env: NodeJS.ProcessEnv, enginePort: number): string[] {
  const many = env.ENGINE_URLS ?? '';
  const one = env.ENGINE_URL ?? '';
  if (many !== '' && one !== '') throw new ConfigError('ENGINE_URLS and ENGINE_URL are both set: keep one (ENGINE_URLS lists every engine node)');
  const urls = parseEngineUrls(many !== '' ? many : one !== '' ? one : `http://127.0.0.1:${enginePort}/engine-rest`);
  if (urls.length === 0) throw new ConfigError('ENGINE_URLS names no engine URL');
  for (const u of urls) {
    let protocol = '';
    try {
      protocol = new URL(u).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new ConfigError(`${many !== '' ? 'ENGINE_URLS' : 'ENGINE_URL'}: "${u}" is not an http(s) URL`);
  }
  if (new Set(urls).size !== urls.length) throw new ConfigError('ENGINE_URLS names one engine URL twice');
  return urls;
}

/** Secrets that may come from a file instead: NAME_FILE names it (a compose or Kubernetes secret). */
const FILE_SECRETS = ['DATABASE_URL', 'ENGINE_DATABASE_URL', 'ENGINE_PASSWORD', 'METRICS_TOKEN'] as const;

/** The environment with each NAME_FILE's content as NAME, so a secret never has to sit in the environment. */
function withFileSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved = { ...env };
  for (const name of FILE_SECRETS) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name]) throw new ConfigError(`${name} and ${name}_FILE are both set: keep one`);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      // The path only: the message goes to logs, the content never does.
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    // `echo secret > file` and editors end the file with a newline that is no part of the secret.
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new ConfigError(`${name}_FILE: ${file} is empty`);
    resolved[name] = value;
  }
  return resolved;
}

/** Builds the configuration from an environment (process.env by default); NAME_FILE stands for a secret NAME. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  env = withFileSecrets(env);
  const modeRaw = str(env, 'NODE_ENV', 'development');
  if (modeRaw !== 'development' && modeRaw !== 'production' && modeRaw !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${modeRaw}"`);
  }
  const mode = modeRaw;
  // The calendar became data (Quản trị › Lịch làm việc): a file left set would be silently ignored.
  for (const [name, instead] of Object.entries(RETIRED_VARIABLES)) {
    if ((env[name] ?? '') !== '') throw new ConfigError(`${name} is no longer read: ${instead}; unset it`);
  }
  const enginePort = int(env, 'ENGINE_PORT', 8080, 1);
  const engineUser = str(env, 'ENGINE_USER', 'admin');
  const enginePassword = env.ENGINE_PASSWORD ?? '';
  if (mode === 'production' && (enginePassword === '' || enginePassword === 'admin')) {
    throw new ConfigError('ENGINE_PASSWORD must be set in production, and not to the default "admin"');
  }
  const seedDemo = bool(env, 'SEED_DEMO', mode !== 'production');
  if (mode === 'production' && seedDemo) {
    throw new ConfigError('SEED_DEMO=true creates demo users with a known password: refused in production');
  }
  const restUrls = engineUrls(env, enginePort);
  const config: Config = {
    mode,
    databaseUrl: env.DATABASE_URL ? env.DATABASE_URL : null,
    databasePoolSize: env.DB_POOL_SIZE ? int(env, 'DB_POOL_SIZE', 0, 2) : null,
    dataDir: str(env, 'DATA_DIR', '.data'),
    engine: {
      restUrl: restUrls[0]!,
      restUrls,
      user: engineUser,
      // Development only: the local engine is bound to 127.0.0.1 and started by our scripts.
      password: enginePassword === '' ? 'admin' : enginePassword,
      port: enginePort,
      bind: str(env, 'ENGINE_BIND', '127.0.0.1'),
      databaseName: str(env, 'ENGINE_DB_NAME', 'hosotrinh_engine'),
      databaseUrl: env.ENGINE_DATABASE_URL ? env.ENGINE_DATABASE_URL : null,
      readerPoolSize: int(env, 'ENGINE_READER_POOL_SIZE', FULL_POOLS.serverEngineReader, 1),
      jar: str(env, 'ENGINE_JAR', 'engine/target/engine.jar'),
      webapps: bool(env, 'ENGINE_WEBAPPS', false),
    },
    server: {
      host: str(env, 'HOST', '127.0.0.1'),
      port: int(env, 'PORT', 3000),
      secureCookie: bool(env, 'COOKIE_SECURE', mode === 'production'),
      trustProxy: trustProxy(env),
    },
    worker: {
      maxTasks: int(env, 'WORKER_MAX_TASKS', 25, 1),
      lockDurationMs: int(env, 'WORKER_LOCK_DURATION_MS', 30_000, 1000),
      asyncResponseTimeoutMs: int(env, 'WORKER_ASYNC_RESPONSE_TIMEOUT_MS', 10_000, 0),
      retries: int(env, 'WORKER_RETRIES', 3, 0),
      retryTimeoutMs: int(env, 'WORKER_RETRY_TIMEOUT_MS', 5_000, 0),
      maxBackoffMs: int(env, 'WORKER_MAX_BACKOFF_MS', 5_000, 100),
    },
    seedDemo,
    observability: observability(env),
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}

export type EnvFileResult = {
  /** The file read, or null when there was none. */
  file: string | null;
  /** Variables the file set. */
  fromFile: string[];
  /** Variables the file also names but the environment had already set: the environment wins. */
  fromEnvironment: string[];
};

/**
 * Copies the variables of a .env file into `env` where `env` has none yet, so `npm start` sees the
 * same settings as compose while a variable set in the environment still wins. ENV_FILE names the
 * file (relative to `dir`); without it `dir`/.env is read when it exists. Only names are returned:
 * the values may be secrets.
 */
export function loadEnvFile(dir: string, env: NodeJS.ProcessEnv = process.env): EnvFileResult {
  const named = str(env, 'ENV_FILE', '');
  const file = path.resolve(dir, named || '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !named) return { file: null, fromFile: [], fromEnvironment: [] };
    throw new ConfigError(`ENV_FILE: cannot read ${file}: ${(err as Error).message}`);
  }
  const fromFile: string[] = [];
  const fromEnvironment: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (env[name] !== undefined) fromEnvironment.push(name);
    else {
      env[name] = value;
      fromFile.push(name);
    }
  }
  return { file, fromFile, fromEnvironment };
}
