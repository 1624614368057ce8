/** config/index.ts: defaults that work on a developer machine, and what production refuses. */
import { describe, expect, it } from 'vitest';
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
