import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Two modules that import each other (types included) cannot be read or moved one at a time.
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DIRS = ['config', 'domain', 'platform', 'store', 'server', 'workers', 'scripts', 'ui/src'];
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.includes('node_modules') && !f.endsWith('.d.ts'))
    .map((f) => path.join(abs, f));
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(path.relative(ROOT, w));
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  it('should find a circle when two modules import each other', () => {
    expect(cycles(new Map([['/a', ['/b']], ['/b', ['/a']], ['/c', ['/a']]]))).toHaveLength(1);
  });

  it('should have no import circle in the code we ship and run', () => {
    const files = DIRS.flatMap(sourceFiles);
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const targets = [...fs.readFileSync(f, 'utf8').matchAll(IMPORT)].map((m) => path.resolve(path.dirname(f), m[1]!));
      graph.set(f, targets.filter((t) => known.has(t)));
    }
    expect(files.length).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });
});
