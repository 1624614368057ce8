/** scripts/bench/autovacuum.ts: the bench's stand-in for autovacuum follows PostgreSQL's default thresholds. */
import { describe, expect, it } from 'vitest';
import { autovacuumWork } from '../../scripts/bench/autovacuum.ts';

const table = (t: Partial<Parameters<typeof autovacuumWork>[0]>) => ({ name: 't', reltuples: 0, n_dead_tup: 0, n_ins_since_vacuum: 0, n_mod_since_analyze: 0, ...t });

describe('autovacuum thresholds', () => {
  it('should vacuum once dead rows pass 50 + 20 % of the table, and analyze once changes pass 50 + 10 %', () => {
    expect(autovacuumWork(table({ reltuples: 1000, n_dead_tup: 250, n_mod_since_analyze: 150 }))).toEqual({ vacuum: false, analyze: false });
    expect(autovacuumWork(table({ reltuples: 1000, n_dead_tup: 251, n_mod_since_analyze: 151 }))).toEqual({ vacuum: true, analyze: true });
  });

  it('should vacuum an insert-only table once inserts pass 1000 + 20 %, and treat a never-analyzed table (-1 rows) as empty', () => {
    expect(autovacuumWork(table({ reltuples: 10_000, n_ins_since_vacuum: 3000 }))).toEqual({ vacuum: false, analyze: false });
    expect(autovacuumWork(table({ reltuples: 10_000, n_ins_since_vacuum: 3001 }))).toEqual({ vacuum: true, analyze: false });
    expect(autovacuumWork(table({ reltuples: -1, n_mod_since_analyze: 51 }))).toEqual({ vacuum: false, analyze: true });
  });
});
