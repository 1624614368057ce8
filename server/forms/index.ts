/**
 * The task forms, form-js schemas in processes/forms/<form id>.form, deployed with their diagram and
 * named by each user task's `camunda:formRef` (deployment binding): a running instance keeps the
 * version of the form it started with. The web app renders the task's deployed form with form-js,
 * and the server validates every completion against the same schema (required, enum values, typed
 * values, lengths, `conditional.hide` evaluated by the same FEEL interpreter form-js uses), before
 * the domain rules run. Options named by `valuesKey` and the facts a condition reads (the signer's
 * role…) come from the task's context (./context.ts), the same data the web app gives form-js.
 *
 * The files here are the built-in version of each form: the handler's data type is written from
 * them (./form-data-types.ts), and a deployed form (a designer's, or anything the engine hands back)
 * is hostile input, accepted only when domain/form-guard.ts finds nothing wrong with it and it
 * still gives its handler what the built-in form promises (`compatibilityProblems`).
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
import { formProblems, parseFormText, type FormProblem } from '../../domain/form-guard.ts';
import { ApiError } from '../errors.ts';
import { documentInput, updateDossierInput } from '../schemas.ts';
import type { FormComponent, FormSchema } from '../../domain/form-schema.ts';
import type { TaskFormData } from './form-data.ts';

export const FORMS_DIR = path.resolve(import.meta.dirname, '..', '..', 'processes', 'forms');

/** Every form of the diagrams (the form id each user task's camunda:formRef names), one .form file and one handler each. */
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
const LAYOUT_TYPES = new Set(['text', 'spacer', 'separator']);

/** A form refused: the problems domain/form-guard.ts or the server's own field rules found, each in Vietnamese. */
export class FormRefused extends Error {
  constructor(
    readonly formId: string,
    readonly problems: FormProblem[],
  ) {
    super(`form ${formId}: ${problems.map((p) => p.message).join(' ')}`);
  }
}

/**
 * A `conditional.hide` expression, evaluated as form-js does (ConditionChecker: a FEEL unary test
 * on the form's data, hidden only when it is exactly true), so the server hides what the page hides.
 * A syntax error would show the field in the page and hide nothing here: refused instead.
 */
function parseHide(expr: string): ((data: Record<string, unknown>) => boolean) | null {
  if (!expr.startsWith('=')) return null;
  try {
    unaryTest(expr.slice(1), {});
  } catch {
    return null;
  }
  return (data) => {
    try {
      return unaryTest(expr.slice(1), data).value === true;
    } catch {
      return false;
    }
  };
}

/** The fields of a checked schema as the validator sees them, or what the server cannot validate in it. */
function fieldsOf(schema: FormSchema): { fields: Field[]; problems: FormProblem[] } {
  const fields: Field[] = [];
  const problems: FormProblem[] = [];
  const refuse = (c: FormComponent, message: string) => problems.push({ code: 'FORM_FIELD_UNSUPPORTED', component: c.key ?? c.path ?? c.id ?? c.type, message });
  for (const c of schema.components) {
    if (LAYOUT_TYPES.has(c.type)) continue;
    const serverSchema = c.properties?.serverSchema;
    const key = (c.type === 'group' ? c.path : c.key)!;
    if (c.properties?.errorCode && !isErrorCode(c.properties.errorCode)) refuse(c, `Trường "${key}": mã lỗi ${c.properties.errorCode} không có trong danh mục.`);
    for (const code of reportedCodes(c)) if (!isErrorCode(code)) refuse(c, `Trường "${key}": mã ${code} trong properties.reports không có trong danh mục.`);
    let kind: Field['kind'];
    if (serverSchema) {
      if (!Object.prototype.hasOwnProperty.call(SERVER_SCHEMAS, serverSchema)) {
        refuse(c, `Trường "${key}": lược đồ máy chủ ${serverSchema} không tồn tại.`);
        continue;
      }
      kind = 'server';
    } else if (TEXT_TYPES.has(c.type)) kind = 'string';
    else if (c.type === 'number') kind = 'number';
    else if (c.type === 'checkbox') kind = 'boolean';
    else if (ENUM_TYPES.has(c.type)) kind = 'enum';
    else {
      refuse(c, `Trường "${key}": loại ${c.type} chỉ dùng được cho tệp đính kèm, danh sách cơ quan hoặc nhóm có lược đồ máy chủ (properties.serverSchema).`);
      continue;
    }
    if (kind === 'enum' && !c.values?.length && !c.valuesKey) refuse(c, `Trường "${key}" chưa có lựa chọn nào.`);
    let hide: Field['hide'] = null;
    if (c.conditional?.hide) {
      hide = parseHide(c.conditional.hide);
      if (!hide) refuse(c, `Trường "${key}": điều kiện ẩn ${c.conditional.hide.slice(0, 200)} không phải biểu thức FEEL hợp lệ (=…).`);
    }
    if (c.validate?.pattern !== undefined) {
      try {
        new RegExp(c.validate.pattern, 'u');
      } catch {
        refuse(c, `Trường "${key}": mẫu kiểm tra (pattern) không hợp lệ.`);
      }
    }
    fields.push({ key, label: c.label ?? key, kind, component: c, hide, serverSchema: serverSchema as ServerSchemaName | undefined });
  }
  return { fields, problems };
}

