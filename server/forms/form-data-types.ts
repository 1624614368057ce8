/**
 * Writes server/forms/form-data.ts, the data type each task form gives its handler, from the forms
 * themselves (processes/forms/<formKey>.form): a field's type is what the validator returns for it,
 * and it is optional when the form does not require it or may hide it. Run `npm run forms:types`
 * after changing a form; a unit test fails while the written file differs from what the forms say.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORM_KEYS, loadForms, type FormComponent } from './index.ts';

export const FORM_DATA_FILE = path.resolve(import.meta.dirname, 'form-data.ts');

/** The TypeScript type of what the validator (./index.ts) returns for a component's value. */
function typeOf(c: FormComponent): string {
  switch (c.properties?.serverSchema) {
    case 'document':
      return 'DocumentInput';
    case 'documents':
      return 'DocumentInput[]';
    case 'dossierChanges':
      return 'UpdateDossierInput';
    case 'agencyCodes':
      return 'string[]';
  }
  if (c.type === 'number') return 'number';
  if (c.type === 'checkbox') return 'boolean';
  if ((c.type === 'radio' || c.type === 'select') && !c.valuesKey) {
    const values = [...new Set((c.values ?? []).map((v) => (typeof v.value === 'string' ? `'${v.value.replace(/[\\']/g, '\\$&')}'` : String(v.value))))];
    return values.length === 2 && values.includes('true') && values.includes('false') ? 'boolean' : values.join(' | ');
  }
  return 'string';
}

/** Whether the validator always gives the field a value: required (an unticked checkbox and an empty file list are values) and never hidden. */
function alwaysPresent(c: FormComponent): boolean {
  if (c.conditional?.hide) return false;
  return c.type === 'checkbox' || c.properties?.serverSchema === 'documents' || c.validate?.required === true;
}

/** The text of server/forms/form-data.ts as the forms now are. */
export function formDataSource(): string {
  const forms = loadForms();
  const lines = [
    '// Written by server/forms/form-data-types.ts from processes/forms/*.form (npm run forms:types): do not edit.',
    "import type { DocumentInput, UpdateDossierInput } from '../schemas.ts';",
    '',
    '/** What each task form gives its handler once valid: one entry per form, one property per field. */',
    'export type TaskFormData = {',
  ];
  for (const key of FORM_KEYS) {
    const fields = forms.get(key)!.fields.map((f) => `${f.key}${alwaysPresent(f.component) ? '' : '?'}: ${typeOf(f.component)}`);
    lines.push(`  '${key}': { ${fields.join('; ')} };`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(FORM_DATA_FILE, formDataSource());
  console.log(`wrote ${path.relative(process.cwd(), FORM_DATA_FILE)}`);
}
