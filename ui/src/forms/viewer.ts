/**
 * A task's form, rendered by form-js from the schema the server validates against
 * (processes/forms/<formKey>.form), with the data the server gives it: option lists (`valuesKey`),
 * templated text and the facts its conditions read. Values keep their types (a yes/no is a boolean);
 * chosen files become the document inputs the API takes; the server's messages go next to their fields.
 */
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { getLang } from '../i18n.ts';
import { readFile } from './files.ts';
import type { FormComponent, FormSchema } from '../../../domain/form-schema.ts';

export type { FormComponent, FormSchema } from '../../../domain/form-schema.ts';

/** The texts form-js itself writes (validation, file picker), in Vietnamese. */
const VI: Record<string, string> = {
  'Field is required.': 'Trường này bắt buộc.',
  'Field must have maximum length of {value}.': 'Không quá {value} ký tự.',
  'Field must have minimum length of {value}.': 'Cần ít nhất {value} ký tự.',
  'Field must have maximum value of {value}.': 'Không lớn hơn {value}.',
  'Field must have minimum value of {value}.': 'Không nhỏ hơn {value}.',
  'Field must match pattern {value}.': 'Không đúng định dạng.',
  'Value is not a number.': 'Phải là số.',
  'No files selected': 'Chưa chọn tệp',
  '{value} files selected': 'Đã chọn {value} tệp',
  'No results': 'Không có kết quả',
  Search: 'Tìm',
};

/** Texts form-js writes without its translate service (the file picker's button, an empty select). */
const VI_FIXED: Record<string, string> = { Browse: 'Chọn tệp', Select: '— Chọn —' };

/** Keeps those texts in Vietnamese: each time form-js (re)writes one, it is replaced. */
function translateFixedTexts(container: HTMLElement): MutationObserver | null {
  if (getLang() !== 'vi') return null;
  const fix = (root: Node) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const vi = VI_FIXED[n.nodeValue ?? ''];
      if (vi && n.parentElement?.closest('.fjs-filepicker-button, .fjs-select-display')) n.nodeValue = vi;
    }
  };
  fix(container);
  const observer = new MutationObserver((records) => records.forEach((r) => fix(r.target)));
  observer.observe(container, { subtree: true, childList: true, characterData: true });
  return observer;
}

function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = getLang() === 'vi' ? (VI[template] ?? template) : template;
  return text.replace(/{([^}]+)}/g, (_, k: string) => replacements[k] ?? `{${k}}`);
}

/**
 * What the API stores a form's single attachment as: the form's own file says it
 * (`properties.documentRole`, `documentType`, `documentSubject`, `documentSubjectEn`).
 */
function documentDefaults(c: FormComponent): { role: string; docType: string; subject: string } | null {
  const p = c.properties ?? {};
  if (!p.documentRole || !p.documentType) return null;
  const subject = (getLang() === 'vi' ? p.documentSubject : p.documentSubjectEn) ?? p.documentSubject ?? c.label ?? '';
  return { role: p.documentRole, docType: p.documentType, subject };
}

export type TaskForm = {
  /** The body for POST /api/tasks/:id/complete, or null when form-js found fields to fix (shown next to them). */
  submit(): Promise<Record<string, unknown> | null>;
  /** Puts each server message next to its field; returns those that belong to no field of the form. */
  showErrors(errors: { field: string; message: string }[]): string[];
  setDisabled(disabled: boolean): void;
  destroy(): void;
};

function keyedComponents(list: FormComponent[]): FormComponent[] {
  return list.flatMap((c) => (c.components ? keyedComponents(c.components) : c.key ? [c] : []));
}

/** Renders the form into `container`; `data` is the task's context from GET /api/tasks/:id/form. */
export async function renderTaskForm(
  container: HTMLElement,
  schema: FormSchema,
  data: Record<string, unknown>,
  opts: { formKey: string; agencyCode: string; disabled: boolean },
): Promise<TaskForm> {
  // No debounce: text typed just before another field changes or the form is sent is never lost.
  const form = new Form({ container, debounce: false, additionalModules: [{ translate: ['value', translate] }] } as ConstructorParameters<typeof Form>[0]);
  await form.importSchema(schema, data);
  form.setProperty('disabled', opts.disabled);
  const observer = translateFixedTexts(container);
  const fields = keyedComponents(schema.components);

  const setErrors = (errors: Record<string, string[]>) => form._setState({ errors });

  return {
    async submit() {
      const { data: values, errors, files } = form.submit();
      if (Object.keys(errors).length > 0) {
        container.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
        return null;
      }
      const body: Record<string, unknown> = {};
      for (const c of fields) {
        const value = (values as Record<string, unknown>)[c.key!];
        // form-js keeps an empty field as null or ''; the API reads an absent field as empty.
        if (value === null || value === undefined || value === '') continue;
        if (c.type !== 'filepicker') {
          body[c.key!] = value;
          continue;
        }
        const chosen = await Promise.all((files.get(String(value)) ?? []).map(readFile));
        if (chosen.length === 0) continue;
        const def = documentDefaults(c);
        if (c.multiple || !def) {
          body[c.key!] = chosen.map((f) => ({ role: 'OTHER', docType: 'KHAC', subject: f.fileName, ...f }));
        } else {
          body[c.key!] = { role: def.role, docType: def.docType, symbol: `/${opts.agencyCode}`, subject: def.subject, ...chosen[0]! };
        }
      }
      return body;
    },
    showErrors(list) {
      const errors: Record<string, string[]> = {};
      const rest: string[] = [];
      for (const e of list) {
        // "report.contentBase64" belongs to the field "report".
        const c = fields.find((f) => f.key === e.field || (e.field && e.field.startsWith(`${f.key}.`)));
        if (!c?.id) rest.push(e.message);
        else (errors[c.id] ??= []).push(e.message);
      }
      setErrors(errors);
      requestAnimationFrame(() => container.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return rest;
    },
    setDisabled(disabled) {
      form.setProperty('disabled', disabled);
    },
    destroy() {
      observer?.disconnect();
      form.destroy();
    },
  };
}
