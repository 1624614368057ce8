/**
 * docker-compose.yml and .env.example stay in step with config/index.ts (the one reader of
 * process.env), keep the engine off the host, and hold no secret values. When the docker-compose
 * binary is installed (CI installs it), compose itself validates the file; no daemon is needed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');
const composeFile = path.join(root, 'docker-compose.yml');
const composeText = fs.readFileSync(composeFile, 'utf8');
const configText = fs.readFileSync(path.join(root, 'config', 'index.ts'), 'utf8');
const envExampleText = fs.readFileSync(path.join(root, '.env.example'), 'utf8');

type Service = {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: unknown[];
  expose?: (string | number)[];
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  container_name?: string;
  volumes?: (string | { source?: string; target?: string })[];
  healthcheck?: { test?: unknown };
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const compose = parse(composeText) as Compose;
const services = compose.services;

/** Variables config/index.ts reads: `env.NAME` and `int(env, 'NAME', …)` / `str(env, 'NAME', …)`. */
const CONFIG_VARS: ReadonlySet<string> = new Set([
  ...[...configText.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]!),
  ...[...configText.matchAll(/(?:int|str|bool)\(env, '([A-Z_]+)'/g)].map((m) => m[1]!),
]);
/** Variables docker-compose.yml interpolates from .env / the shell. */
const COMPOSE_VARS: ReadonlySet<string> = new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
const SECRET_VARS = ['ENGINE_PASSWORD', 'POSTGRES_PASSWORD'];

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function envExampleVars(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of envExampleText.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** `${NAME:?message}`: compose refuses to start while NAME is unset or empty. */
const requiredRef = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`);

describe('docker-compose.yml', () => {
  it('reads the variable names out of config/index.ts (sanity check of the parsing)', () => {
    for (const name of ['NODE_ENV', 'DATABASE_URL', 'ENGINE_URL', 'ENGINE_USER', 'ENGINE_PASSWORD', 'HOST', 'PORT', 'SEED_DEMO', 'WORKER_MAX_TASKS', 'CALENDAR_FILE']) {
      expect(CONFIG_VARS, name).toContain(name);
    }
  });

  it('defines postgres, engine, server and workers', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'engine', 'server', 'workers']));
  });

  it('keeps PostgreSQL on a named volume, with a healthcheck and the init script creating both databases', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:16/);
    expect(pg.ports ?? []).toEqual([]);
    expect(pg.healthcheck?.test).toBeDefined();
    const mounts = (pg.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    const dataVolume = mounts.find((m) => m.endsWith(':/var/lib/postgresql/data'));
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume!.split(':')[0]);
    const init = mounts.find((m) => m.includes('/docker-entrypoint-initdb.d/'));
    expect(init).toBeDefined();
    const initScript = fs.readFileSync(path.join(root, init!.split(':')[0]!), 'utf8');
    expect(initScript).toMatch(/CREATE DATABASE hosotrinh;/);
    expect(initScript).toMatch(/CREATE DATABASE hosotrinh_engine;/);
  });

  it('runs the engine on PostgreSQL, with basic auth, and publishes no port', () => {
    const engine = services.engine!;
    expect(engine.image).toMatch(/^operaton\/operaton(:|$)/);
    expect(engine.ports).toBeUndefined();
    expect((engine.expose ?? []).map(String)).toContain('8080');
    const env = environmentOf(engine);
    expect(env.DB_DRIVER).toBe('org.postgresql.Driver');
    expect(env.DB_URL).toBe('jdbc:postgresql://postgres:5432/hosotrinh_engine');
    expect(env.OPERATON_BPM_RUN_AUTH_ENABLED).toBe('true');
    expect(env.OPERATON_BPM_ADMINUSER_PASSWORD).toMatch(requiredRef('ENGINE_PASSWORD'));
    // Processes are deployed over REST by the server, not mounted into the engine.
    const mounts = (engine.volumes ?? []).map((v) => (typeof v === 'string' ? v : String(v.target)));
    expect(mounts.filter((m) => m.includes('/operaton/configuration/resources'))).toEqual([]);
  });

  it('points the server and the workers at the engine service and its exposed port', () => {
    const enginePorts = (services.engine!.expose ?? []).map(String);
    for (const name of ['server', 'workers']) {
      const url = new URL(environmentOf(services[name]!).ENGINE_URL ?? '');
      expect(url.hostname, name).toBe('engine');
      expect(enginePorts, name).toContain(url.port);
      expect(url.pathname, name).toBe('/engine-rest');
    }
  });

  it('starts the server and the workers only once PostgreSQL and the engine are healthy', () => {
    for (const name of ['server', 'workers']) {
      const deps = services[name]!.depends_on;
      expect(Array.isArray(deps), name).toBe(false);
      expect((deps as Record<string, { condition?: string }>).postgres?.condition, name).toBe('service_healthy');
      expect((deps as Record<string, { condition?: string }>).engine?.condition, name).toBe('service_healthy');
    }
  });

  it('publishes the server on 3000 and scales the workers out', () => {
    const server = services.server!;
    expect(server.build).toBeDefined();
    expect(String(server.command)).toMatch(/tsx,server\/main\.ts|tsx server\/main\.ts/);
    expect((server.ports ?? []).map(String)).toContain('3000:3000');
    const env = environmentOf(server);
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.PORT).toBe('3000');

    const workers = services.workers!;
    expect(String(workers.command)).toMatch(/tsx,workers\/index\.ts|tsx workers\/index\.ts/);
    expect(workers.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(workers.ports).toBeUndefined();
    expect(workers.container_name).toBeUndefined();
    expect(environmentOf(workers).NODE_ENV).toBe('production');
  });

  it('gives the server and the workers only variables the application reads', () => {
    for (const name of ['server', 'workers']) {
      const unknown = Object.keys(environmentOf(services[name]!)).filter((v) => !CONFIG_VARS.has(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('holds no secret values: every password and secret is a required ${...} reference', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        if (/PASSWORD|SECRET/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
        if (SECRET_VARS.includes(key)) expect(value, `${name}.${key}`).toMatch(requiredRef(key));
        if (/^postgres(ql)?:\/\//.test(value)) {
          // The password inside a connection URL must come from .env as well.
          const userinfo = value.slice(value.indexOf('//') + 2, value.lastIndexOf('@'));
          expect(userinfo, `${name}.${key}`).toMatch(/^[^:]+:\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
        }
      }
    }
  });
});

describe('.env.example', () => {
  const vars = envExampleVars();

  it('lists every variable config/index.ts reads, plus POSTGRES_PASSWORD', () => {
    const missing = [...CONFIG_VARS, 'POSTGRES_PASSWORD'].filter((v) => !vars.has(v));
    expect(missing).toEqual([]);
  });

  it('lists only variables read by the application or by docker-compose.yml', () => {
    const unknown = [...vars.keys()].filter((v) => !CONFIG_VARS.has(v) && !COMPOSE_VARS.has(v));
    expect(unknown).toEqual([]);
  });

  it('explains every variable in a comment line right above it', () => {
    const lines = envExampleText.split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z_][A-Z0-9_]*=/.test(line)) expect(lines[i - 1] ?? '', line).toMatch(/^# \S/);
    });
  });

  it('carries no secret values', () => {
    for (const name of SECRET_VARS) expect(vars.get(name), name).toBe('');
  });

  it('covers every variable docker-compose.yml interpolates', () => {
    const missing = [...COMPOSE_VARS].filter((v) => !vars.has(v));
    expect(missing).toEqual([]);
  });
});

const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const hasDockerCompose = fs.existsSync(DOCKER_COMPOSE);

describe('docker-compose config (validation by compose itself, no daemon needed)', () => {
  // A hermetic environment: an empty --env-file so a developer's .env does not leak in.
  function runConfig(extraEnv: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-env-'));
    const envFile = path.join(dir, 'empty.env');
    fs.writeFileSync(envFile, '');
    try {
      return spawnSync(DOCKER_COMPOSE, ['--env-file', envFile, '-f', composeFile, 'config', '-q'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...extraEnv },
        encoding: 'utf8',
        timeout: 60_000,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.skipIf(!hasDockerCompose)('accepts the file once the secrets are set', () => {
    const result = runConfig({
      ENGINE_PASSWORD: 'test-only-engine-password',
      POSTGRES_PASSWORD: 'test-only-postgres-password',
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it.skipIf(!hasDockerCompose)('refuses to start without the secrets', () => {
    const result = runConfig({});
    expect(result.error).toBeUndefined();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/set (ENGINE_PASSWORD|POSTGRES_PASSWORD) in \.env/);
  }, 60_000);
});
