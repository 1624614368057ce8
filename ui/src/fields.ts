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

/**
 * A date typed as dd/mm/yyyy (with hh:mm when `withTime`), whatever the browser's locale: a text
 * input, since a native date input shows mm/dd/yyyy under an English-US browser.
 */
export function dateInput(attrs: { name: string; value?: string; required?: boolean }, withTime = false): HTMLInputElement {
  const format = withTime ? 'dd/mm/yyyy hh:mm' : 'dd/mm/yyyy';
  return h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: format, 'data-date-format': format, size: withTime ? 18 : 12, ...attrs });
}

const DATE_RE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?\s*$/;

/** dd/mm/yyyy as yyyy-mm-dd; text that is no such date comes back as it is, for the server to refuse next to its field. */
export function isoDate(text: string): string {
  const m = DATE_RE.exec(text);
  if (!m) return text.trim();
  const [, d, mo, y] = m;
  const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().startsWith(iso) ? iso : text.trim();
}

/** dd/mm/yyyy hh:mm, Vietnam time (UTC+7, no daylight saving), as an ISO instant; `defaultTime` when no time is typed. */
export function isoInstant(text: string, defaultTime = '00:00'): string {
  const m = DATE_RE.exec(text);
  const day = isoDate(text.replace(/\s+\d{1,2}:\d{2}\s*$/, ''));
  if (!m || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return text.trim();
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}` : defaultTime;
  const at = new Date(`${day}T${time}:00+07:00`);
  return Number.isNaN(at.getTime()) ? text.trim() : at.toISOString();
}

/** An instant as dd/mm/yyyy hh:mm in Vietnam time, for a dateInput's value. */
export function vnDateTime(d: Date): string {
  const vn = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(vn.getUTCDate())}/${p(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()} ${p(vn.getUTCHours())}:${p(vn.getUTCMinutes())}`;
}
