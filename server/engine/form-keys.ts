/**
 * The camunda:formKey of each user task, read once per deployed process definition (a definition
 * never changes once deployed, so the answer is kept for the life of the process).
 */
import type { EngineClient } from '../../platform/engine/client.ts';

const MAX_DEFINITIONS = 500;

/** `<bpmn:userTask id="…" camunda:formKey="…">` → id → formKey; our deploy refuses DOCTYPE/ENTITY, so plain tags are all there is. */
export function formKeysOfXml(xml: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const tag of xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?userTask\b([^>]*)>/g)) {
    const attrs = tag[1]!;
    const id = /\sid\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2];
    const formKey = /\s(?:[A-Za-z_][\w.-]*:)?formKey\s*=\s*(["'])(.*?)\1/.exec(attrs)?.[2];
    if (id && formKey) keys.set(id, formKey);
  }
  return keys;
}

export class FormKeys {
  private readonly byDefinition = new Map<string, Promise<Map<string, string>>>();

  constructor(private readonly engine: Pick<EngineClient, 'getProcessDefinitionXml'>) {}

  async of(task: { processDefinitionId: string; taskDefinitionKey: string }): Promise<string | null> {
    let keys = this.byDefinition.get(task.processDefinitionId);
    if (!keys) {
      if (this.byDefinition.size >= MAX_DEFINITIONS) this.byDefinition.delete(this.byDefinition.keys().next().value!);
      keys = this.engine.getProcessDefinitionXml(task.processDefinitionId).then(formKeysOfXml);
      // A failed read is not remembered: the next task asks again.
      void keys.catch(() => this.byDefinition.delete(task.processDefinitionId));
      this.byDefinition.set(task.processDefinitionId, keys);
    }
    return (await keys).get(task.taskDefinitionKey) ?? null;
  }
}
