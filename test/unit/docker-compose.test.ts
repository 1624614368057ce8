/**
 * docker-compose.yml, the two Dockerfiles, .dockerignore and .env.example stay in step with
 * config/index.ts (the one reader of process.env) and with `npm run build`: secrets only through
 * files, a role per database, health checks everywhere, the engine off the host, node as PID 1.
 * The scripts under docker/ run here for real (the engine's java is a stand-in that prints what
 * it was given). When the docker-compose binary is installed (CI installs it), compose itself
 * validates the file; no daemon is needed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const composeFile = path.join(root, 'docker-compose.yml');
const composeText = read('docker-compose.yml');
const configText = read('config/index.ts');
const envExampleText = read('.env.example');
const dockerfile = read('Dockerfile');
const engineDockerfile = read('docker/engine.Dockerfile');
const dockerignore = read('.dockerignore');

type Healthcheck = { test?: string | string[]; disable?: boolean };
type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: unknown;
  init?: boolean;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: unknown[];
  expose?: (string | number)[];
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: unknown;
  container_name?: string;
  volumes?: (string | { source?: string; target?: string })[];
  secrets?: (string | { source: string; target?: string })[];
  networks?: Record<string, { aliases?: string[] } | null>;
  mem_limit?: string | number;
  stop_grace_period?: string;
  healthcheck?: Healthcheck;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown>; secrets?: Record<string, { file?: string }> };

// `<<: *anchor` merge keys: compose resolves them, so must we.
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;
const names = (prefix: string) => Object.keys(services).filter((n) => n === prefix || n.startsWith(`${prefix}-`));
const ENGINES = names('engine');
const WORKERS = names('workers');
const APPS = ['server', ...WORKERS];

/** Secrets config/index.ts also reads from NAME_FILE. */
const FILE_SECRETS: readonly string[] = [...(/FILE_SECRETS = \[([^\]]*)\]/.exec(configText)?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!);
/** Variables config/index.ts reads: `env.NAME`, the first argument of its helpers (`str(env, 'NAME', …)`, `port('NAME')`), NAME_FILE. */
const CONFIG_VARS: ReadonlySet<string> = new Set([
  ...[...configText.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]!),
  ...[...configText.matchAll(/\((?:env, )?'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!),
  ...FILE_SECRETS.map((name) => `${name}_FILE`),
]);
/** Variables docker-compose.yml interpolates from .env / the shell. */
const COMPOSE_VARS: ReadonlySet<string> = new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));

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
const secretsOf = (service: Service) => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.target ?? s.source));
const dependsOn = (service: Service) => (Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {}));
const commandOf = (service: Service) => (Array.isArray(service.command) ? service.command : String(service.command ?? '').split(/\s+/));