/** A form the server can validate against: its id (= the handler's key), its schema and its fields. */
export type LoadedForm = { key: FormKey; schema: FormSchema; fields: Field[] };

/**
 * Every problem of a form for the handler `key`: the guard's (shape, types, code, labels), the
 * fields the server cannot validate, and, against the built-in form, what its handler would miss.
 */
export function taskFormProblems(key: string, schema: unknown, builtIn?: LoadedForm): { form: LoadedForm | null; problems: FormProblem[] } {
  const problems = formProblems(schema);
  if (problems.length) return { form: null, problems };
  const s = schema as FormSchema;
  if (!isFormKey(s.id) || s.id !== key) {
    return { form: null, problems: [{ code: 'FORM_UNKNOWN', message: `Biểu mẫu "${s.id}" không có bước xử lý nào trên máy chủ (chỉ: ${FORM_KEYS.join(', ')}).` }] };
  }
  const { fields, problems: fieldProblems } = fieldsOf(s);
  const form: LoadedForm = { key: s.id, schema: s, fields };
  const all = [...fieldProblems, ...(builtIn ? compatibilityProblems(builtIn, form) : [])];
  return all.length ? { form: null, problems: all } : { form, problems: [] };
}

/** Whether a field always has a value once valid (what the handler's data type promises). */
const alwaysPresent = (f: Field) => !f.hide && (f.kind === 'boolean' || f.serverSchema === 'documents' || f.component.validate?.required === true);

/**
 * What a form would take from its handler: the handler's data type is written from the built-in
 * form, so another version keeps every field with its kind, its values among the built-in ones,
 * required what was always present, no longer text than the built-in allows and no pattern of its
 * own (a regular expression is code the server runs); a new field is plain text, a number, a
 * yes/no or a choice of its own values, which the handler ignores.
 */
