/**
 * One real engine for the integration run: built if needed, started on a free port against its
 * own fresh database on the PostgreSQL we find (DATABASE_URL, the local server, or a private one),
 * and dropped afterwards.
 */
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { buildEngine, startEngine } from '../../scripts/engine.ts';
import { dropDatabase, ensureDatabase, resolvePostgres, withDatabase } from '../../store/postgres.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { EngineReadModel } from '../../store/engine-read-model.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    engineRestUrl: string;
    engineUser: string;
    enginePassword: string;
    engineDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '..', '..');
  await buildEngine((l) => console.log(l));
  const pg = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: path.join(root, '.data', 'test'), log: console.log });
  const engineDb = `hst_test_engine_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(pg.serverUrl, engineDb);
  const port = await freePort();
  const user = 'enginetest';
  const password = randomBytes(12).toString('hex');
  fs.mkdirSync(path.join(root, 'artifacts'), { recursive: true });
  const started = Date.now();
  const engine = await startEngine({
    port,
    databaseUrl: withDatabase(pg.serverUrl, engineDb),
    user,
    password,
    logFile: path.join(root, 'artifacts', 'engine-test.log'),
    quickStart: true,
  });
  console.log(`engine ready on port ${port} in ${((Date.now() - started) / 1000).toFixed(1)} s (${pg.origin} PostgreSQL)`);
  // What the server does at start-up on the engine's database (server/main.ts).
  const reader = new EngineReadModel(withDatabase(pg.serverUrl, engineDb), { poolSize: 1 });
  await reader.ensureIndexes(console);
  await reader.close();
  project.provide('pgServerUrl', pg.serverUrl);
  project.provide('engineRestUrl', engine.restUrl);
  project.provide('engineUser', user);
  project.provide('enginePassword', password);
  project.provide('engineDatabaseUrl', withDatabase(pg.serverUrl, engineDb));
  return async () => {
    await engine.stop();
    await dropDatabase(pg.serverUrl, engineDb).catch(() => {});
    await pg.stop();
  };
}
