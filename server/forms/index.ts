/**
 * The task forms, defined once as form-js schemas in processes/forms/<formKey>.form: the web app
 * renders them with form-js, and the server validates every completion against the same file
 * (required, enum values, typed values, lengths, `conditional.hide` evaluated by the same FEEL
 * interpreter form-js uses), before the domain rules run. Options named by `valuesKey` and the
 * facts a condition reads (the signer's role…) come from the task's context (./context.ts), the
 * same data the web app gives form-js.
 *
 * What form-js cannot describe (the attachment objects) is named by `properties.serverSchema` and
 * checked with the zod schema of that name. `properties.errorCode` / `properties.rule` make a
 * violation of that field report the domain rule (R-12, R-14, R-21, R-30) instead of INVALID_FORM;
 * `properties.reports` lists further rule codes (comma-separated) that are about that field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ZodError, z } from 'zod';
import { unaryTest } from '@bpmn-io/feelin';
import { isErrorCode, violation } from '../../domain/errors.ts';
import { ApiError } from '../errors.ts';
import { documentInput, updateDossierInput } from '../schemas.ts';
import type { FormComponent, FormSchema } from '../../domain/form-schema.ts';
import type { TaskFormData } from './form-data.ts';

export const FORMS_DIR = path.resolve(import.meta.dirname, '..', '..', 'processes', 'forms');

/** Every formKey of the diagrams (camunda:formKey), one .form file each. */
export const FORM_KEYS = [
  'revise',
  'give-opinion',
  'approve-opinion',
  'choose-option',
  'appraise',
  'respond-appraisal',
  'draft-submission',
  'sign',
  'send-paper',
  'office-check',
  'leader-decision',
  'follow-up-delay',
  'proactive-handling',
  'follow-up-assigned-task',
] as const;
export type FormKey = (typeof FORM_KEYS)[number];

export function isFormKey(key: string | null | undefined): key is FormKey {
  return !!key && (FORM_KEYS as readonly string[]).includes(key);
}

/** Attachment values that form-js only shows as a file picker or a group: checked by these schemas. */
export const SERVER_SCHEMAS = {
  document: documentInput,
  documents: z.array(documentInput).max(20),
  dossierChanges: updateDossierInput,
  /** A checklist of agencies (the agencies a content return re-consults, R-30): codes only, each once. */
  agencyCodes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'mã cơ quan không hợp lệ')).max(50).refine((a) => new Set(a).size === a.length, 'mỗi cơ quan chỉ chọn một lần'),
} as const;
type ServerSchemaName = keyof typeof SERVER_SCHEMAS;

/** What each form gives its handler once valid, written from the forms themselves (./form-data-types.ts). */
export type { TaskFormData } from './form-data.ts';

export type { FormComponent, FormSchema } from '../../domain/form-schema.ts';

/** A field as the validator sees it: its data key, kind of value and constraints. */
type Field = {
  key: string;
  label: string;
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'server';
  component: FormComponent;
  hide: ((data: Record<string, unknown>) => boolean) | null;
  serverSchema?: ServerSchemaName;
};

/** What a form reads besides its own fields: option lists (`valuesKey`) and facts its conditions test. */
export type FormContext = Record<string, unknown>;
export type FormOption = { label: string; value: string | number | boolean };

export type FormIssue = { field: string; constraint: string; message: string };

const TEXT_TYPES = new Set(['textfield', 'textarea', 'datetime']);
const ENUM_TYPES = new Set(['radio', 'select']);
const LAYOUT_TYPES = new Set(['text', 'html', 'spacer', 'separator', 'image', 'button']);

/**
 * A `conditional.hide` expression, evaluated as form-js does (ConditionChecker: a FEEL unary test
 * on the form's data, hidden only when it is exactly true), so the server hides what the page hides.
 */
function parseHide(expr: string, formKey: string): (data: Record<string, unknown>) => boolean {
  if (!expr.startsWith('=')) throw new Error(`form ${formKey}: conditional.hide ${expr} is not a FEEL expression (=…)`);
  // A syntax error would show the field in the page and hide nothing here: refused at start instead.
  unaryTest(expr.slice(1), {});
  return (data) => {
    try {
      return unaryTest(expr.slice(1), data).value === true;
    } catch {
      return false;
    }
  };
}