export function compatibilityProblems(builtIn: LoadedForm, form: LoadedForm): FormProblem[] {
  const problems: FormProblem[] = [];
  const refuse = (key: string, why: string) => problems.push({ code: 'FORM_INCOMPATIBLE', component: key, message: `Trường "${key}": ${why}` });
  for (const b of builtIn.fields) {
    const f = form.fields.find((x) => x.key === b.key);
    if (!f) {
      refuse(b.key, 'bước xử lý cần trường này, không được xóa.');
      continue;
    }
    if (f.kind !== b.kind || f.serverSchema !== b.serverSchema) refuse(b.key, `phải giữ kiểu dữ liệu như bản gốc (${b.component.type}).`);
    if (alwaysPresent(b) && !alwaysPresent(f)) refuse(b.key, 'phải giữ bắt buộc và luôn hiển thị như bản gốc.');
    if (b.kind === 'enum') {
      if (b.component.valuesKey !== f.component.valuesKey) refuse(b.key, 'phải giữ nguồn lựa chọn (valuesKey) như bản gốc.');
      const allowed = new Set((b.component.values ?? []).map((v) => v.value));
      const extra = (f.component.values ?? []).filter((v) => !allowed.has(v.value));
      if (!b.component.valuesKey && extra.length) refuse(b.key, `giá trị ${extra.map((v) => JSON.stringify(v.value)).join(', ')} không có trong bản gốc.`);
    }
    const max = b.component.validate?.maxLength;
    const newMax = f.component.validate?.maxLength;
    if (max !== undefined && (newMax === undefined || newMax > max)) refuse(b.key, `độ dài tối đa không được vượt ${max} ký tự.`);
    if ((f.component.validate?.pattern ?? null) !== (b.component.validate?.pattern ?? null)) refuse(b.key, 'mẫu kiểm tra (pattern) phải giữ như bản gốc.');
  }
  for (const f of form.fields) {
    if (builtIn.fields.some((b) => b.key === f.key)) continue;
    if (f.kind === 'server' || f.component.valuesKey) refuse(f.key, 'trường mới chỉ được là chữ, số, có/không hoặc lựa chọn có danh sách giá trị riêng.');
    if (f.component.validate?.pattern !== undefined) refuse(f.key, 'trường mới không được có mẫu kiểm tra (pattern).');
  }
  return problems;
}

let cache: Map<FormKey, LoadedForm> | null = null;

/** Reads and checks every built-in .form file once; a broken or missing form stops the server at start. */
export function loadForms(dir = FORMS_DIR): Map<FormKey, LoadedForm> {
  if (cache && dir === FORMS_DIR) return cache;
  const forms = new Map<FormKey, LoadedForm>();
  for (const key of FORM_KEYS) {
    const parsed = parseFormText(fs.readFileSync(path.join(dir, `${key}.form`), 'utf8'));
    const { form, problems } = parsed.problems.length ? { form: null, problems: parsed.problems } : taskFormProblems(key, parsed.schema);
    if (!form) throw new FormRefused(key, problems);
    forms.set(key, form);
  }
  if (dir === FORMS_DIR) cache = forms;
  return forms;
}

/** The built-in version of a form (processes/forms/<key>.form). */
export function builtInForm(key: FormKey): LoadedForm {
  return loadForms().get(key)!;
}

/** A deployed form's text, checked as hostile input against the built-in form of its handler: the form, or FormRefused. */
export function deployedTaskForm(key: FormKey, text: string): LoadedForm {
  const parsed = parseFormText(text);
  if (parsed.problems.length) throw new FormRefused(key, parsed.problems);
  const { form, problems } = taskFormProblems(key, parsed.schema, builtInForm(key));
  if (!form) throw new FormRefused(key, problems);
  return form;
}

/** The form-js schema of a built-in form, as the web app renders it. */
export function formSchema(key: FormKey): FormSchema {
  return builtInForm(key).schema;
}

function reportedCodes(c: FormComponent): string[] {
  return (c.properties?.reports ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

const formOf = (form: FormKey | LoadedForm): LoadedForm => (typeof form === 'string' ? builtInForm(form) : form);

/** The field a domain rule's code is about in this form (its errorCode, or one it reports), so the page shows it there. */
export function fieldOfCode(form: FormKey | LoadedForm, code: string): string | undefined {
  const { fields } = formOf(form);
  return (fields.find((f) => f.component.properties?.errorCode === code) ?? fields.find((f) => reportedCodes(f.component).includes(code)))?.key;
}

/** The label the built-in form gives one of a field's own values ("Thiếu thành phần hồ sơ (R-17)" for MISSING_COMPONENT), else the value. */
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
export function formIssues(form: FormKey | LoadedForm, body: unknown, context: FormContext = {}): { data: Record<string, unknown>; issues: FormIssue[]; fields: Field[] } {
  const { fields } = formOf(form);
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

/** Validates a completion against its form (the task's deployed version, or the built-in one): the data, or a 422 naming the field and the rule. */
export function validateTaskForm<K extends FormKey>(form: K | (LoadedForm & { key: K }), body: unknown, context: FormContext = {}): TaskFormData[K] {
  const { data, issues, fields } = formIssues(form, body ?? {}, context);
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
