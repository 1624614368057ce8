import { describe, expect, it } from 'vitest';
import { callsBetween, isStepCall, parseEngineCalls } from '../../scripts/bench/engine-calls.ts';
import { liveDossierOf } from '../../scripts/bench/api-volume.ts';
import { isLive, leadOf, seededId } from '../../store/bench-data.ts';

describe('bench: engine calls per step', () => {
  it('should count each operation of the histogram, braces of its path included, statuses summed', () => {
    // given a server's metrics with an operation whose path holds {id}
    const metrics = [
      '# TYPE hosotrinh_engine_call_duration_seconds histogram',
      'hosotrinh_engine_call_duration_seconds_bucket{le="0.1",operation="POST /task/{id}/claim",status="204"} 11',
      'hosotrinh_engine_call_duration_seconds_count{operation="POST /task/{id}/claim",status="204"} 12',
      'hosotrinh_engine_call_duration_seconds_count{operation="POST /task/{id}/claim",status="500"} 1',
      'hosotrinh_engine_call_duration_seconds_count{operation="POST /process-definition/key/{id}/start",status="200"} 4',
    ].join('\n');

    // when it is parsed and compared with an empty scrape
    const calls = callsBetween(new Map(), parseEngineCalls(metrics));

    // then the claims are 13, and starting an instance is not a person's step
    expect(calls).toEqual([
      ['POST /task/{id}/claim', 13],
      ['POST /process-definition/key/{id}/start', 4],
    ]);
    expect(calls.filter(([op]) => isStepCall(op)).map(([op]) => op)).toEqual(['POST /task/{id}/claim']);
  });
});

describe('bench: the generated history', () => {
  it('should ask each agency for a live dossier it leads, within the dossiers generated so far', () => {
    for (const total of [300, 600, 10_000, 300_000]) {
      for (let agency = 0; agency < 10; agency++) {
        for (let i = 0; i < 50; i++) {
          // when a client of that agency asks for a dossier's detail
          const id = liveDossierOf(agency, total, i);
          const g = Number(id.slice('HS-2024-'.length));

          // then it is a live one of its own agency, generated already
          expect(id).toBe(seededId(g));
          expect(g).toBeGreaterThan(0);
          expect(g).toBeLessThanOrEqual(total);
          expect(isLive(g)).toBe(true);
          expect(leadOf(g)).toBe(leadOf(10 * agency + 100));
        }
      }
    }
  });
});
