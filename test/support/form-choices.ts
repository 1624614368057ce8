/**
 * The choices a task form offers, computed from its .form file and the task's context: every valid
 * submission (each value of each choice field, from each branch) and each way a field can be wrong.
 * Shared by the API's check (test/integration/form-choices.test.ts) and the browser's
 * (test/e2e/form-choices.test.ts), so both walk the same choices.
 */
import { choicesOf, formIssues, loadForms, type FormContext, type FormKey } from '../../server/forms/index.ts';

export type Body = Record<string, unknown>;

/** A value of the field's kind that the form accepts, for a field a branch makes visible. */
export function sample(key: FormKey, field: string, context: FormContext): unknown {
  const f = loadForms().get(key)!.fields.find((x) => x.key === field)!;
  if (f.kind === 'enum') return choicesOf(f.component, context)[0]?.value;
  if (f.kind === 'boolean') return true;
  if (f.kind === 'number') return 1;
  return 'Nội dung hợp lệ.';
}

/** The submission as the page would send it: fields the branch hides dropped, fields it shows and requires filled. */
export function settle(key: FormKey, body: Body, context: FormContext): Body {
  const out = { ...body };
  for (let i = 0; i < 3; i++) {
    const { issues } = formIssues(key, out, context);
    if (issues.length === 0) break;
    for (const issue of issues) {
      if (issue.constraint === 'hidden') delete out[issue.field];
      else if (issue.constraint === 'required') out[issue.field] = sample(key, issue.field, context);
    }
  }
  return out;
}

/** Every valid submission: from each base (a branch), each value of each choice field. */
export function validChoices(key: FormKey, bases: Body[], context: FormContext): Body[] {
  const out = new Map<string, Body>();
  const add = (b: Body) => {
    const s = settle(key, b, context);
    out.set(JSON.stringify(s), s);
  };
  for (const base of bases) {
    add(base);
    for (const f of loadForms().get(key)!.fields) {
      const values = f.kind === 'boolean' ? [true, false] : f.kind === 'enum' ? choicesOf(f.component, context).map((c) => c.value) : [];
      for (const v of values) add({ ...base, [f.key]: v });
    }
  }
  return [...out.values()];
}

export type Invalid = { field: string; body: Body; why: string };

/** an option recorded in "Hoàn thiện tờ trình" needs its rationale, as in "Tổng hợp, chọn phương án". */
export const choiceWithoutRationale = (b: Body): string | null => (b.chosenOptionId !== undefined && b.rationale === undefined ? 'ERR_NO_CHOSEN_OPTION' : null);

/** an opinion sent back goes with its reason; the form leaves it optional since a secret dossier's reason is given on paper. */
export const sendBackWithoutReason = (b: Body): string | null => (b.decision === 'SEND_BACK' && (typeof b.reason !== 'string' || b.reason.trim() === '') ? 'ERR_OPINION_SEND_BACK_REASON' : null);

/** Each way a field can be wrong: missing when required, of another type, not an option, too long, sent while hidden, unknown. */
export function invalidChoices(key: FormKey, base: Body, context: FormContext): Invalid[] {
  const out: Invalid[] = [];
  const hidden = new Set(formIssues(key, { ...base, ...Object.fromEntries(loadForms().get(key)!.fields.map((f) => [f.key, sample(key, f.key, context)])) }, context).issues.filter((i) => i.constraint === 'hidden').map((i) => i.field));
  const without = (field: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
  for (const f of loadForms().get(key)!.fields) {
    const c = f.component;
    if (hidden.has(f.key)) {
      out.push({ field: f.key, body: { ...base, [f.key]: sample(key, f.key, context) }, why: 'hidden' });
      continue;
    }
    if (c.validate?.required && f.kind !== 'boolean') out.push({ field: f.key, body: without(f.key), why: 'required' });
    if (f.kind === 'server') out.push({ field: f.key, body: { ...base, [f.key]: f.serverSchema === 'documents' ? [{ role: 'NOT_A_ROLE' }] : { role: 'NOT_A_ROLE' } }, why: 'schema' });
    else if (f.kind === 'boolean') out.push({ field: f.key, body: { ...base, [f.key]: 'true' }, why: 'type (a string for a yes/no)' });
    else if (f.kind === 'enum') {
      out.push({ field: f.key, body: { ...base, [f.key]: 'NOT_AN_OPTION' }, why: 'enum' });
      const first = choicesOf(c, context)[0]?.value;
      // A yes/no radio sent as the string the old page sent: refused, it is no boolean.
      if (typeof first === 'boolean') out.push({ field: f.key, body: { ...base, [f.key]: String(first) }, why: 'type (a string for a boolean choice)' });
    } else out.push({ field: f.key, body: { ...base, [f.key]: 42 }, why: 'type' });
    if (c.validate?.maxLength) out.push({ field: f.key, body: { ...base, [f.key]: 'x'.repeat(c.validate.maxLength + 1) }, why: 'maxLength' });
  }
  out.push({ field: 'notAField', body: { ...base, notAField: 'x' }, why: 'unknown' });
  return out;
}
