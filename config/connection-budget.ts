/**
 * PostgreSQL connections are a shared, fixed budget (max_connections, 100 by default): every
 * engine node, server process and worker process holds a pool of its own, and their sum must stay
 * under that budget with room left for operators, migrations and maintenance, or requests fail
 * with "too many clients" exactly when the installation is scaled out. This divides the budget
 * among the processes of a shape, never above the pools one process of each would get.
 */

export type Shape = { engines: number; servers: number; workerProcesses: number };

export type PoolSizes = {
  /** The engine's JDBC pool (ENGINE_DB_POOL), per engine node. */
  engine: number;
  /** The server's pool on our database (DB_POOL_SIZE), per server process. */
  server: number;
  /** The server's pool on the engine's tables (ENGINE_READER_POOL_SIZE), per server process. */
  serverEngineReader: number;
  /** A worker process's pool on our database (DB_POOL_SIZE), per worker process. */
  worker: number;
  /** Every connection of the shape at its fullest. */
  total: number;
};

/** One process of each, as they are sized when nothing else shares the server. */
export const FULL_POOLS = { engine: 20, server: 20, serverEngineReader: 10, worker: 25 } as const;
/** Below these a process queues its own work more than the machine does (a server keeps one of its pool LISTENing for live events). */
const MIN_POOLS = { engine: 5, server: 4, serverEngineReader: 2, worker: 4 } as const;
/** Kept free for psql, migrations, backups and the superuser slots. */
export const RESERVED_CONNECTIONS = 15;

export class ConnectionBudgetError extends Error {}

/** `connections`: what the server still allows (max_connections less those other programs hold). */
export function poolSizes(connections: number, shape: Shape): PoolSizes {
  if (!Number.isInteger(connections) || connections < 1) throw new ConnectionBudgetError(`the connections PostgreSQL still allows must be a positive whole number, got ${connections}`);
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1) throw new ConnectionBudgetError(`${k} must be a whole number of at least 1, got ${v}`);
  }
  const available = connections - RESERVED_CONNECTIONS;
  const need = (p: Omit<PoolSizes, 'total'>) => shape.engines * p.engine + shape.servers * (p.server + p.serverEngineReader) + shape.workerProcesses * p.worker;
  if (need(FULL_POOLS) <= available) return { ...FULL_POOLS, total: need(FULL_POOLS) };
  if (need(MIN_POOLS) > available) {
    throw new ConnectionBudgetError(
      `PostgreSQL allows ${connections} more connections; ${shape.engines} engine nodes, ${shape.servers} server processes and ${shape.workerProcesses} worker processes need at least ${need(MIN_POOLS) + RESERVED_CONNECTIONS} (${RESERVED_CONNECTIONS} kept free): raise max_connections or run fewer processes`,
    );
  }
  // Every pool shrinks by the same share of what lies between its floor and its full size.
  const share = (available - need(MIN_POOLS)) / (need(FULL_POOLS) - need(MIN_POOLS));
  const scaled = {
    engine: Math.floor(MIN_POOLS.engine + share * (FULL_POOLS.engine - MIN_POOLS.engine)),
    server: Math.floor(MIN_POOLS.server + share * (FULL_POOLS.server - MIN_POOLS.server)),
    serverEngineReader: Math.floor(MIN_POOLS.serverEngineReader + share * (FULL_POOLS.serverEngineReader - MIN_POOLS.serverEngineReader)),
    worker: Math.floor(MIN_POOLS.worker + share * (FULL_POOLS.worker - MIN_POOLS.worker)),
  };
  return { ...scaled, total: need(scaled) };
}

/** The environment each kind of process reads its pool sizes from (config/index.ts, the engine's application.yaml). */
export function poolEnv(p: PoolSizes): { engine: Record<string, string>; server: Record<string, string>; workers: Record<string, string> } {
  return {
    engine: { ENGINE_DB_POOL: String(p.engine) },
    server: { DB_POOL_SIZE: String(p.server), ENGINE_READER_POOL_SIZE: String(p.serverEngineReader) },
    workers: { DB_POOL_SIZE: String(p.worker) },
  };
}