function envExampleVars(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of envExampleText.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-test-'));
  tmpDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('reads the variable names out of config/index.ts (sanity check of the parsing)', () => {
    for (const name of ['NODE_ENV', 'DATABASE_URL', 'DATABASE_URL_FILE', 'ENGINE_URL', 'ENGINE_PASSWORD_FILE', 'ENGINE_DATABASE_URL_FILE', 'HOST', 'PORT', 'SEED_DEMO', 'WORKER_MAX_TASKS']) {
      expect(CONFIG_VARS, name).toContain(name);
    }
  });

  it('should run PostgreSQL, two engine nodes, the server and two workers as services of their own', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'server']));
    expect(ENGINES.length).toBeGreaterThanOrEqual(2);
    expect(WORKERS.length).toBeGreaterThanOrEqual(2);
    // docker-compose 1.29 ignores deploy.replicas outside swarm: scaling must not rely on it
    for (const [name, service] of Object.entries(services)) expect(service.deploy, name).toBeUndefined();
  });

  it('should give every service a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.disable, name).not.toBe(true);
      expect(service.healthcheck?.test, name).toEqual(expect.arrayContaining(['CMD']));
    }
  });

  it('should keep PostgreSQL on a named volume, its superuser password in a secret file, and create the roles on first start', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:1[6-9]/);
    expect(pg.ports ?? []).toEqual([]);
    // room for every pool at its fullest (engine nodes 20 each, server 30, workers 25 each)
    const maxConnections = Number(/max_connections=(\d+)/.exec(commandOf(pg).join(' '))?.[1] ?? 100);
    expect(maxConnections).toBeGreaterThanOrEqual(20 * ENGINES.length + 30 + 25 * WORKERS.length + 10);
    const env = environmentOf(pg);
    expect(env.POSTGRES_PASSWORD).toBeUndefined();
    expect(env.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    expect(secretsOf(pg)).toEqual(expect.arrayContaining(['postgres_password', 'database_url', 'engine_database_url']));
    const mounts = (pg.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    const dataVolume = mounts.find((m) => m.endsWith(':/var/lib/postgresql/data'));
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.split(':')[0]);
    const init = mounts.find((m) => m.includes('/docker-entrypoint-initdb.d/'));
    expect(init).toMatch(/^\.\/docker\/postgres-init\.sh:\/docker-entrypoint-initdb\.d\/[^:]+\.sh:ro$/);
    // the postgres image runs an init script only when it is executable, else it sources it
    expect(fs.statSync(path.join(root, 'docker', 'postgres-init.sh')).mode & 0o111).not.toBe(0);
  });

  it('should run the engine nodes from our launcher image, on the shared database, reachable as `engine` and never from the host', () => {
    for (const name of ENGINES) {
      const engine = services[name]!;
      expect(engine.build, name).toMatchObject({ context: '.', dockerfile: 'docker/engine.Dockerfile' });
      expect(engine.ports, name).toBeUndefined();
      expect((engine.expose ?? []).map(String), name).toContain('8080');
      expect(engine.networks?.default?.aliases, name).toContain('engine');
      expect(engine.mem_limit, name).toBeDefined();
      const env = environmentOf(engine);
      expect(env.ENGINE_DATABASE_URL_FILE, name).toBe('/run/secrets/engine_database_url');
      expect(env.ENGINE_PASSWORD_FILE, name).toBe('/run/secrets/engine_password');
      expect(secretsOf(engine), name).toEqual(expect.arrayContaining(['engine_database_url', 'engine_password']));
      expect(dependsOn(engine).postgres?.condition, name).toBe('service_healthy');
    }
    // the first node creates the tables and the admin user before the others start
    for (const name of ENGINES.slice(1)) expect(dependsOn(services[name]!)[ENGINES[0]!]?.condition, name).toBe('service_healthy');
  });

  it('should point the server and the workers at every engine node and its exposed port (ENGINE_URLS: they fail over), once PostgreSQL and an engine node are healthy', () => {
    for (const name of APPS) {
      const env = environmentOf(services[name]!);
      expect(env.ENGINE_URL, name).toBeUndefined();
      const urls = (env.ENGINE_URLS ?? '').split(',').map((u) => new URL(u));
      expect(urls.map((u) => u.hostname).sort(), name).toEqual([...ENGINES].sort());
      for (const url of urls) {
        expect(url.port, name).toBe('8080');
        expect(url.pathname, name).toBe('/engine-rest');
      }
      const deps = dependsOn(services[name]!);
      expect(deps.postgres?.condition, name).toBe('service_healthy');
      const engineDeps = Object.entries(deps).filter(([dep]) => ENGINES.includes(dep));
      expect(engineDeps.length, name).toBeGreaterThan(0);
      for (const [, dep] of engineDeps) expect(dep.condition, name).toBe('service_healthy');
    }
  });

  it('should run the compiled server and workers with plain node as PID 1: no npx, no tsx, no init', () => {
    expect(commandOf(services.server!)).toEqual(['node', 'dist/server/main.js']);
    for (const name of WORKERS) expect(commandOf(services[name]!), name).toEqual(['node', 'dist/workers/index.js']);
    for (const name of APPS) {
      const service = services[name]!;
      expect(service.build, name).toBe('.');
      expect(service.init, name).not.toBe(true);
      expect(service.entrypoint, name).toBeUndefined();
      expect(service.container_name, name).toBeUndefined();
      expect(environmentOf(service).NODE_ENV, name).toBe('production');
    }
    // the compiled entries are the ones tsconfig.build.json emits from these sources
    expect(fs.existsSync(path.join(root, 'server', 'main.ts'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'workers', 'index.ts'))).toBe(true);
    expect(JSON.stringify(services)).not.toMatch(/\b(npx|tsx)\b/);
  });

  it('should publish the server on 3000 only, with Secure cookies', () => {
    const server = services.server!;
    expect((server.ports ?? []).map(String)).toEqual(['3000:3000']);
    const env = environmentOf(server);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.PORT).toBe('3000');
    expect(env.COOKIE_SECURE).toBe('true');
    for (const [name, service] of Object.entries(services)) if (name !== 'server') expect(service.ports, name).toBeUndefined();
  });

  it('should give the server and the workers only variables the application reads', () => {
    for (const name of APPS) {
      const unknown = Object.keys(environmentOf(services[name]!)).filter((v) => !CONFIG_VARS.has(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('should pass every secret as a file under /run/secrets, never as a value', () => {
    const declared = Object.keys(compose.secrets ?? {});
    expect(declared.sort()).toEqual(['database_url', 'engine_database_url', 'engine_password', 'postgres_password']);
    for (const secret of declared) expect(compose.secrets![secret]!.file, secret).toBe(`./secrets/${secret}`);
    for (const [name, service] of Object.entries(services)) {
      const env = environmentOf(service);
      for (const [key, value] of Object.entries(env)) {
        // a secret variable appears only in its _FILE form, pointing at a secret the service mounts
        expect(key, `${name}.${key}`).not.toMatch(/PASSWORD$|SECRET$|TOKEN$|DATABASE_URL$/);
        if (key.endsWith('_FILE')) {
          const secret = /^\/run\/secrets\/([a-z_]+)$/.exec(value)?.[1];
          expect(secret, `${name}.${key}`).toBeDefined();
          expect(secretsOf(service), `${name}.${key}`).toContain(secret);
          expect(declared, `${name}.${key}`).toContain(secret);
        }
      }
    }
    // no connection URL with credentials anywhere in the file
    expect(composeText).not.toMatch(/postgres(ql)?:\/\/[^\s@]*@/);
  });

  it('should give each process only the secrets it reads', () => {
    for (const name of WORKERS) expect(secretsOf(services[name]!).sort(), name).toEqual(['database_url', 'engine_password']);
    expect(secretsOf(services.server!).sort()).toEqual(['database_url', 'engine_database_url', 'engine_password']);
  });

  it('should explain how the engine nodes share the load', () => {
    expect(composeText).toMatch(/^# Load balancing between the engine nodes: [^\n]+\n(# [^\n]+\n){3,}/m);
  });
});

describe('Dockerfile (the app image)', () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, name: m[2] }));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';

  it('should build in stages with the npm scripts CI runs: npm ci, typecheck, build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/RUN npm ci --include=dev/);
    expect(dockerfile).toMatch(/npm run typecheck/);
    expect(dockerfile).toMatch(/npm run build\b/);
    expect(dockerfile).toMatch(/test -f dist\/ui\/dist\/index\.html/);
  });

  it('should run on a slim supported Node LTS with production dependencies only', () => {
    expect(nodeImage).toMatch(/^node:(22|24)(\.\d+)*-[a-z]+-slim$/);
    expect(stages.at(-1)!.image).toBe('${NODE_IMAGE}');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps \/app\/node_modules/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/NODE_ENV=production/);
  });

  it('should run node itself as PID 1, as an unprivileged user, with a health check', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*CMD \["node"/m);
    expect(/^CMD (.+)$/m.exec(runtime)?.[1]).toBe('["node", "dist/server/main.js"]');
    expect(runtime).not.toMatch(/^(CMD|ENTRYPOINT).*\b(npx|tsx|npm)\b/m);
  });
});

