import { describe, expect, it } from 'vitest';
import { ConnectionBudgetError, FULL_POOLS, RESERVED_CONNECTIONS, poolEnv, poolSizes } from '../../config/connection-budget.ts';

describe('the connection budget (config/connection-budget.ts)', () => {
  it('should give one process of each its full pools when the server allows them', () => {
    const p = poolSizes(97, { engines: 1, servers: 1, workerProcesses: 1 });
    expect(p).toMatchObject(FULL_POOLS);
    expect(p.total).toBe(20 + 20 + 10 + 25);
  });

  it('should shrink every pool of a scaled-out shape to fit what PostgreSQL still allows, keeping connections free', () => {
    // 2 engine nodes, 2 servers, 3 worker processes want 175 at their fullest: far above a default server's 100.
    const shape = { engines: 2, servers: 2, workerProcesses: 3 };
    const p = poolSizes(97, shape);
    expect(p.total).toBeLessThanOrEqual(97 - RESERVED_CONNECTIONS);
    expect(p.total).toBe(shape.engines * p.engine + shape.servers * (p.server + p.serverEngineReader) + shape.workerProcesses * p.worker);
    for (const k of ['engine', 'server', 'serverEngineReader', 'worker'] as const) {
      expect(p[k]).toBeLessThan(FULL_POOLS[k]);
      expect(p[k]).toBeGreaterThanOrEqual(2);
    }
    // And with room to spare, the same shape gets bigger pools.
    expect(poolSizes(300, shape)).toMatchObject(FULL_POOLS);
  });

  it('should refuse a shape that cannot fit, naming how many connections it needs', () => {
    expect(() => poolSizes(40, { engines: 4, servers: 4, workerProcesses: 4 })).toThrow(ConnectionBudgetError);
    expect(() => poolSizes(40, { engines: 4, servers: 4, workerProcesses: 4 })).toThrow(/need at least \d+ .*raise max_connections/);
    expect(() => poolSizes(0, { engines: 1, servers: 1, workerProcesses: 1 })).toThrow(ConnectionBudgetError);
    expect(() => poolSizes(100, { engines: 0, servers: 1, workerProcesses: 1 })).toThrow(/engines must be a whole number/);
  });

  it('should hand each kind of process the variables it reads its pools from', () => {
    const env = poolEnv(poolSizes(97, { engines: 2, servers: 2, workerProcesses: 3 }));
    expect(Object.keys(env.engine)).toEqual(['ENGINE_DB_POOL']);
    expect(Object.keys(env.server).sort()).toEqual(['DB_POOL_SIZE', 'ENGINE_READER_POOL_SIZE']);
    expect(Object.keys(env.workers)).toEqual(['DB_POOL_SIZE']);
  });
});
