/**
 * A task form (a form-js schema) as hostile input. A form reaches us from the repository, from a
 * designer's proposal and from the engine's deployment, and each is data: checked for its size,
 * its shape and what the renderer would do with it before anything reads it. Only the component
 * types the server's validation understands are accepted; nothing that runs or embeds code (html,
 * iframe, image sources, script expressions), and no expression outside `conditional.hide` and the
 * templated `text` of a text component.
 */
import type { FormComponent, FormSchema } from './form-schema.ts';

/** The largest form accepted (ours are under 4 kB). */
export const MAX_FORM_BYTES = 256 * 1024;
const MAX_COMPONENTS = 200;
const MAX_DEPTH = 4;
/** Objects and arrays inside one another, groups included (ours nest 5 deep): past it the checks below would overflow the stack. */
const MAX_NESTING = 32;
const MAX_STRING = 20_000;

/** Layout the renderer only shows, and the fields the server knows how to validate. */
export const LAYOUT_COMPONENT_TYPES = ['text', 'spacer', 'separator'] as const;
export const FIELD_COMPONENT_TYPES = ['textfield', 'textarea', 'datetime', 'number', 'checkbox', 'radio', 'select', 'checklist', 'filepicker', 'group'] as const;
const KNOWN_TYPES = new Set<string>([...LAYOUT_COMPONENT_TYPES, ...FIELD_COMPONENT_TYPES]);

/** Component properties that load or run something in the page (image, iframe, html, expression, dynamic options). */
const EMBEDDING_PROPERTIES = new Set(['source', 'url', 'content', 'security', 'expression', 'computeOn', 'valuesExpression', 'dataSource']);

/** The editor's default labels of a new field: left as they are, the form speaks English to its users. */
const DEFAULT_LABELS = new Set(
  ['Text field', 'Text area', 'Number', 'Checkbox', 'Checklist', 'Radio group', 'Radio', 'Select', 'Date time', 'Date', 'Time', 'File picker', 'Group', 'Tag list', 'Text view'].map((l) =>
    l.toLowerCase(),
  ),
);

export const FORM_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const FORM_ID_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

export type FormProblemCode =
  | 'FORM_TOO_LARGE'
  | 'FORM_NOT_JSON'
  | 'FORM_NOT_FORM_JS'
  | 'FORM_ID_INVALID'
  | 'FORM_TOO_COMPLEX'
  | 'FORM_COMPONENT_UNKNOWN'
  | 'FORM_CODE'
  | 'FORM_KEY_INVALID'
  | 'FORM_KEY_DUPLICATE'
  | 'FORM_LABEL_MISSING'
  | 'FORM_FIELD_UNSUPPORTED'
  | 'FORM_INCOMPATIBLE'
  | 'FORM_UNKNOWN'
  | 'FORM_MISSING'
  | 'FORM_BINDING'
  | 'FORM_UNUSED';

/** One problem of a form, with the component it is about and a Vietnamese message naming it. */
export type FormProblem = { code: FormProblemCode; message: string; component?: string };

/** A component's name for a message, from its own strings only: an object there would fail to print. */
const name = (c: { id?: unknown; key?: unknown; type?: unknown }) => String([c.key, c.id, c.type].find((x) => typeof x === 'string') ?? '?').slice(0, 80);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeIs = (v: unknown, type: 'string' | 'number' | 'boolean') => v === undefined || typeof v === type;

/**
 * Whether the properties the server and the renderer read have the type domain/form-schema.ts
 * says (a string where a string is read…): the server reads them as such, and an object where a
 * string is expected fails there instead of being refused here.
 */
function hasComponentShape(c: Record<string, unknown>): boolean {
  const { validate, conditional, properties, values } = c;
  return (
    ['id', 'key', 'path', 'label', 'valuesKey'].every((k) => typeIs(c[k], 'string')) &&
    typeIs(c.multiple, 'boolean') &&
    (validate === undefined ||
      (isObject(validate) && typeIs(validate.required, 'boolean') && typeIs(validate.pattern, 'string') && ['minLength', 'maxLength', 'min', 'max'].every((k) => typeIs(validate[k], 'number')))) &&
    (conditional === undefined || (isObject(conditional) && typeIs(conditional.hide, 'string'))) &&
    (properties === undefined || (isObject(properties) && Object.values(properties).every((v) => typeof v === 'string'))) &&
    (values === undefined || (Array.isArray(values) && values.every((v) => isObject(v) && typeIs(v.label, 'string') && ['string', 'number', 'boolean'].includes(typeof v.value))))
  );
}