function fieldsOf(formKey: string, schema: FormSchema): Field[] {
  const fields: Field[] = [];
  for (const c of schema.components) {
    if (LAYOUT_TYPES.has(c.type)) continue;
    const serverSchema = c.properties?.serverSchema;
    const key = c.type === 'group' ? c.path : c.key;
    if (!key) throw new Error(`form ${formKey}: component ${c.id ?? c.type} has no key`);
    if (fields.some((f) => f.key === key)) throw new Error(`form ${formKey}: key ${key} defined twice`);
    if (c.properties?.errorCode && !isErrorCode(c.properties.errorCode)) throw new Error(`form ${formKey}: unknown errorCode ${c.properties.errorCode}`);
    for (const code of reportedCodes(c)) if (!isErrorCode(code)) throw new Error(`form ${formKey}: unknown code ${code} in properties.reports`);
    let kind: Field['kind'];
    if (serverSchema) {
      if (!Object.prototype.hasOwnProperty.call(SERVER_SCHEMAS, serverSchema)) throw new Error(`form ${formKey}: unknown serverSchema ${serverSchema}`);
      kind = 'server';
    } else if (TEXT_TYPES.has(c.type)) kind = 'string';
    else if (c.type === 'number') kind = 'number';
    else if (c.type === 'checkbox') kind = 'boolean';
    else if (ENUM_TYPES.has(c.type)) kind = 'enum';
    else throw new Error(`form ${formKey}: component type ${c.type} is not supported by the server`);
    if (kind === 'enum' && !(c.values?.length) && !c.valuesKey) throw new Error(`form ${formKey}: ${key} has no values`);
    fields.push({
      key,
      label: c.label ?? key,
      kind,
      component: c,
      hide: c.conditional?.hide ? parseHide(c.conditional.hide, formKey) : null,
      serverSchema: serverSchema as ServerSchemaName | undefined,
    });
  }
  return fields;
}

type LoadedForm = { schema: FormSchema; fields: Field[] };
let cache: Map<FormKey, LoadedForm> | null = null;

/** Reads and checks every .form file once; a broken or missing form stops the server at start. */
export function loadForms(dir = FORMS_DIR): Map<FormKey, LoadedForm> {
  if (cache && dir === FORMS_DIR) return cache;
  const forms = new Map<FormKey, LoadedForm>();
  for (const key of FORM_KEYS) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, `${key}.form`), 'utf8')) as FormSchema;
    if (schema.type !== 'default' || !Array.isArray(schema.components)) throw new Error(`form ${key}: not a form-js schema`);
    forms.set(key, { schema, fields: fieldsOf(key, schema) });
  }
  if (dir === FORMS_DIR) cache = forms;
  return forms;
}

/** The form-js schema of a formKey, as the web app renders it. */
export function formSchema(key: FormKey): FormSchema {
  return loadForms().get(key)!.schema;
}

