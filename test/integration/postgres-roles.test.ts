/**
 * docker/postgres-init.sh, the compose PostgreSQL's first-start script, run for real against the
 * test PostgreSQL: one role per database, no superuser rights, no way into the other database, and
 * our migrations still run as that role.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../store/data-source.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('docker/postgres-init.sh', () => {
  const server = new URL(inject('pgServerUrl'));
  const suffix = randomBytes(4).toString('hex');
  const app = { role: `hst_role_app_${suffix}`, db: `hst_role_appdb_${suffix}`, password: randomBytes(12).toString('hex') };
  const engine = { role: `hst_role_eng_${suffix}`, db: `hst_role_engdb_${suffix}`, password: randomBytes(12).toString('hex') };
  const urlOf = (who: typeof app) => `postgres://${who.role}:${who.password}@${server.hostname}:${server.port || 5432}/${who.db}`;
  let dir: string;
  let admin: pg.Client;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    // given the two URL secrets, as docker/make-secrets.sh writes them
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postgres-init-'));
    fs.writeFileSync(path.join(dir, 'database_url'), `${urlOf(app)}\n`);
    fs.writeFileSync(path.join(dir, 'engine_database_url'), `${urlOf(engine)}\n`);
    // when the postgres image would run the script (as the superuser, on the server it initialises)
    result = spawnSync('sh', [path.join(root, 'docker', 'postgres-init.sh')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        POSTGRES_USER: decodeURIComponent(server.username || 'postgres'),
        PGHOST: server.hostname,
        PGPORT: server.port || '5432',
        PGPASSWORD: decodeURIComponent(server.password),
        DATABASE_URL_FILE: path.join(dir, 'database_url'),
        ENGINE_DATABASE_URL_FILE: path.join(dir, 'engine_database_url'),
      },
    });
    admin = new pg.Client({ connectionString: inject('pgServerUrl') });
    await admin.connect();
  });

  afterAll(async () => {
    for (const who of [app, engine]) {
      await admin.query(`DROP DATABASE IF EXISTS ${who.db} WITH (FORCE)`).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${who.role}`).catch(() => {});
    }
    await admin?.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should create each database owned by a login role without superuser, database or role rights', async () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const who of [app, engine]) {
      const { rows } = await admin.query(
        `SELECT r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls, pg_get_userbyid(d.datdba) AS owner
           FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid JOIN pg_database d ON d.datname = $2 WHERE r.rolname = $1`,
        [who.role, who.db],
      );
      expect(rows).toEqual([
        { rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false, owner: who.role },
      ]);
      // and it has a password, stored as a hash
      const { rows: hash } = await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [who.role]);
      expect(hash[0].rolpassword).toMatch(/^(SCRAM-SHA-256|md5)/);
      expect(hash[0].rolpassword).not.toContain(who.password);
    }
  });

  it('should refuse each role the other database', async () => {
    // given our role, when it connects to the engine's database, then PostgreSQL refuses
    const intruder = new pg.Client({ connectionString: urlOf({ ...app, db: engine.db }) });
    await expect(intruder.connect()).rejects.toThrow(/permission denied for database/);
    await intruder.end().catch(() => {});
  });

  it('should let our migrations run as the role on its own database', async () => {
    const ds = await openDatabase(urlOf(app), { poolSize: 2 });
    try {
      const rows = (await ds.query(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'dossier'`)) as { owner: string }[];
      expect(rows.map((r) => r.owner)).toEqual([app.role]);
    } finally {
      await ds.destroy();
    }
  });

  it('should stop with an error, and create nothing, when a URL names a role that is not a plain identifier', () => {
    const bad = path.join(dir, 'bad_url');
    fs.writeFileSync(bad, `postgres://evil";DROP ROLE x;--:pw@${server.hostname}/db_${suffix}\n`);
    const run = spawnSync('sh', [path.join(root, 'docker', 'postgres-init.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', POSTGRES_USER: 'postgres', PGHOST: server.hostname, PGPORT: server.port || '5432', DATABASE_URL_FILE: bad, ENGINE_DATABASE_URL_FILE: bad },
    });
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/role and database must be lower-case letters, digits and _/);
  });
});