/** Parses a form's text; a form too large or not JSON is refused before anything else is read. */
export function parseFormText(text: string): { schema: unknown; problems: FormProblem[] } {
  if (new TextEncoder().encode(text).length > MAX_FORM_BYTES) {
    return { schema: null, problems: [{ code: 'FORM_TOO_LARGE', message: `Biểu mẫu vượt quá ${MAX_FORM_BYTES / 1024} kB.` }] };
  }
  try {
    return { schema: JSON.parse(text) as unknown, problems: [] };
  } catch {
    return { schema: null, problems: [{ code: 'FORM_NOT_JSON', message: 'Biểu mẫu không phải JSON hợp lệ.' }] };
  }
}

/** A form's text read and checked: its schema, and the problems of its text or else of the schema. */
export function checkFormText(text: string): { schema: unknown; problems: FormProblem[] } {
  const parsed = parseFormText(text);
  return parsed.problems.length ? parsed : { schema: parsed.schema, problems: formProblems(parsed.schema) };
}

/**
 * Every problem of a form-js schema as hostile input: its shape, size, component types, keys,
 * anything that would embed or run code, and fields without a Vietnamese label.
 */
export function formProblems(schema: unknown): FormProblem[] {
  const problems: FormProblem[] = [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ code: 'FORM_NOT_FORM_JS', message: 'Biểu mẫu phải là một đối tượng JSON của form-js.' }];
  }
  const s = schema as Record<string, unknown>;
  if (s.type !== 'default' || !Array.isArray(s.components)) {
    return [{ code: 'FORM_NOT_FORM_JS', message: 'Biểu mẫu không phải lược đồ form-js (cần type "default" và danh sách components).' }];
  }
  if (nestsDeeperThan(s, MAX_NESTING)) {
    return [{ code: 'FORM_TOO_COMPLEX', message: `Biểu mẫu lồng quá ${MAX_NESTING} cấp đối tượng hoặc danh sách.` }];
  }
  if (typeof s.id !== 'string' || !FORM_ID_PATTERN.test(s.id)) {
    problems.push({ code: 'FORM_ID_INVALID', message: 'Mã biểu mẫu (id) phải gồm chữ thường, số và dấu gạch ngang, bắt đầu bằng chữ (ví dụ give-opinion).' });
  }
  if (JSON.stringify(schema).length > MAX_FORM_BYTES) problems.push({ code: 'FORM_TOO_LARGE', message: `Biểu mẫu vượt quá ${MAX_FORM_BYTES / 1024} kB.` });
  let count = 0;
  const keys = new Set<string>();
  const walk = (components: unknown[], depth: number) => {
    for (const raw of components) {
      count += 1;
      if (count > MAX_COMPONENTS) {
        if (count === MAX_COMPONENTS + 1) problems.push({ code: 'FORM_TOO_COMPLEX', message: `Biểu mẫu có quá ${MAX_COMPONENTS} thành phần.` });
        return;
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        problems.push({ code: 'FORM_NOT_FORM_JS', message: 'Mỗi thành phần của biểu mẫu phải là một đối tượng JSON.' });
        continue;
      }
      const c = raw as Record<string, unknown>;
      const at = name(c);
      if (typeof c.type !== 'string' || !KNOWN_TYPES.has(c.type)) {
        problems.push({
          code: 'FORM_COMPONENT_UNKNOWN',
          component: at,
          message: `Thành phần "${at}" có loại "${typeof c.type === 'string' ? c.type.slice(0, 40) : typeof c.type}" không được hỗ trợ; chỉ dùng: ${[...KNOWN_TYPES].join(', ')}.`,
        });
        continue;
      }
      if (!hasComponentShape(c)) {
        problems.push({ code: 'FORM_NOT_FORM_JS', component: at, message: `Thành phần "${at}" có thuộc tính sai kiểu (nhãn, khóa, điều kiện, kiểm tra hoặc lựa chọn) so với form-js.` });
        continue;
      }
      for (const k of Object.keys(c)) {
        if (EMBEDDING_PROPERTIES.has(k)) problems.push({ code: 'FORM_CODE', component: at, message: `Thành phần "${at}" có thuộc tính "${k}" nhúng nội dung hoặc mã: không được dùng.` });
      }
      checkStrings(c, at, problems, c.type === 'text');
      if (c.type === 'group') {
        if (depth >= MAX_DEPTH) problems.push({ code: 'FORM_TOO_COMPLEX', component: at, message: `Nhóm "${at}" lồng quá ${MAX_DEPTH} cấp.` });
        else if (Array.isArray(c.components)) walk(c.components, depth + 1);
      }
      const isLayout = (LAYOUT_COMPONENT_TYPES as readonly string[]).includes(c.type);
      if (isLayout) continue;
      const key = c.type === 'group' ? c.path : c.key;
      if (typeof key !== 'string' || !FORM_KEY_PATTERN.test(key)) {
        problems.push({ code: 'FORM_KEY_INVALID', component: at, message: `Trường "${at}" cần khóa (key) gồm chữ, số và dấu gạch dưới, bắt đầu bằng chữ.` });
      } else if (key in Object.prototype) {
        // A submission without it would read the inherited member (constructor is a function): the field could never be left empty.
        problems.push({ code: 'FORM_KEY_INVALID', component: at, message: `Trường "${at}": khóa "${key}" là tên dành riêng của JavaScript, hãy đặt tên khác.` });
      } else if (keys.has(key)) {
        problems.push({ code: 'FORM_KEY_DUPLICATE', component: at, message: `Khóa "${key}" được dùng cho hai trường; mỗi trường cần một khóa riêng.` });
      } else keys.add(key);
      const label = typeof c.label === 'string' ? c.label.trim() : '';
      if (!label) problems.push({ code: 'FORM_LABEL_MISSING', component: at, message: `Trường "${at}" chưa có nhãn tiếng Việt.` });
      else if (DEFAULT_LABELS.has(label.toLowerCase())) {
        problems.push({ code: 'FORM_LABEL_MISSING', component: at, message: `Trường "${at}" còn nhãn mặc định "${label}": cần nhãn tiếng Việt.` });
      }
      if (Array.isArray(c.values)) {
        for (const v of c.values as unknown[]) {
          const l = typeof v === 'object' && v !== null ? (v as { label?: unknown }).label : undefined;
          if (typeof l !== 'string' || !l.trim()) problems.push({ code: 'FORM_LABEL_MISSING', component: at, message: `Một lựa chọn của trường "${at}" chưa có nhãn tiếng Việt.` });
        }
      }
    }
  };
  walk(s.components, 1);
  checkStrings({ ...s, components: undefined }, String(s.id ?? 'form'), problems, false);
  return problems;
}