describe('docker/engine.Dockerfile', () => {
  it('should run our launcher on a JRE as an unprivileged user, heap sized from the container limit', () => {
    const runtime = engineDockerfile.slice(engineDockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^FROM eclipse-temurin:\d+-jre/m);
    expect(runtime).toMatch(/^USER engine$/m);
    expect(runtime).toMatch(/JAVA_TOOL_OPTIONS="[^"]*-XX:MaxRAMPercentage=\d+/);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/opt\/engine\/entrypoint\.sh"\]$/m);
    expect(read('docker/engine-entrypoint.sh')).toMatch(/^exec java /m);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerignore.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('should keep secrets, local installs, build output and history out of the build context', () => {
    expect(patterns).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', 'ui/dist', 'engine/target', '.env', '.env.*', 'secrets', '.data']));
  });

  it('should keep what the build stages read in the context', () => {
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'ui', 'processes', 'scripts', 'server', 'engine/pom.xml', 'engine/src']) {
      expect(fs.existsSync(path.join(root, needed)), needed).toBe(true);
      const excluded = patterns.some((p) => !p.startsWith('!') && (p === needed || needed.startsWith(`${p}/`)));
      expect(excluded, needed).toBe(false);
    }
  });
});

describe('.env.example', () => {
  const vars = envExampleVars();

  it('lists every variable config/index.ts reads', () => {
    const missing = [...CONFIG_VARS].filter((v) => !vars.has(v));
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
    for (const name of [...FILE_SECRETS, ...FILE_SECRETS.map((n) => `${n}_FILE`)]) expect(vars.get(name) ?? '', name).toBe('');
  });

  it('covers every variable docker-compose.yml interpolates', () => {
    const missing = [...COMPOSE_VARS].filter((v) => !vars.has(v));
    expect(missing).toEqual([]);
  });
});

