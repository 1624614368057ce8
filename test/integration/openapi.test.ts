/**
 * The API contract (server/openapi/): every mounted route is in the OpenAPI document and every
 * entry of it is mounted, and real answers, as the demo users get them from the real server,
 * engine and database, have exactly the shape the document declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, opinionForm, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { waitForTask } from '../support/flow.ts';
import { createApp } from '../../server/app.ts';
import { openApiDocument } from '../../server/openapi/document.ts';
import { answerSchema } from '../../server/openapi/paths.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; rawPath?: unknown };

/** "GET /dossiers/{id}" for every route mounted under /api, from the express router stack. */
function mountedApiRoutes(env: TestEnv): string[] {
  const app = createApp(env.deps);
  const out = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const l of stack) {
      if (l.route && typeof l.route.path === 'string') {
        for (const m of Object.keys(l.route.methods)) if (m !== '_all') out.add(`${m.toUpperCase()} ${prefix}${l.route.path}`);
      } else if (l.handle.stack) walk(l.handle.stack, prefix + (typeof l.rawPath === 'string' && l.rawPath !== '/' ? l.rawPath : ''));
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...out]
    .filter((r) => r.split(' ')[1]!.startsWith('/api/'))
    .map((r) => r.replace(' /api/', ' /').replace(/:([A-Za-z0-9_]+)/g, '{$1}'))
    .sort();
}

