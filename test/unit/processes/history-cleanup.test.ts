/** The engine's history does not grow without end: every diagram has a time to live, and the engine a cleanup window. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('engine history cleanup', () => {
  it('should give every process of processes/ a history time to live of at most a year, in days', () => {
    const diagrams = fs.readdirSync(path.join(root, 'processes')).filter((f) => f.endsWith('.bpmn'));
    expect(diagrams.length).toBeGreaterThan(0);
    for (const file of diagrams) {
      const xml = fs.readFileSync(path.join(root, 'processes', file), 'utf8');
      const processes = [...xml.matchAll(/<bpmn:process\b[^>]*>/g)].map((m) => m[0]);
      expect(processes.length, file).toBeGreaterThan(0);
      for (const p of processes) {
        const ttl = /camunda:historyTimeToLive="(\d+)"/.exec(p)?.[1];
        expect(ttl, `${file}: ${p}`).toBeDefined();
        expect(Number(ttl), file).toBeGreaterThanOrEqual(30);
        expect(Number(ttl), file).toBeLessThanOrEqual(365);
      }
    }
  });

  it('should configure the engine to remove finished history by removal time in a nightly window', () => {
    const yaml = fs.readFileSync(path.join(root, 'engine', 'src', 'main', 'resources', 'application.yaml'), 'utf8');
    expect(yaml).toMatch(/historyCleanupStrategy: removalTimeBased/);
    expect(yaml).toMatch(/historyRemovalTimeStrategy: end/);
    expect(yaml).toMatch(/historyCleanupBatchWindowStartTime: "\$\{ENGINE_HISTORY_CLEANUP_START:\d\d:\d\d\}"/);
    expect(yaml).toMatch(/historyCleanupBatchWindowEndTime: "\$\{ENGINE_HISTORY_CLEANUP_END:\d\d:\d\d\}"/);
  });
});
