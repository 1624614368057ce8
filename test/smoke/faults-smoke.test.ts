import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runFaults } from '../../scripts/faults/index.ts';

describe('npm run faults --smoke', () => {
  it('should lose and duplicate nothing when workers are killed, the engine and the database go away, and bad input arrives', async () => {
    // given the suite's engine (behind a proxy the harness can take down)
    const engine = { restUrl: inject('engineRestUrl'), user: inject('engineUser'), password: inject('enginePassword'), databaseUrl: inject('engineDatabaseUrl') };

    // when the short version of the harness runs
    const report = await runFaults({ smoke: true, out: path.resolve(import.meta.dirname, '..', '..', 'artifacts', 'faults-smoke.json'), engine, log: () => {} });

    // then every count meets its goal (0 lost, 0 duplicated, 0 5xx) and every timing was measured
    for (const f of report.figures) {
      expect(f.value, f.name).not.toBeNull();
      if (f.goal && f.unit === 'count') expect(f.met, `${f.name}: ${f.value} (${f.note ?? ''})`).toBe(true);
    }
    expect(report.fuzz.serverErrors).toEqual([]);
    expect(report.fuzz.serverUp).toBe(true);
  }, 600_000);
});
