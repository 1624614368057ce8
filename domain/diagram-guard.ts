/**
 * Diagrams are data, never code: finds everything in a BPMN diagram that would make the engine run
 * code (scripts, Java classes, bean expressions, connectors, shell and mail tasks, method calls in
 * `${…}`). The same rules run inside the engine (engine/…/DiagramGuard.java), so a diagram sent
 * straight to the engine's REST API is refused as well.
 */
import { Parser, type Decode } from 'saxen';

export type DiagramViolation = {
  /** What was found, e.g. SCRIPT, JAVA_CLASS, EXPRESSION. */
  kind: 'XML' | 'DOCTYPE' | 'SCRIPT' | 'JAVA_CLASS' | 'BEAN_EXPRESSION' | 'CONNECTOR' | 'TASK_TYPE' | 'VALIDATOR' | 'EXPRESSION';
  /** The id of the element, or of its nearest ancestor that has one. */
  elementId: string | null;
  line: number;
  /** The offending element or attribute and, for an expression, the expression itself. */
  detail: string;
};

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
// The engine reads its extensions in either namespace; others only matter by local name below.
const KNOWN_NS: Record<string, string> = {
  'http://www.omg.org/spec/BPMN/20100524/MODEL': 'bpmn',
  'http://camunda.org/schema/1.0/bpmn': 'camunda',
  'http://operaton.org/schema/1.0/bpmn': 'operaton',
  'http://activiti.org/bpmn': 'activiti',
  [XSI]: 'xsi',
};

// Elements whose content is code whatever namespace they are written in.
const SCRIPT_ELEMENTS = new Set(['scriptTask', 'script']);
const CONNECTOR_ELEMENTS = new Set(['connector', 'connectorId']);
// Attributes that name code to run: a script's format or file, a Java class, a bean or a method expression.
const SCRIPT_ATTRIBUTES = new Set(['scriptFormat', 'resource', 'language']);
const BEAN_ATTRIBUTES = new Set(['delegateExpression', 'expression', 'variableMappingDelegateExpression']);

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');

/** Every construct of `xml` that would run code, in document order; empty when the diagram is data only. */
export function findExecutableCode(xml: string): DiagramViolation[] {
  const found: DiagramViolation[] = [];
  const stack: { id: string | null; name: string; line: number; text: string }[] = [];
  const idHere = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.id) return stack[i]!.id;
    return null;
  };
  const report = (kind: DiagramViolation['kind'], line: number, detail: string, elementId = idHere()) =>
    found.push({ kind, elementId, line, detail: detail.slice(0, 300) });
  const checkValue = (value: string, line: number, where: string) => {
    for (const problem of expressionProblems(value)) report('EXPRESSION', line, `${where}: ${problem}`);
  };

  const parser = new Parser({ proxy: true });
  parser.ns(KNOWN_NS);
  // saxen counts lines from 0, editors and the engine from 1.
  const lineOf = (context: () => { line: number }) => context().line + 1;
  parser.on('attention', (_value, _decode, context) => report('DOCTYPE', lineOf(context), 'DOCTYPE/ENTITY'));
  parser.on('error', (err, context) => report('XML', lineOf(context), err.message));
  parser.on('openTag', (el, decode: Decode, _selfClosing, context) => {
    const line = lineOf(context);
    const attrs = Object.entries(el.attrs)
      .filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:'))
      .map(([name, raw]) => [name, decode(raw)] as const);
    const id = attrs.find(([name]) => name === 'id')?.[1] ?? null;
    stack.push({ id, name: el.name, line, text: '' });
    const element = localName(el.name);
    if (SCRIPT_ELEMENTS.has(element)) report('SCRIPT', line, el.originalName);
    if (CONNECTOR_ELEMENTS.has(element)) report('CONNECTOR', line, el.originalName);
    for (const [name, value] of attrs) {
      const attr = localName(name);
      if (SCRIPT_ATTRIBUTES.has(attr)) report('SCRIPT', line, `${name}="${value}"`);
      else if (attr === 'class' || attr.endsWith('Class')) report('JAVA_CLASS', line, `${name}="${value}"`);
      else if (BEAN_ATTRIBUTES.has(attr)) report('BEAN_EXPRESSION', line, `${name}="${value}"`);
      // camunda:type="shell" runs a command and "mail" sends mail; only external tasks run our workers.
      else if (attr === 'type' && prefixOf(name) && prefixOf(name) !== 'xsi' && value.trim().toLowerCase() !== 'external') {
        report('TASK_TYPE', line, `${name}="${value}"`);
      } else checkValue(value, line, name);
    }
    // A form field validator names a Java class or a bean to call.
    if (element === 'constraint' && attrs.some(([name, value]) => localName(name) === 'name' && value.trim() === 'validator')) {
      report('VALIDATOR', line, el.originalName);
    }
  });
  // The engine's SAX parser joins an element's text, CDATA sections and entities into one string.
  parser.on('text', (value, decode) => {
    const top = stack[stack.length - 1];
    if (top) top.text += decode(value);
  });
  parser.on('cdata', (value) => {
    const top = stack[stack.length - 1];
    if (top) top.text += value;
  });
  parser.on('closeTag', () => {
    const top = stack[stack.length - 1];
    if (top?.text) checkValue(top.text, top.line, top.name);
    stack.pop();
  });
  try {
    parser.parse(xml);
  } catch (err) {
    report('XML', 0, err instanceof Error ? err.message : String(err), null);
  }
  return found;
}