/** Whether a value nests objects and arrays deeper than `max`, found without recursion (the value may be built to overflow it). */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Strings hold no markup and no expression: form-js evaluates a leading "=" as FEEL and renders a
 * text component as markdown, so only `conditional.hide` may be an expression and only a text
 * component's `text` may be templated.
 */
function checkStrings(value: unknown, at: string, problems: FormProblem[], templatedText: boolean, path = ''): void {
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) problems.push({ code: 'FORM_TOO_LARGE', component: at, message: `Thành phần "${at}" có nội dung "${path}" dài quá ${MAX_STRING} ký tự.` });
    if (/<\s*[a-z!/?]/i.test(value) || /javascript\s*:/i.test(value)) {
      problems.push({ code: 'FORM_CODE', component: at, message: `Thành phần "${at}" có mã HTML hoặc JavaScript trong "${path}": không được dùng.` });
    }
    const expressionAllowed = path === 'conditional.hide';
    if (!expressionAllowed && value.trimStart().startsWith('=')) {
      problems.push({ code: 'FORM_CODE', component: at, message: `Thành phần "${at}" có biểu thức trong "${path}": chỉ điều kiện ẩn (conditional.hide) được là biểu thức.` });
    }
    if (value.includes('{{') && !(templatedText && path === 'text')) {
      problems.push({ code: 'FORM_CODE', component: at, message: `Thành phần "${at}" có mẫu {{…}} trong "${path}": chỉ nội dung của thành phần văn bản được dùng mẫu.` });
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    // Nested components are checked as components of their own.
    if (k === 'components') continue;
    checkStrings(v, at, problems, templatedText, path ? `${path}.${k}` : k);
  }
}

/** The form-js schema of a form whose problems are none (the caller has checked). */
export function asFormSchema(schema: unknown): FormSchema & { components: FormComponent[] } {
  return schema as FormSchema & { components: FormComponent[] };
}
