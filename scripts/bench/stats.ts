/** Percentiles, rates and the result table shared by the benchmark and the fault harness. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);

export type Figure = {
  /** What was measured, e.g. "worker runtime: tasks/s". */
  name: string;
  value: number | null;
  unit: string;
  /** The goal as text ("≥ 0.95", "≤ 20 ms") and whether the value meets it (null: no goal). */
  goal: string | null;
  met: boolean | null;
  /** The same figure for the baseline measured in the same run, when there is one. */
  baseline?: number | null;
  note?: string;
};

export function figure(name: string, value: number | null, unit: string, goal?: { op: '>=' | '<=' | '=='; target: number }, extra: Partial<Figure> = {}): Figure {
  let met: boolean | null = null;
  if (goal && value !== null && Number.isFinite(value)) {
    met = goal.op === '>=' ? value >= goal.target : goal.op === '<=' ? value <= goal.target : value === goal.target;
  } else if (goal) met = false;
  const goalText = goal ? `${goal.op === '>=' ? '≥' : goal.op === '<=' ? '≤' : '='} ${goal.target}${unit && unit !== 'ratio' && unit !== 'count' ? ` ${unit}` : ''}` : null;
  return { name, value: value === null ? null : round(value, 2), unit, goal: goalText, met, ...extra };
}

/** A plain-text table: figure, value, baseline, goal, met. */
export function table(figures: readonly Figure[]): string {
  const rows = [['figure', 'value', 'baseline', 'goal', 'met'], ...figures.map((f) => [
    f.name,
    f.value === null ? 'n/a' : `${f.value}${f.unit && f.unit !== 'ratio' && f.unit !== 'count' ? ` ${f.unit}` : ''}`,
    f.baseline === undefined || f.baseline === null ? '' : String(round(f.baseline, 2)),
    f.goal ?? '',
    f.met === null ? '' : f.met ? 'yes' : 'NO',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(runners);
}