// ---- The expression grammar ----------------------------------------------------------------

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'end'; text: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'true', 'false', 'null', 'empty', 'instanceof', 'div', 'mod']);
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '?', ':', '(', ')', '.', '[', ']', ','];

/**
 * The problems of every `${…}` and `#{…}` in a text (an attribute or element text), empty when
 * each stays inside the allowed grammar: variable names, string/number/boolean/null literals,
 * comparisons, `&&` `||` `!` `and` `or` `not` `empty`, `a ? b : c` and parentheses. One form of
 * call is allowed because our diagrams hand each instance of a multi-instance its agency:
 * `name.split("literal")[name or number]` (a String's split, then an index into its array).
 */
export function expressionProblems(text: string): string[] {
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = findOpening(text, i);
    if (open < 0) break;
    const result = parseExpression(text, open + 2);
    if ('error' in result) {
      problems.push(`${text.slice(open, Math.min(text.length, open + 120))} (${result.error})`);
      break;
    }
    i = result.end;
  }
  return problems;
}

function findOpening(text: string, from: number): number {
  const a = text.indexOf('${', from);
  const b = text.indexOf('#{', from);
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

function tokenize(text: string, start: number): { tokens: Token[]; end: number } | { error: string } {
  const tokens: Token[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '}') {
      tokens.push({ kind: 'end', text: '}' });
      return { tokens, end: i + 1 };
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) return { error: 'chuỗi không đóng' };
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
      continue;
    }
    const number = /^[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i, i + 40));
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return { error: `ký tự không được phép '${c}'` };
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return { error: 'biểu thức không đóng' };
}

function parseExpression(text: string, start: number): { end: number } | { error: string } {
  const lexed = tokenize(text, start);
  if ('error' in lexed) return lexed;
  const { tokens } = lexed;
  let p = 0;
  const peek = () => tokens[p]!;
  const isOp = (...ops: string[]) => peek().kind === 'op' && ops.includes(peek().text);
  const isWord = (...words: string[]) => peek().kind === 'ident' && words.includes(peek().text);
  const expect = (kind: Token['kind'], text?: string) => {
    const t = peek();
    if (t.kind !== kind || (text !== undefined && t.text !== text)) throw new Error(`cần '${text ?? kind}', gặp '${t.text}'`);
    p++;
    return t;
  };

  const ternary = (): void => {
    or();
    if (isOp('?')) {
      p++;
      ternary();
      expect('op', ':');
      ternary();
    }
  };
  const or = (): void => {
    and();
    while (isOp('||') || isWord('or')) {
      p++;
      and();
    }
  };
  const and = (): void => {
    equality();
    while (isOp('&&') || isWord('and')) {
      p++;
      equality();
    }
  };
  const equality = (): void => {
    relational();
    while (isOp('==', '!=') || isWord('eq', 'ne')) {
      p++;
      relational();
    }
  };
  const relational = (): void => {
    unary();
    while (isOp('<', '>', '<=', '>=') || isWord('lt', 'gt', 'le', 'ge')) {
      p++;
      unary();
    }
  };
  const unary = (): void => {
    if (isOp('!') || isWord('not', 'empty')) {
      p++;
      unary();
    } else primary();
  };
  const primary = (): void => {
    const t = peek();
    if (t.kind === 'string' || t.kind === 'number') {
      p++;
      return;
    }
    if (isOp('(')) {
      p++;
      ternary();
      expect('op', ')');
      return;
    }
    if (t.kind === 'ident' && ['true', 'false', 'null'].includes(t.text)) {
      p++;
      return;
    }
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) throw new Error(`không được dùng '${t.text}'`);
    p++;
    if (isOp('.')) {
      // The one call allowed: name.split("…")[index].
      p++;
      expect('ident', 'split');
      expect('op', '(');
      expect('string');
      expect('op', ')');
      expect('op', '[');
      const index = peek();
      if (index.kind === 'number' || (index.kind === 'ident' && !KEYWORDS.has(index.text))) p++;
      else throw new Error(`chỉ số không hợp lệ '${index.text}'`);
      expect('op', ']');
    }
  };

  try {
    ternary();
    expect('end');
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  return { end: lexed.end };
}

