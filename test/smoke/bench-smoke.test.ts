import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runBench } from '../../scripts/bench/index.ts';

describe('npm run bench --smoke', () => {
  it('should produce every figure with its goal when run at tiny sizes against the real engine', async () => {
    // given the suite's engine and PostgreSQL
    const engine = { restUrl: inject('engineRestUrl'), user: inject('engineUser'), password: inject('enginePassword'), databaseUrl: inject('engineDatabaseUrl') };

    // when the benchmark runs at smoke sizes
    const report = await runBench({
      smoke: true,
      dossiers: 4,
      out: path.resolve(import.meta.dirname, '..', '..', 'artifacts', 'bench-smoke.json'),
      engine,
      pgServerUrl: inject('pgServerUrl'),
      log: () => {},
    });

    // then every figure has a value, and those with a goal say whether they met it (never how fast)
    const names = report.figures.map((f) => f.name);
    for (const expected of [
      'worker runtime: ratio to raw loop',
      'pickup latency p95',
      'whole dossiers: ratio to raw driver',
      'whole dossiers: lost',
      'engine calls per person step',
      'whole dossiers: scaled-out ratio to 1/1/1',
      'whole dossiers scaled out: lost',
      'engine tables per 1,000 finished dossiers',
      'API task list p95',
      'API dossier list (filters) p95',
      'API dossier detail p95',
      "engine's own task query p95",
      "API task list p95 ÷ engine's own",
      'API task list growth 900/300',
      'API dossier list (filters) growth 900/300',
      'API dossier detail growth 900/300',
      'RSS server after run',
      'RSS workers after run',
    ]) {
      expect(names).toContain(expected);
    }
    for (const f of report.figures) {
      expect(f.value, f.name).not.toBeNull();
      expect(Number.isFinite(f.value), f.name).toBe(true);
      if (f.goal) expect(typeof f.met, f.name).toBe('boolean');
    }
    expect(report.figures.find((f) => f.name === 'whole dossiers: lost')!.value).toBe(0);
    expect(report.figures.find((f) => f.name === 'whole dossiers scaled out: lost')!.value).toBe(0);
    // every request of the load was answered (a refused detail or list would time nothing)
    for (const f of report.figures.filter((x) => / p50$/.test(x.name) && x.note?.includes('errors'))) expect(f.note, f.name).toMatch(/ 0 errors/);
    expect(report.slowQueries.length).toBeGreaterThan(0);
    // and where the server runs without autovacuum, the bench did its work from the start
    if (report.autovacuum.emulated) expect(report.autovacuum.passes).toBeGreaterThan(0);
  }, 600_000);
});