function reportedCodes(c: FormComponent): string[] {
  return (c.properties?.reports ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

/** The field a domain rule's code is about in this form (its errorCode, or one it reports), so the page shows it there. */
export function fieldOfCode(key: FormKey, code: string): string | undefined {
  const { fields } = loadForms().get(key)!;
  return (fields.find((f) => f.component.properties?.errorCode === code) ?? fields.find((f) => reportedCodes(f.component).includes(code)))?.key;
}

/** The label a form gives one of a field's own values ("Thiếu thành phần hồ sơ (R-17)" for MISSING_COMPONENT), else the value. */
export function choiceLabel(key: FormKey, field: string, value: string): string {
  const c = formSchema(key).components.find((x) => x.key === field);
  return c?.values?.find((v) => v.value === value)?.label ?? value;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The values a choice field offers: its own list, or the context's list named by `valuesKey`. */
export function choicesOf(component: FormComponent, context: FormContext): FormOption[] {
  if (!component.valuesKey) return component.values ?? [];
  const list = context[component.valuesKey];
  return Array.isArray(list) ? (list as FormOption[]) : [];
}

function checkField(f: Field, value: unknown, context: FormContext, issues: FormIssue[]): unknown {
  const v = f.component.validate ?? {};
  const add = (constraint: string, message: string) => issues.push({ field: f.key, constraint, message: `Trường "${f.label}" (${f.key}): ${message}.` });
  // An unticked checkbox is false, as form-js submits it; "required" on a checkbox means it must be ticked, as in form-js.
  if (f.kind === 'boolean' && value === undefined) value = false;
  if (f.kind === 'boolean' && v.required && value === false) return add('required', 'phải được chọn');
  if (isBlank(value)) {
    if (v.required) add('required', 'bắt buộc nhập');
    return f.kind === 'server' && f.serverSchema === 'documents' ? [] : undefined;
  }
  switch (f.kind) {
    case 'string': {
      if (typeof value !== 'string') return add('type', 'phải là chuỗi ký tự');
      const s = value.trim();
      if (v.maxLength !== undefined && s.length > v.maxLength) return add('maxLength', `dài quá ${v.maxLength} ký tự`);
      if (v.minLength !== undefined && s.length < v.minLength) return add('minLength', `cần ít nhất ${v.minLength} ký tự`);
      if (v.pattern && !new RegExp(v.pattern, 'u').test(s)) return add('pattern', 'không đúng định dạng');
      return s;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return add('type', 'phải là số');
      if (v.min !== undefined && value < v.min) return add('min', `không nhỏ hơn ${v.min}`);
      if (v.max !== undefined && value > v.max) return add('max', `không lớn hơn ${v.max}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return add('type', 'phải là true hoặc false');
      return value;
    case 'enum': {
      const choices = choicesOf(f.component, context);
      if (!choices.some((c) => c.value === value)) {
        if (choices.length === 0) return add('enum', 'không có lựa chọn nào cho trường này');
        return add('enum', `phải là một trong ${choices.map((c) => `"${c.label}" (${JSON.stringify(c.value)})`).join(', ')}`);
      }
      return value;
    }
    case 'server': {
      const parsed = SERVER_SCHEMAS[f.serverSchema!].safeParse(value);
      if (parsed.success) return parsed.data;
      const first = (parsed.error as ZodError).issues[0];
      const at = [f.key, ...(first?.path ?? [])].join('.');
      issues.push({ field: at, constraint: 'schema', message: `Trường "${f.label}" (${at}): ${first?.message ?? 'không hợp lệ'}.` });
      return undefined;
    }
  }
}

/**
 * Every problem of a submitted form, in the order of the form's fields (unknown fields last).
 * Conditions read the submission with the context over it, so a submission cannot claim the facts
 * (a role, an option list) that decide what it must contain.
 */
export function formIssues(key: FormKey, body: unknown, context: FormContext = {}): { data: Record<string, unknown>; issues: FormIssue[]; fields: Field[] } {
  const { fields } = loadForms().get(key)!;
  const issues: FormIssue[] = [];
  const data: Record<string, unknown> = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { data, fields, issues: [{ field: '', constraint: 'type', message: 'Dữ liệu biểu mẫu phải là một đối tượng JSON.' }] };
  }
  const input = body as Record<string, unknown>;
  const scope = { ...input, ...context };
  for (const f of fields) {
    // A hidden field is neither required nor accepted: form-js clears it, so a value means a page that is not ours.
    if (f.hide?.(scope)) {
      if (!isBlank(input[f.key]) && !(f.kind === 'boolean' && input[f.key] === false)) {
        issues.push({ field: f.key, constraint: 'hidden', message: `Trường "${f.label}" (${f.key}): không áp dụng trong trường hợp này, không được gửi.` });
      }
      continue;
    }
    const value = checkField(f, input[f.key], context, issues);
    if (value !== undefined) data[f.key] = value;
  }
  for (const k of Object.keys(input)) {
    if (!fields.some((f) => f.key === k)) issues.push({ field: k, constraint: 'unknown', message: `Trường "${k}" không có trong biểu mẫu.` });
  }
  return { data, fields, issues };
}

/** Validates a completion against its form: the data, or a 422 naming the field and the rule. */
export function validateTaskForm<K extends FormKey>(key: K, body: unknown, context: FormContext = {}): TaskFormData[K] {
  const { data, issues, fields } = formIssues(key, body ?? {}, context);
  const first = issues[0];
  if (!first) return data as TaskFormData[K];
  const details = issues.map((i) => ({ field: i.field, constraint: i.constraint, message: i.message }));
  const props = fields.find((f) => f.key === first.field.split('.')[0])?.component.properties;
  // A value sent for a hidden field breaks no domain rule: the page that sent it is not ours.
  const code = first.constraint === 'hidden' ? undefined : props?.errorCode;
  if (code && isErrorCode(code)) {
    const v = violation(code, { list: [first.message], field: first.field });
    throw new ApiError(422, v.code, `${v.message} ${first.message}`, { rule: props?.rule ?? v.rule, field: first.field, details });
  }
  throw new ApiError(422, 'INVALID_FORM', first.message, { rule: first.constraint, field: first.field, details });
}
