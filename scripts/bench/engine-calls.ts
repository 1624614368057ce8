/**
 * The engine REST calls our servers made, by operation, from their Prometheus metrics
 * (hosotrinh_engine_call_duration_seconds, counted by the platform's engine client): the bench
 * reads them before and after a run to count the calls each person's step cost.
 */
import { httpCall, keepAliveAgent } from '../../platform/keep-alive-http.ts';

export type CallCounts = Map<string, number>;

/** Parses the histogram's `_count` lines into calls per operation (statuses summed). */
export function parseEngineCalls(metrics: string): CallCounts {
  const counts: CallCounts = new Map();
  for (const line of metrics.split('\n')) {
    // The operation itself holds braces ("POST /task/{id}/claim"): the labels run to the last one.
    const m = /^hosotrinh_engine_call_duration_seconds_count\{(.*)\}\s+([0-9.e+]+)\s*$/.exec(line);
    if (!m) continue;
    const operation = /operation="([^"]*)"/.exec(m[1]!)?.[1] ?? '?';
    counts.set(operation, (counts.get(operation) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** The calls of every server so far, summed per operation. */
export async function scrapeEngineCalls(metricsUrls: readonly string[]): Promise<CallCounts> {
  const total: CallCounts = new Map();
  for (const url of metricsUrls) {
    const agent = keepAliveAgent(new URL(url));
    const res = await httpCall(new URL(url), { method: 'GET', headers: {}, agent, timeoutMs: 10_000 }).finally(() => agent.destroy());
    if (res.status !== 200) throw new Error(`metrics ${url}: ${res.status}`);
    for (const [op, n] of parseEngineCalls(res.text)) total.set(op, (total.get(op) ?? 0) + n);
  }
  return total;
}

/** Calls per operation made between two scrapes, most first. */
export function callsBetween(before: CallCounts, after: CallCounts): [string, number][] {
  return [...after.entries()]
    .map(([op, n]) => [op, n - (before.get(op) ?? 0)] as [string, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** The calls that belong to a person's step: all but starting an instance (creating a dossier) and deploying. */
export const isStepCall = (operation: string) => !/\/start$|^POST \/deployment/.test(operation);
