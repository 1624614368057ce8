/**
 * The designer's form editor: one task form in @bpmn-io/form-js-editor (palette, canvas and
 * properties), loaded only when a designer opens a form, so no other page carries it. The edited
 * schema is linted with the server's own checks of a form (domain/form-guard.ts) as it changes.
 */
import { FormEditor } from '@bpmn-io/form-js-editor';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/dragula.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';

export type OpenForm = {
  /** The schema as edited now. */
  schema(): Record<string, unknown>;
  destroy(): void;
};

/** Opens `schema` in the editor inside `container`; `onChange` gets the schema after each edit. */
export async function openFormEditor(container: HTMLElement, schema: Record<string, unknown>, onChange: (schema: Record<string, unknown>) => void): Promise<OpenForm> {
  const editor = new FormEditor({ container });
  await editor.importSchema(schema as Parameters<FormEditor['importSchema']>[0]);
  const current = () => editor.saveSchema() as unknown as Record<string, unknown>;
  editor.on('changed', () => onChange(current()));
  return { schema: current, destroy: () => editor.destroy() };
}
