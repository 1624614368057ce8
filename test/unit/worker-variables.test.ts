/**
 * Every worker subscribes with the variables it reads (WorkerDefinition.variables): exactly the
 * names its file passes to requireString/requireInt or reads from `vars`, plus those of
 * withDossier or withDossierFacts when it uses one. A read left out of the list would get undefined at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_WORKERS } from '../../workers/all.ts';
import { DOSSIER_STEP_VARIABLES, DOSSIER_VARIABLES } from '../../workers/runtime/dossier-step.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Variable names a source file reads from a task's variables. */
function reads(text: string): string[] {
  return [
    ...[...text.matchAll(/require(?:String|Int|Bool|Boolean)\((?:ctx\.)?vars, '(\w+)'/g)].map((m) => m[1]!),
    // (not the module path './runtime/vars.ts')
    ...[...text.matchAll(/(?<![\w/])vars\.(?!ts')(\w+)/g)].map((m) => m[1]!),
  ];
}

describe('worker variables', () => {
  it('should read in the dossier step frame exactly the variables it declares', () => {
    const text = fs.readFileSync(path.join(root, 'workers', 'runtime', 'dossier-step.ts'), 'utf8');
    expect(new Set(reads(text))).toEqual(new Set([...DOSSIER_VARIABLES, ...DOSSIER_STEP_VARIABLES]));
  });

  for (const def of ALL_WORKERS) {
    it(`should subscribe ${def.topic} with exactly the variables its file reads`, () => {
      const text = fs.readFileSync(path.join(root, 'workers', `${def.topic}.ts`), 'utf8');
      const frame = /\bwithDossierFacts\(/.test(text) ? DOSSIER_STEP_VARIABLES : /\bwithDossier\(/.test(text) ? DOSSIER_VARIABLES : [];
      const expected = new Set([...reads(text), ...frame]);
      expect(def.variables, def.topic).toBeDefined();
      expect(new Set(def.variables)).toEqual(expected);
      expect(def.variables!.length, `${def.topic}: no name twice`).toBe(new Set(def.variables).size);
    });
  }
});