describe('docker/make-secrets.sh', () => {
  it('should write the four secrets compose mounts, readable by the containers in a private folder, and keep them when run again', () => {
    // given an empty folder, when the script runs twice
    const dir = path.join(tmpDir(), 'secrets');
    const first = spawnSync('sh', [path.join(root, 'docker', 'make-secrets.sh'), dir], { encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    const before = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const second = spawnSync('sh', [path.join(root, 'docker', 'make-secrets.sh'), dir], { encoding: 'utf8' });
    expect(second.status, second.stderr).toBe(0);

    // then it wrote exactly the secrets compose declares, and kept them on the second run
    expect(Object.keys(before).sort()).toEqual(Object.keys(compose.secrets ?? {}).sort());
    for (const [file, text] of Object.entries(before)) expect(fs.readFileSync(path.join(dir, file), 'utf8'), file).toBe(text);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of Object.keys(before)) expect(fs.statSync(path.join(dir, file)).mode & 0o777, file).toBe(0o644);
    // and every password is random hex, every URL names the role and database of its own
    expect(before.postgres_password).toMatch(/^[0-9a-f]{48}\n$/);
    expect(before.engine_password).toMatch(/^[0-9a-f]{48}\n$/);
    expect(before.database_url).toMatch(/^postgres:\/\/hosotrinh:[0-9a-f]{48}@postgres:5432\/hosotrinh\n$/);
    expect(before.engine_database_url).toMatch(/^postgres:\/\/hosotrinh_engine:[0-9a-f]{48}@postgres:5432\/hosotrinh_engine\n$/);
    expect(new Set(Object.values(before)).size).toBe(4);
    // and config/index.ts reads the URL file as it is
    expect(new URL(before.database_url!.trim()).password).toHaveLength(48);
  });
});

describe('docker/engine-entrypoint.sh', () => {
  /** Runs the entrypoint with a stand-in `java` that prints the arguments and variables it got. */
  function runEntrypoint(env: Record<string, string>) {
    const bin = tmpDir();
    fs.writeFileSync(path.join(bin, 'java'), '#!/bin/sh\necho "args=$*"\nenv | grep -E "^ENGINE_(DB_|ADMIN_)" | sort\n', { mode: 0o755 });
    return spawnSync('sh', [path.join(root, 'docker', 'engine-entrypoint.sh')], {
      env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
      encoding: 'utf8',
    });
  }
  function secret(content: string): string {
    const file = path.join(tmpDir(), 'secret');
    fs.writeFileSync(file, content);
    return file;
  }

  it('should hand the launcher the JDBC URL, role and passwords read from the secret files', () => {
    const result = runEntrypoint({
      ENGINE_DATABASE_URL_FILE: secret('postgres://hosotrinh_engine:abc123@postgres:5432/hosotrinh_engine\n'),
      ENGINE_PASSWORD_FILE: secret('rest-password\n'),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'args=-jar /opt/engine/engine.jar',
        'ENGINE_ADMIN_PASSWORD=rest-password',
        'ENGINE_DB_PASSWORD=abc123',
        'ENGINE_DB_URL=jdbc:postgresql://postgres:5432/hosotrinh_engine',
        'ENGINE_DB_USER=hosotrinh_engine',
      ]),
    );
  });

  it('should refuse to start, without printing the secret, when the URL file holds no credentials', () => {
    const result = runEntrypoint({ ENGINE_DATABASE_URL_FILE: secret('jdbc:postgresql://postgres/hosotrinh_engine?password=leaked\n') });
    expect(result.status).toBe(64);
    expect(result.stdout).not.toMatch(/args=/);
    expect(result.stderr).toMatch(/ENGINE_DATABASE_URL_FILE must hold postgres:\/\/user:password@host:port\/database/);
    expect(result.stderr).not.toMatch(/leaked/);
  });

  it('should refuse to start when a secret file is missing or empty', () => {
    expect(runEntrypoint({ ENGINE_PASSWORD_FILE: path.join(os.tmpdir(), 'no-such-secret-file') }).status).toBe(64);
    expect(runEntrypoint({ ENGINE_PASSWORD_FILE: secret('\n') }).status).toBe(64);
  });
});

const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const hasDockerCompose = fs.existsSync(DOCKER_COMPOSE);

describe('docker-compose config (validation by compose itself, no daemon needed)', () => {
  it.skipIf(!hasDockerCompose)('should accept the file with no .env at all', () => {
    // given a hermetic environment: an empty --env-file so a developer's .env does not leak in
    const dir = tmpDir();
    const envFile = path.join(dir, 'empty.env');
    fs.writeFileSync(envFile, '');
    const result = spawnSync(DOCKER_COMPOSE, ['--env-file', envFile, '-f', composeFile, 'config', '-q'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
