/** config/index.ts: defaults that work on a developer machine, and what production refuses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';

const production = { NODE_ENV: 'production', ENGINE_PASSWORD: 'a-real-engine-password' };

describe('loadConfig', () => {
  it('should seed the demo organisation by default in development and test, and not in production', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig(production).seedDemo).toBe(false);
  });

  it('should refuse SEED_DEMO=true in production, and a value that is not true or false', () => {
    expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ SEED_DEMO: 'yes' })).toThrow(/SEED_DEMO/);
  });

  it('should refuse an empty engine password or the default "admin" in production, and accept both in development', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ENGINE_PASSWORD/);
    expect(() => loadConfig({ NODE_ENV: 'production', ENGINE_PASSWORD: 'admin' })).toThrow(ConfigError);
    expect(loadConfig({ ENGINE_PASSWORD: 'admin' }).engine.password).toBe('admin');
    expect(loadConfig({}).engine.password).toBe('admin');
  });

  it('should start in production without any session secret: sessions are random ids stored hashed', () => {
    const config = loadConfig(production);
    expect(config.mode).toBe('production');
    expect(config.server).not.toHaveProperty('sessionSecret');
  });
});

describe('loadConfig with secrets in files (NAME_FILE)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  function secretFile(content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-secret-'));
    dirs.push(dir);
    const file = path.join(dir, 'secret');
    fs.writeFileSync(file, content, { mode: 0o600 });
    return file;
  }

  it('should read DATABASE_URL, ENGINE_DATABASE_URL and ENGINE_PASSWORD from their _FILE without the trailing newline when the files are given', () => {
    // given three secret files as compose mounts them under /run/secrets
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL_FILE: secretFile('postgres://hosotrinh:s3cret@postgres:5432/hosotrinh\n'),
      ENGINE_DATABASE_URL_FILE: secretFile('postgres://hosotrinh_engine:other@postgres:5432/hosotrinh_engine\r\n'),
      ENGINE_PASSWORD_FILE: secretFile('engine pass with spaces \n'),
    };
    // when the configuration is built
    const config = loadConfig(env);
    // then each secret is the file's content, one final newline removed and nothing else
    expect(config.databaseUrl).toBe('postgres://hosotrinh:s3cret@postgres:5432/hosotrinh');
    expect(config.engine.databaseUrl).toBe('postgres://hosotrinh_engine:other@postgres:5432/hosotrinh_engine');
    expect(config.engine.password).toBe('engine pass with spaces ');
    // and the caller's environment is left as it was
    expect(env).not.toHaveProperty('DATABASE_URL');
  });

  it('should apply the production checks to a secret read from a file when it is the default', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ENGINE_PASSWORD_FILE: secretFile('admin\n') })).toThrow(/ENGINE_PASSWORD/);
  });

  it('should refuse a secret given both directly and as a file', () => {
    expect(() => loadConfig({ ENGINE_PASSWORD: 'x'.repeat(20), ENGINE_PASSWORD_FILE: secretFile('y'.repeat(20)) })).toThrow(/ENGINE_PASSWORD and ENGINE_PASSWORD_FILE/);
  });

  it('should refuse an empty secret file, and name a missing one without its content', () => {
    expect(() => loadConfig({ DATABASE_URL_FILE: secretFile('\n') })).toThrow(/DATABASE_URL_FILE: .* is empty/);
    const missing = path.join(os.tmpdir(), 'no-such-dir-for-config-test', 'database_url');
    expect(() => loadConfig({ DATABASE_URL_FILE: missing })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL_FILE: missing })).toThrow(/cannot read .*database_url \(ENOENT\)/);
  });

  it('should not read a file for a variable that is no secret when its _FILE is set', () => {
    // given HOST_FILE pointing at a file: only the listed secrets have a _FILE form
    const config = loadConfig({ HOST_FILE: secretFile('0.0.0.0') });
    expect(config.server.host).toBe('127.0.0.1');
  });
});
