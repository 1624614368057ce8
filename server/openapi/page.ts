/**
 * The reference page: the OpenAPI document rendered as plain HTML on the server, so it needs no
 * script at all (the CSP allows only our own) and no CDN. Every text goes through `esc`.
 */
import type { OpenApiDocument } from './document.ts';

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

/** A one-line description of a schema's type and limits. */
function typeOf(s: Schema): string {
  if (s.$ref) return `<a href="#schema-${esc(anchor(refName(s.$ref)))}">${esc(refName(s.$ref))}</a>`;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(' | ');
  if (s.allOf) return s.allOf.map(typeOf).join(' &amp; ');
  if (s.enum) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const base = types
    .map((t) => (t === 'array' && s.items ? `array of ${typeOf(s.items)}` : t === 'object' && !s.properties && typeof s.additionalProperties === 'object' ? `map of ${typeOf(s.additionalProperties)}` : esc(t)))
    .join(' | ');
  const limits = [
    s.format && `format ${s.format}`,
    s.pattern && `pattern ${s.pattern}`,
    s.minLength !== undefined && `min ${s.minLength} characters`,
    s.maxLength !== undefined && `max ${s.maxLength} characters`,
    s.minItems !== undefined && `min ${s.minItems} items`,
    s.maxItems !== undefined && `max ${s.maxItems} items`,
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.default !== undefined && `default ${JSON.stringify(s.default)}`,
  ].filter(Boolean) as string[];
  return `${base || 'any'}${limits.length ? ` <small>(${esc(limits.join(', '))})</small>` : ''}`;
}

/** A schema as a nested list of its fields, down to a few levels (named schemas are links). */
function schemaHtml(s: Schema | undefined, depth = 0): string {
  if (!s) return '';
  const target = s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array')) ? s.items : s;
  if (!target?.properties || depth > 4) return `<p class="type">${typeOf(s)}</p>`;
  const required = new Set(target.required ?? []);
  const rows = Object.entries(target.properties).map(([name, p]) => {
    const inner = p.properties || p.items?.properties ? schemaHtml(p, depth + 1) : '';
    return `<li><code>${esc(name)}</code>${required.has(name) ? '' : ' <small>optional</small>'}: ${typeOf(p)}${p.description ? ` — ${esc(p.description)}` : ''}${inner}</li>`;
  });
  const closed = target.additionalProperties === false ? ' <small>(no other fields)</small>' : '';
  return `${s !== target ? '<p class="type">array of:</p>' : ''}<ul>${rows.join('')}</ul>${closed}`;
}

function contentHtml(content: Record<string, { schema?: Schema }> | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, c]) => `<div class="content"><small>${esc(type)}</small>${schemaHtml(c.schema)}</div>`)
    .join('');
}

function operationHtml(method: string, path: string, op: Operation): string {
  const who = !op.security || op.security.length === 0 ? 'no sign-in' : op.security.some((s) => 'csrf' in s) ? 'signed in, CSRF header' : 'signed in';
  const params = op.parameters?.length
    ? `<h4>Parameters</h4><ul>${op.parameters.map((p) => `<li><code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? ', required' : ''}</small>: ${p.schema ? typeOf(p.schema) : ''}${p.description ? ` — ${esc(p.description)}` : ''}</li>`).join('')}</ul>`
    : '';
  const body = op.requestBody ? `<h4>Body</h4>${contentHtml(op.requestBody.content)}` : '';
  const answers = Object.entries(op.responses ?? {})
    .map(([status, a]) => `<li><strong>${esc(status)}</strong> ${esc(a.description ?? '')}${a.content && !Object.values(a.content).some((c) => c.schema?.$ref === '#/components/schemas/Error') ? contentHtml(a.content) : a.content ? ' <a href="#schema-Error">Error</a>' : ''}</li>`)
    .join('');
  const id = `${method}-${anchor(path)}`;
  return `<section class="op" id="${esc(id)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> <a href="#${esc(id)}" aria-label="link">#</a></h3>
<p>${esc(op.summary ?? '')} <small>(${esc(who)})</small></p>${op.description ? `<p>${esc(op.description)}</p>` : ''}${params}${body}<h4>Answers</h4><ul>${answers}</ul></section>`;
}

/** The whole page. */
export function renderReferencePage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  const base = doc.servers?.[0]?.url ?? '';
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, `${base}${path}`, op)]);
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>)
    .map(([name, s]) => `<section class="op" id="schema-${esc(anchor(name))}"><h3>${esc(name)}</h3>${s.description ? `<p>${esc(s.description)}</p>` : ''}${schemaHtml(s)}</section>`)
    .join('');
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${esc(anchor(t))}">${esc(t)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem 1.5rem;color:#1b1b1b}
code{font:13px ui-monospace,monospace;background:#f2f2f2;padding:0 .2rem}
.op{border-top:1px solid #ddd;padding:.5rem 0}.op h3{margin:.3rem 0;font-size:1.05rem}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:3px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#1f6f43}.post{background:#1d4f91}.patch{background:#8a5a00}.delete{background:#9b1c1c}.put{background:#5b2a86}
h4{margin:.4rem 0 .1rem;font-size:.9rem}ul{margin:.1rem 0;padding-left:1.3rem}small{color:#555}.content{margin-left:.5rem}
</style></head><body>
<h1>${esc(doc.info.title)}</h1>
<p>${esc(doc.info.description ?? '')}</p>
<p>OpenAPI ${esc(doc.openapi)} document: <a href="${esc(base)}/openapi.json">${esc(base)}/openapi.json</a>. ${toc}</p>
${[...byTag.entries()].map(([tag, ops]) => `<h2 id="tag-${esc(anchor(tag))}">${esc(tag)}</h2>${ops.join('\n')}`).join('\n')}
<h2 id="schemas">Schemas</h2>${schemas}
</body></html>`;
}
