/**
 * A small renderer of form-js schemas (textfield, textarea, number, select, radio, checkbox,
 * filepicker, text): labels wired to inputs, server validation messages next to their fields.
 */
import { h, nextId } from '../dom.ts';
import { t } from '../i18n.ts';

export type FormComponent = {
  type: string;
  key?: string;
  label?: string;
  text?: string;
  description?: string;
  defaultValue?: unknown;
  values?: { label: string; value: string }[];
  validate?: { required?: boolean; minLength?: number; maxLength?: number };
  accept?: string;
  multiple?: boolean;
  path?: string;
  components?: FormComponent[];
};
export type FormSchema = { type?: string; id?: string; components: FormComponent[] };
export type FileValue = { fileName: string; contentType: string; contentBase64: string };

export type RenderedForm = {
  element: HTMLElement;
  values(): Promise<Record<string, unknown>>;
  showErrors(errors: { field: string; message: string }[]): string[];
  clearErrors(): void;
  setDisabled(disabled: boolean): void;
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts[parts.length - 1]!] = value;
}

export function readFile(file: File): Promise<FileValue> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve({ fileName: file.name, contentType: file.type || 'application/octet-stream', contentBase64: url.slice(url.indexOf(',') + 1) });
    };
    r.onerror = () => reject(r.error ?? new Error('file'));
    r.readAsDataURL(file);
  });
}

export function renderForm(schema: FormSchema): RenderedForm {
  const element = h('div', { className: 'form' });
  const fields = new Map<string, { comp: FormComponent; inputs: HTMLElement[]; error: HTMLElement; read(): Promise<unknown> }>();
  const flat: FormComponent[] = [];
  const flatten = (list: FormComponent[], prefix: string) => {
    for (const c of list) {
      if (c.type === 'group' && c.components) flatten(c.components, c.path ? `${prefix}${c.path}.` : prefix);
      else flat.push(c.key ? { ...c, key: prefix + c.key } : c);
    }
  };
  flatten(schema.components, '');
  for (const comp of flat) {
    if (comp.type === 'text') {
      // form-js text is markdown: shown as plain text, headings without their marks.
      element.append(h('p', { className: 'hint' }, (comp.text ?? '').replace(/^#+\s*/, '')));
      continue;
    }
    if (!comp.key) continue;
    const id = nextId('fld');
    const errId = `${id}-err`;
    const hintId = comp.description ? `${id}-hint` : null;
    const describedBy = [hintId, errId].filter(Boolean).join(' ');
    const error = h('p', { className: 'field-error', id: errId, hidden: true });
    const required = !!comp.validate?.required;
    const label = `${comp.label ?? comp.key}${required ? ' *' : ''}`;
    const hint = hintId ? h('span', { className: 'hint', id: hintId }, comp.description ?? '') : null;
    const common = { id, name: comp.key, 'aria-describedby': describedBy, required, 'data-key': comp.key };
    let read: () => Promise<unknown>;
    let inputs: HTMLElement[];
    let wrapper: HTMLElement;
    switch (comp.type) {
      case 'textarea': {
        const el = h('textarea', { ...common, maxlength: comp.validate?.maxLength ?? null }, typeof comp.defaultValue === 'string' ? comp.defaultValue : '');
        read = async () => el.value.trim() || undefined;
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { for: id }, label), hint, el, error);
        break;
      }
      case 'number': {
        const el = h('input', { ...common, type: 'number', value: comp.defaultValue as string | undefined });
        read = async () => (el.value === '' ? undefined : Number(el.value));
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { for: id }, label), hint, el, error);
        break;
      }
      case 'select': {
        const el = h(
          'select',
          common,
          h('option', { value: '' }, t('form.select')),
          (comp.values ?? []).map((v) => h('option', { value: v.value, selected: v.value === comp.defaultValue }, v.label)),
        );
        read = async () => el.value || undefined;
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { for: id }, label), hint, el, error);
        break;
      }
      case 'radio': {
        const radios = (comp.values ?? []).map((v, i) =>
          h('input', { type: 'radio', id: `${id}-${i}`, name: `${id}`, value: v.value, checked: v.value === comp.defaultValue, 'data-key': comp.key, required }),
        );
        read = async () => radios.find((r) => r.checked)?.value;
        inputs = radios;
        wrapper = h(
          'fieldset',
          { className: 'field', 'aria-describedby': describedBy, id },
          h('legend', {}, label),
          hint,
          (comp.values ?? []).map((v, i) => h('label', { className: 'check', for: `${id}-${i}` }, radios[i]!, v.label)),
          error,
        );
        break;
      }
      case 'checkbox': {
        const el = h('input', { ...common, type: 'checkbox', checked: comp.defaultValue === true, required: false });
        read = async () => el.checked;
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { className: 'check', for: id }, el, comp.label ?? comp.key), hint, error);
        break;
      }
      case 'filepicker': {
        const el = h('input', { ...common, type: 'file', multiple: !!comp.multiple, accept: comp.accept ?? '.pdf,.doc,.docx,.odt,.txt,.png,.jpg' });
        read = async () => {
          const files = [...(el.files ?? [])];
          if (comp.multiple) return files.length ? Promise.all(files.map(readFile)) : undefined;
          return files[0] ? readFile(files[0]) : undefined;
        };
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { for: id }, label), hint, el, error);
        break;
      }
      default: {
        const el = h('input', { ...common, type: 'text', value: typeof comp.defaultValue === 'string' ? comp.defaultValue : undefined, maxlength: comp.validate?.maxLength ?? null });
        read = async () => el.value.trim() || undefined;
        inputs = [el];
        wrapper = h('div', { className: 'field' }, h('label', { for: id }, label), hint, el, error);
      }
    }
    fields.set(comp.key, { comp, inputs, error, read });
    element.append(wrapper);
  }

  const clearErrors = () => {
    for (const f of fields.values()) {
      f.error.hidden = true;
      f.error.textContent = '';
      for (const i of f.inputs) i.removeAttribute('aria-invalid');
    }
  };

  return {
    element,
    async values() {
      const out: Record<string, unknown> = {};
      for (const [key, f] of fields) {
        const v = await f.read();
        if (v !== undefined) setPath(out, key, v);
      }
      return out;
    },
    /** Puts each message next to its field (exact key, else the closest parent or child key); returns those that fit nowhere. */
    showErrors(errors) {
      clearErrors();
      const rest: string[] = [];
      let first: HTMLElement | null = null;
      for (const e of errors) {
        const key = [...fields.keys()].find((k) => k === e.field) ?? [...fields.keys()].find((k) => e.field && (e.field.startsWith(k + '.') || k.startsWith(e.field + '.')));
        const f = key ? fields.get(key) : undefined;
        if (!f) {
          rest.push(e.message);
          continue;
        }
        f.error.hidden = false;
        f.error.textContent = f.error.textContent ? `${f.error.textContent} ${e.message}` : e.message;
        for (const i of f.inputs) i.setAttribute('aria-invalid', 'true');
        first ??= f.inputs[0] ?? null;
      }
      first?.focus();
      return rest;
    },
    clearErrors,
    setDisabled(disabled) {
      for (const f of fields.values()) for (const i of f.inputs) (i as HTMLInputElement).disabled = disabled;
    },
  };
}
