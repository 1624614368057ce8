/**
 * Deploys processes/*.bpmn to the engine, each diagram with the forms its user tasks name
 * (`camunda:formRef`, processes/forms/<form id>.form) in one deployment, since a task binds its
 * form by deployment. A diagram whose files are all unchanged keeps its current version; when one
 * changed, the whole set is deployed again, so a new version never refers to an older deployment.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineClient } from './client.ts';
import { describeViolation, findExecutableCode, formRefsOf } from '../../domain/diagram-guard.ts';
import { checkFormText } from '../../domain/form-guard.ts';

export const PROCESSES_DIR = path.resolve(import.meta.dirname, '..', '..', 'processes');

type File = { name: string; content: Buffer };

/** The forms a diagram names, read from `dir`/forms and checked as any form is (domain/form-guard.ts). */
async function formsOf(dir: string, diagram: string, xml: string): Promise<File[]> {
  return Promise.all(
    formRefsOf(xml).map(async (id) => {
      const name = `${id}.form`;
      if (!/^[a-z][a-z0-9-]{0,63}\.form$/.test(name)) throw new Error(`${diagram}: form ${id} is not a form id`);
      const content = await fs.readFile(path.join(dir, 'forms', name)).catch(() => {
        throw new Error(`${diagram}: form ${id} is named by a user task but processes/forms/${name} does not exist`);
      });
      const parsed = checkFormText(content.toString('utf8'));
      const { problems } = parsed;
      if (problems.length) throw new Error(`${name}: ${problems[0]!.message}`);
      if ((parsed.schema as { id?: unknown }).id !== id) throw new Error(`${name}: its id must be ${id}, the name the diagram uses`);
      return { name, content };
    }),
  );
}

export async function deployProcesses(engine: EngineClient, dir = PROCESSES_DIR): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.bpmn')).sort();
  const deployed: string[] = [];
  const files = await Promise.all(names.map(async (name) => ({ name, content: await fs.readFile(path.join(dir, name)) })));
  // The operator's diagrams obey the same rule as a designer's (nothing in them may run code); all are checked before any is deployed.
  const sets: File[][] = [];
  for (const { name, content } of files) {
    const xml = content.toString('utf8');
    const code = findExecutableCode(xml);
    if (code.length) throw new Error(`${name}: ${describeViolation(code[0]!)}`);
    sets.push([{ name, content }, ...(await formsOf(dir, name, xml))]);
  }
  // One deployment per diagram with its forms, so a change in one diagram does not version the others.
  for (const set of sets) {
    const result = await engine.deploy(`ho-so-trinh:${set[0]!.name}`, set, 'whole', 'processes');
    for (const def of Object.values(result.deployedProcessDefinitions ?? {})) deployed.push(`${def.key}:${def.version}`);
  }
  return deployed;
}
