/**
 * A task form as hostile input (domain/form-guard.ts): what the repository's forms pass, and each
 * way a designer's or a deployment's form is refused, with a Vietnamese message naming the problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formProblems, MAX_FORM_BYTES, parseFormText } from '../../../domain/form-guard.ts';

const FORMS = path.resolve(import.meta.dirname, '..', '..', '..', 'processes', 'forms');
const base = () => JSON.parse(fs.readFileSync(path.join(FORMS, 'proactive-handling.form'), 'utf8')) as { id: string; components: Record<string, unknown>[] };
const codes = (schema: unknown) => formProblems(schema).map((p) => p.code);
const withComponent = (c: Record<string, unknown>) => {
  const s = base();
  return { ...s, components: [...s.components, c] };
};

describe('form guard', () => {
  it('should find nothing wrong with any form of processes/forms', () => {
    for (const name of fs.readdirSync(FORMS).filter((n) => n.endsWith('.form'))) {
      const { schema, problems } = parseFormText(fs.readFileSync(path.join(FORMS, name), 'utf8'));
      expect([name, problems, formProblems(schema)]).toEqual([name, [], []]);
    }
  });

  it('should refuse a form too large or not JSON before reading it', () => {
    expect(parseFormText('x'.repeat(MAX_FORM_BYTES + 1)).problems.map((p) => p.code)).toEqual(['FORM_TOO_LARGE']);
    expect(parseFormText('{ "type": ').problems.map((p) => p.code)).toEqual(['FORM_NOT_JSON']);
    expect(codes([])).toEqual(['FORM_NOT_FORM_JS']);
    expect(codes({ ...base(), id: 'Form With Spaces' })).toEqual(['FORM_ID_INVALID']);
  });

  it('should refuse a component type the server does not know, naming the component and the type', () => {
    const problems = formProblems(withComponent({ type: 'iframe', key: 'page', label: 'Trang', url: 'https://example.org' }));
    expect(problems.map((p) => p.code)).toEqual(['FORM_COMPONENT_UNKNOWN']);
    expect(problems[0]!.message).toMatch(/"page".*"iframe"/);
  });

  it('should refuse markup, script URLs, expressions outside conditions and templates outside text', () => {
    expect(codes(withComponent({ type: 'textfield', key: 'a', label: '<b>Tên</b>' }))).toEqual(['FORM_CODE']);
    expect(codes(withComponent({ type: 'textfield', key: 'a', label: 'Tên', description: 'javascript:alert(1)' }))).toEqual(['FORM_CODE']);
    expect(codes(withComponent({ type: 'textfield', key: 'a', label: '=userRole' }))).toEqual(['FORM_CODE']);
    expect(codes(withComponent({ type: 'textfield', key: 'a', label: 'Tên {{userRole}}' }))).toEqual(['FORM_CODE']);
    expect(codes(withComponent({ type: 'image', source: 'https://x' }))).toEqual(['FORM_COMPONENT_UNKNOWN']);
    expect(codes(withComponent({ type: 'select', key: 'a', label: 'Chọn', valuesExpression: 'options' }))).toEqual(['FORM_CODE']);
    // a condition and a text component's template are what the forms use
    expect(codes(withComponent({ type: 'textfield', key: 'a', label: 'Tên', conditional: { hide: '=userRole != "DEPUTY"' } }))).toEqual([]);
    expect(codes(withComponent({ type: 'text', text: '{{#if lastErrorMessage}}**Lý do:** {{lastErrorMessage}}{{/if}}' }))).toEqual([]);
  });

  it('should refuse a field without a Vietnamese label, a key used twice and a key that is not a name', () => {
    expect(codes(withComponent({ type: 'textfield', key: 'a' }))).toEqual(['FORM_LABEL_MISSING']);
    const left = formProblems(withComponent({ type: 'textfield', key: 'a', label: 'Text field' }));
    expect(left.map((p) => [p.code, p.message])).toEqual([['FORM_LABEL_MISSING', 'Trường "a" còn nhãn mặc định "Text field": cần nhãn tiếng Việt.']]);
    expect(codes(withComponent({ type: 'textarea', key: 'action', label: 'Lần nữa' }))).toEqual(['FORM_KEY_DUPLICATE']);
    expect(codes(withComponent({ type: 'textarea', key: '__proto__', label: 'Khóa' }))).toEqual(['FORM_KEY_INVALID']);
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(codes(withComponent({ type: 'textarea', key, label: 'Khóa' }))).toEqual(['FORM_KEY_INVALID']);
      expect(codes(withComponent({ type: 'group', path: key, label: 'Nhóm', components: [] }))).toEqual(['FORM_KEY_INVALID']);
    }
  });

  it('should refuse a form of too many components or too deep groups', () => {
    const many = base();
    many.components = Array.from({ length: 201 }, (_, i) => ({ type: 'spacer', id: `S${i}` }));
    expect(codes(many)).toEqual(['FORM_TOO_COMPLEX']);
    let group: Record<string, unknown> = { type: 'textfield', key: 'leaf', label: 'Lá' };
    for (let i = 0; i < 5; i++) group = { type: 'group', path: `g${i}`, label: `Nhóm ${i}`, components: [group] };
    expect(codes(withComponent(group))).toContain('FORM_TOO_COMPLEX');
  });

  it('should refuse a property of the wrong type, which the server would read as a string, with a problem rather than a throw', () => {
    const field = { type: 'textfield', key: 'note', label: 'Ghi chú' };
    const object = { toString: 1 };
    for (const c of [
      { ...field, key: object },
      { ...field, type: object },
      { ...field, label: object },
      { ...field, properties: { serverSchema: object } },
      { ...field, properties: { reports: ['R-01'] } },
      { ...field, conditional: { hide: object } },
      { ...field, validate: { pattern: object } },
      { ...field, validate: { maxLength: '10' } },
      { ...field, validate: 'required' },
      { type: 'radio', key: 'choice', label: 'Chọn', values: [{ label: 'A', value: object }] },
    ]) {
      expect(codes(withComponent(c)).length, JSON.stringify(c)).toBe(1);
    }
    expect(codes(withComponent({ ...field, properties: { serverSchema: object } }))).toEqual(['FORM_NOT_FORM_JS']);
  });

  it('should refuse a form nested to overflow the stack, under the size limit, with a 4xx problem rather than a throw', () => {
    const n = 40_000;
    const deepProperties = `{"type":"default","id":"a","components":[{"type":"textfield","key":"a","label":"Tên","properties":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}]}`;
    const deepArray = `{"type":"default","id":"a","components":[],"x":${'['.repeat(n)}${']'.repeat(n)}}`;
    for (const text of [deepProperties, deepArray]) {
      const parsed = parseFormText(text);
      expect(parsed.problems).toEqual([]);
      expect(codes(parsed.schema)).toEqual(['FORM_TOO_COMPLEX']);
    }
  });
});
