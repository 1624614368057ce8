/** server/openapi/page.ts: the reference page writes every text of the document as text, never as markup. */
import { describe, expect, it } from 'vitest';
import { openApiDocument, type OpenApiDocument } from '../../server/openapi/document.ts';
import { renderReferencePage } from '../../server/openapi/page.ts';

describe('renderReferencePage', () => {
  it('should escape markup in every text it shows when a description, pattern or name carries some', () => {
    // given a document whose texts hold markup (a pattern with "<", a description with a script)
    const doc = {
      openapi: '3.1.0',
      info: { title: 'T <b>', version: '1', description: '<img src=x onerror=alert(1)>' },
      servers: [{ url: '/api' }],
      paths: {
        '/x/{id}': {
          get: {
            tags: ['<i>tag</i>'],
            summary: '"><script>alert(1)</script>',
            parameters: [{ name: 'id"', in: 'path', required: true, schema: { type: 'string', pattern: '^[^<>]+$' } }],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { '<p>': { type: 'string', description: '</ul><script>x</script>' } } } } } } },
          },
        },
      },
      components: { schemas: { 'A<b>': { type: 'string', enum: ['<svg onload=alert(1)>'] } } },
    } as unknown as OpenApiDocument;

    // when it is rendered
    const html = renderReferencePage(doc);

    // then no markup of the document reaches the page as markup
    for (const raw of ['<script', '<img', '<svg', '<i>tag', '<code><p></code>', 'T <b>', 'A<b>', 'id"</code>']) expect(html).not.toContain(raw);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('^[^&#60;&#62;]+$');
  });

  it('should list every operation of the API document with its method and path when it renders the real document', () => {
    // given the API's own document
    const doc = openApiDocument();

    // when it is rendered
    const html = renderReferencePage(doc);

    // then each operation has its section, and the page carries no script at all
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m}-/api${path}`));
    for (const id of operations) expect(html, id).toContain(`id="${id.replace(/[^A-Za-z0-9_-]/g, '-')}"`);
    expect(operations.length).toBeGreaterThan(40);
    expect(html).not.toMatch(/<script/i);
  });
});