const KIND_VI: Record<DiagramViolation['kind'], string> = {
  XML: 'XML không hợp lệ',
  DOCTYPE: 'DOCTYPE hoặc ENTITY',
  SCRIPT: 'mã script',
  JAVA_CLASS: 'lớp Java',
  BEAN_EXPRESSION: 'biểu thức gọi mã',
  CONNECTOR: 'connector',
  TASK_TYPE: 'loại tác vụ không phải external',
  VALIDATOR: 'bộ kiểm tra tùy biến',
  EXPRESSION: 'biểu thức ngoài ngữ pháp cho phép',
};

/** One Vietnamese sentence naming the first violation's element and line. */
export function describeViolation(v: DiagramViolation): string {
  return `Sơ đồ chứa ${KIND_VI[v.kind]} tại phần tử ${v.elementId ?? '(không có id)'}, dòng ${v.line}: ${v.detail}`;
}

/** The ids of the executable processes a diagram defines (the process keys a deployment would change). */
export function executableProcessIds(xml: string): string[] {
  const ids: string[] = [];
  const parser = new Parser({ proxy: true });
  parser.ns(KNOWN_NS);
  parser.on('openTag', (el, decode: Decode) => {
    if (el.name !== 'bpmn:process') return;
    const id = el.attrs.id === undefined ? '' : decode(el.attrs.id);
    if (id && el.attrs.isExecutable !== undefined && decode(el.attrs.isExecutable) === 'true') ids.push(id);
  });
  parser.on('error', () => {});
  parser.parse(xml);
  return ids;
}

/** How a user task names its form: a deployed form (camunda:formRef and its binding, 'latest' when unsaid) or, before forms were deployed, a formKey (binding null). */
export type TaskFormRef = { key: string; binding: string | null };

/**
 * Every user task of a diagram (by id) with the form it names, null when none. Read with the XML
 * parser, as the engine reads it: an attribute value may hold a '>' or a comment a task's tag, so
 * scanning the text for tags would miss a task or find one the engine never sees.
 */
export function userTaskForms(xml: string): Map<string, TaskFormRef | null> {
  const tasks = new Map<string, TaskFormRef | null>();
  const parser = new Parser({ proxy: true });
  parser.ns(KNOWN_NS);
  parser.on('openTag', (el, decode: Decode) => {
    if (el.name !== 'bpmn:userTask') return;
    const attr = (name: string) => {
      const found = Object.keys(el.attrs).find((a) => prefixOf(a) !== 'xmlns' && localName(a) === name);
      return found === undefined ? undefined : decode(el.attrs[found]!);
    };
    const id = el.attrs.id === undefined ? '' : decode(el.attrs.id);
    if (!id) return;
    const formRef = attr('formRef');
    const formKey = attr('formKey');
    tasks.set(id, formRef ? { key: formRef, binding: attr('formRefBinding') ?? 'latest' } : formKey ? { key: formKey, binding: null } : null);
  });
  parser.on('error', () => {});
  parser.parse(xml);
  return tasks;
}

/** The form ids a diagram's user tasks name with camunda:formRef, each once: the forms deployed with it. */
export function formRefsOf(xml: string): string[] {
  return [...new Set([...userTaskForms(xml).values()].flatMap((ref) => (ref && ref.binding !== null ? [ref.key] : [])))].sort();
}
