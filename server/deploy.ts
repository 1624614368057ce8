/** Deploys processes/*.bpmn to the engine; unchanged files keep their current version. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineClient } from './engine/client.ts';

export const PROCESSES_DIR = path.resolve(import.meta.dirname, '..', 'processes');

export async function deployProcesses(engine: EngineClient, dir = PROCESSES_DIR): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.bpmn')).sort();
  const deployed: string[] = [];
  // One deployment per file, so a change in one diagram does not version the others.
  for (const name of names) {
    const content = await fs.readFile(path.join(dir, name));
    const result = await engine.deploy(`ho-so-trinh:${name}`, [{ name, content }], true, 'processes');
    for (const def of Object.values(result.deployedProcessDefinitions ?? {})) deployed.push(`${def.key}:${def.version}`);
  }
  return deployed;
}
