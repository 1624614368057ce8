/** `npm start` reads a .env file (config/index.ts loadEnvFile): the file fills in, the environment wins. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadEnvFile } from '../../config/index.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadEnvFile', () => {
  it('should fill in what the environment lacks and keep what it sets when both name a variable', () => {
    // Given a .env and an environment that both set PORT
    fs.writeFileSync(path.join(dir, '.env'), '# a comment\nPORT=4000\nENGINE_PORT=9090\nENGINE_PASSWORD="s3cret value"\nSEED_DEMO=\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000' };

    // When it is read
    const result = loadEnvFile(dir, env);
    result.fromFile.sort();

    // Then the environment's PORT stays, the others come from the file, and only names are reported
    expect(env).toEqual({ PORT: '5000', ENGINE_PORT: '9090', ENGINE_PASSWORD: 's3cret value', SEED_DEMO: '' });
    expect(result).toEqual({ file: path.join(dir, '.env'), fromFile: ['ENGINE_PASSWORD', 'ENGINE_PORT', 'SEED_DEMO'], fromEnvironment: ['PORT'] });
    expect(JSON.stringify(result)).not.toContain('s3cret');
    // And an empty value still means the default
    expect(loadConfig(env).seedDemo).toBe(true);
  });

  it('should keep a variable the environment sets to an empty value when the file sets it too', () => {
    fs.writeFileSync(path.join(dir, '.env'), 'DATABASE_URL=postgres://file@db/x\n');
    const env: NodeJS.ProcessEnv = { DATABASE_URL: '' };
    expect(loadEnvFile(dir, env).fromEnvironment).toEqual(['DATABASE_URL']);
    expect(env.DATABASE_URL).toBe('');
  });

  it('should read nothing when there is no .env and ENV_FILE is not set', () => {
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    expect(loadEnvFile(dir, env)).toEqual({ file: null, fromFile: [], fromEnvironment: [] });
    expect(env).toEqual({ PORT: '5000' });
  });

  it('should read the file ENV_FILE names, relative to the project, instead of .env', () => {
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=1\n');
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, 'conf', 'local.env'), 'PORT=4001\n');
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'conf/local.env' };
    expect(loadEnvFile(dir, env).file).toBe(path.join(dir, 'conf', 'local.env'));
    expect(env.PORT).toBe('4001');
  });

  it('should refuse to start when the file ENV_FILE names cannot be read', () => {
    expect(() => loadEnvFile(dir, { ENV_FILE: 'missing.env' })).toThrow(ConfigError);
  });
});
