/** Deploys processes/*.bpmn to the engine; unchanged files keep their current version. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineClient } from './client.ts';
import { describeViolation, findExecutableCode } from '../../domain/diagram-guard.ts';

export const PROCESSES_DIR = path.resolve(import.meta.dirname, '..', '..', 'processes');

export async function deployProcesses(engine: EngineClient, dir = PROCESSES_DIR): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.bpmn')).sort();
  const deployed: string[] = [];
  const files = await Promise.all(names.map(async (name) => ({ name, content: await fs.readFile(path.join(dir, name)) })));
  // The operator's diagrams obey the same rule as a designer's (nothing in them may run code); all are checked before any is deployed.
  for (const { name, content } of files) {
    const code = findExecutableCode(content.toString('utf8'));
    if (code.length) throw new Error(`${name}: ${describeViolation(code[0]!)}`);
  }
  // One deployment per file, so a change in one diagram does not version the others.
  for (const { name, content } of files) {
    const result = await engine.deploy(`ho-so-trinh:${name}`, [{ name, content }], true, 'processes');
    for (const def of Object.values(result.deployedProcessDefinitions ?? {})) deployed.push(`${def.key}:${def.version}`);
  }
  return deployed;
}