function documentedRoutes(): string[] {
  return Object.entries(openApiDocument().paths ?? {})
    .flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

type Answer = { status: number; contentType: string; body: unknown };

describe('the OpenAPI contract', () => {
  let env: TestEnv;
  const checked = new Set<string>();

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Calls the API as `client` (or anonymously) and returns the raw answer. */
  async function call(client: ApiClient | null, method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (client) {
      headers.cookie = client.sessionCookie;
      headers['x-csrf-token'] = client.csrfToken;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${env.baseUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return { status: res.status, contentType, body: contentType.includes('json') && text ? JSON.parse(text) : text };
  }

  /** Fails unless the document declares this status for the route and the answer has the declared shape. */
  function expectDeclared(method: string, route: string, a: Answer): void {
    const op = (openApiDocument().paths?.[route] as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }> | undefined)?.[method.toLowerCase()];
    expect(op, `${method} ${route} is in the document`).toBeDefined();
    const declared = op!.responses[String(a.status)];
    expect(declared, `${method} ${route} declares status ${a.status} (body ${JSON.stringify(a.body).slice(0, 300)})`).toBeDefined();
    const declaredTypes = Object.keys(declared!.content ?? {});
    if (declaredTypes.length === 0) expect(a.body, `${method} ${route} ${a.status} has no body`).toBe('');
    else expect(declaredTypes.some((t) => t === '*/*' || a.contentType.startsWith(t)), `${method} ${route} ${a.status} answers ${a.contentType}, declared ${declaredTypes.join(', ')}`).toBe(true);
    const schema = answerSchema(method, route, a.status) as z.ZodType | undefined;
    if (schema && a.contentType.includes('json')) {
      const parsed = schema.safeParse(a.body);
      const issues = parsed.error?.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
      // Soft: one run lists every answer that strays from the document, not only the first.
      expect.soft(issues ?? [], `${method} ${route} ${a.status} answers a shape the document does not declare`).toEqual([]);
    }
    checked.add(`${method} ${route}`);
  }

  /** Calls and checks in one go; returns the body. */
  async function check<T = Record<string, unknown>>(client: ApiClient | null, method: string, route: string, path: string, body?: unknown, status?: number): Promise<T> {
    const a = await call(client, method, path, body);
    if (status !== undefined) expect(a.status, `${method} ${path}: ${JSON.stringify(a.body).slice(0, 300)}`).toBe(status);
    expectDeclared(method, route, a);
    return a.body as T;
  }

  it('should document every route mounted under /api, and mount every route the document lists', () => {
    // given the app as the server builds it, and the generated document
    // when the routes of its router stack are listed
    const mounted = mountedApiRoutes(env);
    const documented = documentedRoutes();

    // then the two lists are the same: a new route without a document entry fails here
    expect(mounted.filter((r) => !documented.includes(r)), 'mounted but not in the OpenAPI document').toEqual([]);
    expect(documented.filter((r) => !mounted.includes(r)), 'in the OpenAPI document but not mounted').toEqual([]);
    expect(mounted.length).toBeGreaterThan(40);
  });

  it('should serve the document and its reference page without sign-in, as OpenAPI 3.1 with the error shape on every refusal', async () => {
    // given no session
    // when the document and the page are fetched
    const doc = await check<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(null, 'GET', '/openapi.json', '/openapi.json', undefined, 200);
    const page = await call(null, 'GET', '/docs');

    // then the document is OpenAPI 3.1, every operation declares its refusals with the Error schema
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.responses['400'], `${method} ${path} declares 400`).toEqual({ description: expect.any(String), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
      }
    }
    // and the page is HTML of ours, every operation listed, with no script (the CSP allows only our own)
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expectDeclared('GET', '/docs', page);
    const html = page.body as string;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<code>/api/dossiers/{id}/opinions/{agency}/waive</code>');
    expect(html).toContain('id="schema-Dossier"');
  });

  it('should answer the declared shapes on a representative set of routes, for the demo users, on the real engine and database', async () => {
    // given the demo users of a drafting agency, a consulted one, the Office, an administrator and a head
    const drafter = await env.as('sct.chuyenvien');
    const consulted = await env.as('stc.chuyenvien');
    const office = await env.as('vp.chuyenvien');
    const chief = await env.as('vp.chanhvanphong');
    const admin = await env.as('admin');
    const head = await env.as('sct.giamdoc');
    const designer = await env.as('thietke');

    // when they sign in, create a dossier and work on it, then read lists, reports and the organisation
    await check(null, 'POST', '/auth/login', '/auth/login', { username: 'sct.chuyenvien', password: 'Demo@2026' }, 200);
    await check(drafter, 'GET', '/auth/me', '/auth/me', undefined, 200);
    const { dossier } = await check<{ dossier: { id: string } }>(drafter, 'POST', '/dossiers', '/dossiers', validDossierInput(), 201);
    const id = dossier.id;
    const added = await check<{ documentId: string }>(drafter, 'POST', '/dossiers/{id}/documents', `/dossiers/${id}/documents`, { role: 'OTHER', docType: 'BAO_CAO', subject: 'Báo cáo kèm theo', ...pdf('bao-cao.pdf', 'Bao cao') });
    const form = new FormData();
    form.set('role', 'OTHER');
    form.set('docType', 'BAO_CAO');
    form.set('file', new Blob([Buffer.from('%PDF-1.4\n% phu luc\n')], { type: 'application/pdf' }), 'phu-luc.pdf');
    const upload = await fetch(`${env.baseUrl}/api/dossiers/${id}/files`, { method: 'POST', headers: { cookie: drafter.sessionCookie, 'x-csrf-token': drafter.csrfToken }, body: form });
    expect(upload.status).toBe(201);
    expectDeclared('POST', '/dossiers/{id}/files', { status: upload.status, contentType: upload.headers.get('content-type') ?? '', body: await upload.json() });
    const content = await call(drafter, 'GET', `/documents/${added.documentId}/content`);
    expect(content.status).toBe(200);
    expectDeclared('GET', '/documents/{id}/content', content);

    const opinion = await waitForTask(consulted, id, 'Task_GiveOpinion');
    await check(consulted, 'GET', '/tasks', '/tasks', undefined, 200);
    await check(consulted, 'GET', '/tasks', `/tasks?dossier=${id}&counts=true`, undefined, 200);
    await check(consulted, 'GET', '/tasks/{id}', `/tasks/${opinion.id}`, undefined, 200);
    await check(consulted, 'GET', '/tasks/{id}/form', `/tasks/${opinion.id}/form`, undefined, 200);
    await check(consulted, 'POST', '/tasks/{id}/claim', `/tasks/${opinion.id}/claim`, {}, 204);
    await check(consulted, 'POST', '/tasks/{id}/complete', `/tasks/${opinion.id}/complete`, opinionForm('STC'), 200);

    await check(drafter, 'GET', '/dossiers', '/dossiers', undefined, 200);
    await check(drafter, 'GET', '/dossiers/{id}', `/dossiers/${id}`, undefined, 200);
    await check(office, 'GET', '/dossiers/{id}', `/dossiers/${id}`, undefined, 200);
    // a secret dossier, read by Office staff without clearance: its content columns blanked, in the declared shape
    const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };
    const secretInput = validDossierInput({
      subject: 'Phương án bảo vệ mục tiêu trọng điểm năm 2026',
      secrecyLevel: 'MAT',
      consultedAgencyCodes: [],
      documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })],
    });
    const secret = await check<{ dossier: { id: string } }>(drafter, 'POST', '/dossiers', '/dossiers', secretInput, 201);
    const masked = await check<{ dossier: { confidentialHidden: boolean; subject: string } }>(office, 'GET', '/dossiers/{id}', `/dossiers/${secret.dossier.id}`, undefined, 200);
    expect(masked.dossier).toMatchObject({ confidentialHidden: true, subject: 'Hồ sơ mật' });
    await check(drafter, 'GET', '/dossier-steps', '/dossier-steps', undefined, 200);
    await check(chief, 'GET', '/reports/agencies', '/reports/agencies', undefined, 200);
    await check(chief, 'GET', '/reports/agencies', '/reports/agencies?format=csv', undefined, 200);

    await check(designer, 'GET', '/processes', '/processes', undefined, 200);
    const defs = await check<{ definitions: { id: string }[] }>(designer, 'GET', '/process-definitions', '/process-definitions', undefined, 200);
    await check(designer, 'GET', '/process-definitions/{id}/xml', `/process-definitions/${encodeURIComponent(defs.definitions[0]!.id)}/xml`, undefined, 200);
    await check(designer, 'GET', '/process-definitions/{id}/forms', `/process-definitions/${encodeURIComponent(defs.definitions[0]!.id)}/forms`, undefined, 200);
    await check(designer, 'GET', '/process-definitions/{id}/statistics', `/process-definitions/${encodeURIComponent(defs.definitions[0]!.id)}/statistics`, undefined, 200);
    await check(designer, 'GET', '/incidents', '/incidents', undefined, 200);
    await check(designer, 'GET', '/deployment-proposals', '/deployment-proposals', undefined, 200);

    await check(office, 'POST', '/incoming-documents', '/incoming-documents', { issuer: 'Bộ Công Thương', numberSymbol: '77/BCT-HĐ', subject: 'V/v phối hợp', kinhGui: ['SCT'], noiNhan: ['STC'] }, 201);
    await check(office, 'GET', '/incoming-documents', '/incoming-documents', undefined, 200);
    const assigned = await check<{ id: string }>(office, 'POST', '/assigned-tasks', '/assigned-tasks', { sourceRef: '12/TB-UBND', sourceDate: '2026-11-02', assignedBy: 'UBND_TINH', assigneeAgencyCode: 'SCT', content: 'Xây dựng kế hoạch', dueAt: '2027-03-01T00:00:00+07:00' }, 201);
    await check(office, 'GET', '/assigned-tasks', '/assigned-tasks', undefined, 200);
    const sctDrafter = await env.as('sct.chuyenvien');
    await check(sctDrafter, 'POST', '/assigned-tasks/{id}/progress', `/assigned-tasks/${assigned.id}/progress`, { content: 'Đang xây dựng dự thảo.', percent: 20 }, 201);
    await check(sctDrafter, 'GET', '/assigned-tasks/{id}', `/assigned-tasks/${assigned.id}`, undefined, 200);
    await check(await env.as('sct.giamdoc'), 'POST', '/assigned-tasks/{id}/complete', `/assigned-tasks/${assigned.id}/complete`, { report: 'Đã ban hành kế hoạch, báo cáo kèm theo.' }, 200);

    type AgencyAnswer = { code: string; name: string; fields: string[]; headIsUbndMember: boolean; headUserId: string | null };
    const before = (await check<{ items: AgencyAnswer[] }>(admin, 'GET', '/admin/agencies', '/admin/agencies', undefined, 200)).items.find((a) => a.code === 'SCT')!;
    const renamed = await check<{ agency: AgencyAnswer }>(admin, 'PATCH', '/admin/agencies/{code}', '/admin/agencies/SCT', { name: 'Sở Công Thương tỉnh Long An' }, 200);
    // a PATCH changes what it names only (zod 4's partial() would have reset the defaulted fields and lists)
    expect(renamed.agency).toEqual({ ...before, name: 'Sở Công Thương tỉnh Long An' });
    await check(admin, 'GET', '/admin/users', '/admin/users?agency=SCT', undefined, 200);
    const granted = await check<{ delegation: { id: string } }>(
      head,
      'POST',
      '/admin/delegations',
      '/admin/delegations',
      { granteeUserId: 'sct.phogiamdoc', matterCategories: ['cong-thuong'], validFrom: '2026-01-01T00:00:00+07:00', validTo: '2027-01-01T00:00:00+07:00', reason: 'Giám đốc đi công tác dài ngày' },
      201,
    );
    await check(admin, 'GET', '/admin/delegations', '/admin/delegations', undefined, 200);
    await check(head, 'POST', '/admin/delegations/{id}/revoke', `/admin/delegations/${granted.delegation.id}/revoke`, {}, 200);
    await check(drafter, 'GET', '/admin/reference-data', '/admin/reference-data', undefined, 200);
    await check(admin, 'POST', '/admin/matter-categories', '/admin/matter-categories', { code: 'cong-thuong/hop-dong-mau', nameVi: 'Hợp đồng mẫu', competentAuthority: 'UBND_TINH' }, 201);
    await check(admin, 'PATCH', '/admin/matter-categories/{code}', `/admin/matter-categories/${encodeURIComponent('cong-thuong/hop-dong-mau')}`, { active: false }, 200);
    await check(admin, 'POST', '/admin/legal-basis-types', '/admin/legal-basis-types', { code: 'THONG_BAO', nameVi: 'Thông báo', rank: 110 }, 201);
    await check(admin, 'PATCH', '/admin/legal-basis-types/{code}', '/admin/legal-basis-types/THONG_BAO', { nameEn: 'Notice' }, 200);

    // and they are refused in the declared error shape, naming the field in Vietnamese (zod 4's locale)
    const bad = await check<{ error: { code: string; field: string; message: string } }>(drafter, 'POST', '/dossiers', '/dossiers', { ...validDossierInput(), subject: 'x'.repeat(501) }, 400);
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', field: 'subject' });
    expect(bad.error.message).toMatch(/^Dữ liệu không hợp lệ ở trường "subject": Quá lớn/);
    const unknownKey = await check<{ error: { field: string } }>(drafter, 'PATCH', '/dossiers/{id}', `/dossiers/${id}`, { subjectt: 'lỗi chính tả' }, 400);
    expect(unknownKey.error.field).toBe('subjectt');
    await check(drafter, 'PATCH', '/dossiers/{id}', `/dossiers/${id}`, { proposal: 'Đề nghị phê duyệt kế hoạch.' }, 409);
    await check(null, 'GET', '/dossiers', '/dossiers', undefined, 401);
    await check(consulted, 'GET', '/dossiers/{id}', '/dossiers/HS-1999-000001', undefined, 404);
    await check(drafter, 'GET', '/incidents', '/incidents', undefined, 403);

    // then every answer above had a declared status and shape, across most of the API
    expect(checked.size).toBeGreaterThanOrEqual(30);
  });
});
