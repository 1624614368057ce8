/** Labelled form fields whose server errors show next to them (aria-invalid, aria-describedby). */
import { h, nextId } from './dom.ts';
import { fieldErrors } from './errors.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A label, its control and the place for its error; the control needs a `name`. */
export function field(label: string, control: Control, hint?: string): HTMLElement {
  control.id ||= nextId('fld');
  const hintEl = hint ? h('span', { className: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const isCheck = control instanceof HTMLInputElement && control.type === 'checkbox';
  return h(
    'div',
    { className: 'field', 'data-field': control.name },
    isCheck ? h('label', { className: 'check', for: control.id }, control, label) : [h('label', { for: control.id }, label), control],
    hintEl,
  );
}

/** A fieldset of checkboxes (one name, many values) with its own error place. */
export function checkGroup(legend: string, name: string, options: { value: string; label: string; checked?: boolean }[], hint?: string): HTMLFieldSetElement {
  return h(
    'fieldset',
    { className: 'field', 'data-field': name },
    h('legend', {}, legend),
    hint ? h('p', { className: 'hint' }, hint) : null,
    h('div', { className: 'checks' }, options.map((o) => {
      const id = nextId('chk');
      return h('label', { className: 'check', for: id }, h('input', { type: 'checkbox', id, name, value: o.value, checked: !!o.checked }), o.label);
    })),
  );
}

export const checkedValues = (root: HTMLElement, name: string) => [...root.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);

/** Removes the errors shown on a form. */
export function clearErrors(form: HTMLElement): void {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
  for (const c of form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    const d = (c.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.endsWith('-err')).join(' ');
    if (d) c.setAttribute('aria-describedby', d);
    else c.removeAttribute('aria-describedby');
  }
}

/**
 * Shows an API error next to its fields (matched by the first segment of the field path);
 * returns the messages that belong to no field of this form.
 */
export function showErrors(form: HTMLElement, err: unknown): string[] {
  clearErrors(form);
  const rest: string[] = [];
  let first: HTMLElement | null = null;
  for (const { field: path, message } of fieldErrors(err)) {
    const name = path.split('.')[0] ?? '';
    const box = name ? form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`) : null;
    if (!box) {
      rest.push(message);
      continue;
    }
    const controls = [...box.querySelectorAll<HTMLElement>('input, select, textarea')];
    const id = `${controls[0]?.id ?? nextId('fld')}-err`;
    if (!box.querySelector(`#${CSS.escape(id)}`)) box.append(h('p', { className: 'field-error', id }, `⚠ ${message}`));
    for (const c of controls) {
      c.setAttribute('aria-invalid', 'true');
      c.setAttribute('aria-describedby', [c.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    }
    first ??= controls[0] ?? null;
  }
  first?.focus();
  return rest;
}
