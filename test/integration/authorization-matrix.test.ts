/**
 * The authorization matrix: every API route registered on the express app × every role of the demo
 * organisation × an object of the user's own agency or of another × a normal or a confidential (Mật)
 * dossier, against the real server, database and engine. A route without an entry here fails the
 * test, so a new route cannot ship without its row. The expected table is the permission table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { waitForTask } from '../support/flow.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { USER_ROLES } from '../../domain/model.ts';
import { createApp } from '../../server/app.ts';

/** One person per role; the Office's head and its cleared clerk as well, since they see more. */
const ACTORS = {
  HEAD: 'sct.giamdoc',
  ACTING_HEAD: 'stc.giamdoc',
  DEPUTY: 'sct.phogiamdoc',
  SPECIALIST: 'sct.chuyenvien',
  CLERK: 'sct.vanthu',
  APPRAISER: 'stp.chuyenvien',
  OFFICE_HEAD: 'vp.chanhvanphong',
  OFFICE_REVIEWER: 'vp.chuyenvien',
  OFFICE_CLEARED: 'vp.mat',
  OFFICE_MONITOR: 'vp.theodoi',
  UBND_LEADER: 'ubnd.chutich',
  ADMIN: 'admin',
  DESIGNER: 'thietke',
} as const;
type ActorName = keyof typeof ACTORS;
/** Column heads of the printed table. */
const SHORT: Record<ActorName, string> = {
  HEAD: 'HEAD',
  ACTING_HEAD: 'ACTH',
  DEPUTY: 'DEPU',
  SPECIALIST: 'SPEC',
  CLERK: 'CLRK',
  APPRAISER: 'APPR',
  OFFICE_HEAD: 'VPHD',
  OFFICE_REVIEWER: 'VPRV',
  OFFICE_CLEARED: 'VPMT',
  OFFICE_MONITOR: 'VPTD',
  UBND_LEADER: 'UBND',
  ADMIN: 'ADMN',
  DESIGNER: 'DSGN',
};
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

/** Agencies leading the fixture dossiers: the actors' own ones, and SNV as "another agency" for all. */
const LEAD_AGENCIES = ['SCT', 'STC', 'STP', 'SNV'] as const;
const OTHER = 'SNV';
const NO_PROPOSAL = '00000000-0000-4000-8000-000000000000';
const SECRET_SUBJECT = 'Phương án bảo vệ mục tiêu trọng điểm (ma trận phân quyền)';

type Sec = 'normal' | 'conf';
type Fixture = { dossierId: string; taskId: string; documentId: string; subject: string };
type Cell = { actor: ActorName; client: ApiClient; agency: string; own: boolean; sec: Sec; fx: Fixture | null };
type Outcome = { status: number; code?: string; allowed: boolean; leak?: boolean };
type Dims = 'dossier' | 'agency' | 'none';
type Spec = { dims: Dims; expect: Record<ActorName, string>; call: (c: Cell) => Promise<Outcome> };

// Expected cells: 'Y' allowed, 'N' denied, '-' not applicable (the Office has no dossier of its own).
// dossier dims: own-normal, own-confidential, other-normal, other-confidential; agency dims: own, other.
const pattern = (by: Partial<Record<ActorName, string>>, rest: string): Record<ActorName, string> =>
  Object.fromEntries(ACTOR_NAMES.map((a) => [a, by[a] ?? rest])) as Record<ActorName, string>;
const AGENCY_ROLES: ActorName[] = ['HEAD', 'ACTING_HEAD', 'DEPUTY', 'SPECIALIST', 'CLERK', 'APPRAISER'];
const OFFICE_AND_UBND: ActorName[] = ['OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED', 'OFFICE_MONITOR', 'UBND_LEADER'];
const each = (names: ActorName[], v: string) => Object.fromEntries(names.map((n) => [n, v])) as Partial<Record<ActorName, string>>;
const ALL1 = pattern({}, 'Y');
/** Dossier metadata: its agencies, the Office's staff, UBND; never the system roles. */
const VIEW = pattern({ ...each(AGENCY_ROLES, 'YYNN'), ...each(OFFICE_AND_UBND, '--YY') }, '--NN');
/** Dossier content: the lead agency's specialists and leaders. */
const EDIT = pattern({ HEAD: 'YYNN', ACTING_HEAD: 'YYNN', DEPUTY: 'YYNN', SPECIALIST: 'YYNN', CLERK: 'NNNN', APPRAISER: 'NNNN' }, '--NN');
/** File bodies: who may see the dossier and, when secret, its subject (lead head or clearance ≥ Mật). */
const CONTENT = pattern(
  { HEAD: 'YYNN', ACTING_HEAD: 'YYNN', DEPUTY: 'YNNN', SPECIALIST: 'YNNN', CLERK: 'YNNN', APPRAISER: 'YNNN', OFFICE_HEAD: '--YY', OFFICE_CLEARED: '--YY', UBND_LEADER: '--YY', OFFICE_REVIEWER: '--YN', OFFICE_MONITOR: '--YN' },
  '--NN',
);
/** Task_DraftSubmission of the fixture: the lead agency's specialists (`<AGENCY>_chuyenvien`) only. */
const TASK = pattern({ SPECIALIST: 'YYNN', APPRAISER: 'YYNN', HEAD: 'NNNN', ACTING_HEAD: 'NNNN', DEPUTY: 'NNNN', CLERK: 'NNNN' }, '--NN');
const HEADS_ONLY_DOSSIER = pattern({ HEAD: 'YYNN', ACTING_HEAD: 'YYNN', DEPUTY: 'NNNN', SPECIALIST: 'NNNN', CLERK: 'NNNN', APPRAISER: 'NNNN' }, '--NN');
const ONLY = (names: ActorName[], dims: Dims) => {
  const [yes, no] = dims === 'dossier' ? ['YYYY', 'NNNN'] : dims === 'agency' ? ['YY', 'NN'] : ['Y', 'N'];
  return pattern(each(names, yes), no);
};
/** Secret subjects: the lead head, and whoever holds a clearance ≥ Mật (heads, the Office's cleared staff, the Chairman). */
const SUBJECT_CLEARED = new Set<ActorName>(['HEAD', 'ACTING_HEAD', 'OFFICE_HEAD', 'OFFICE_CLEARED', 'UBND_LEADER']);

describe('authorization matrix: every route × role × own/other agency × normal/confidential', () => {
  let env: TestEnv;
  const clients = new Map<ActorName, ApiClient>();
  const fixtures = new Map<string, Fixture>();
  const delegations = new Map<string, string>();
  let definitionId = '';
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

  beforeAll(async () => {
    env = await createTestEnv();
    for (const [name, user] of Object.entries(ACTORS)) clients.set(name as ActorName, await env.as(user));
    const creators: Record<string, string> = { SCT: 'sct.chuyenvien', STC: 'stc.chuyenvien', STP: 'stp.chuyenvien2', SNV: 'snv.chuyenvien' };
    const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };
    const created: { agency: string; sec: Sec; id: string; subject: string }[] = [];
    for (const agency of LEAD_AGENCIES) {
      const drafter = await env.as(creators[agency]!);
      for (const sec of ['normal', 'conf'] as const) {
        const subject = sec === 'conf' ? SECRET_SUBJECT : `Kế hoạch năm 2026 của ${agency} (ma trận phân quyền)`;
        const input =
          sec === 'normal'
            ? validDossierInput({ subject, leadAgencyCode: agency, consultedAgencyCodes: [], documents: [submissionDocument({ symbol: `/TTr-${agency}` }), draftDecision()] })
            : validDossierInput({
                subject,
                leadAgencyCode: agency,
                secrecyLevel: 'MAT',
                consultedAgencyCodes: [],
                documents: [submissionDocument({ symbol: `/TTr-${agency}`, medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })],
              });
        const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', input);
        created.push({ agency, sec, id: dossier.id, subject });
      }
    }
    for (const c of created) {
      const drafter = await env.as(creators[c.agency]!);
      const task = await waitForTask(drafter, c.id, 'Task_DraftSubmission', 60_000);
      const docs = (await env.ds.query(`SELECT id FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC'`, [c.id])) as { id: string }[];
      fixtures.set(`${c.agency}:${c.sec}`, { dossierId: c.id, taskId: task.id, documentId: docs[0]!.id, subject: c.subject });
      // An opinion request still pending, for the waiver route (R-13: only the lead head, and only once overdue).
      await env.ds.query(`INSERT INTO opinion_request (dossier_id, agency_code, round, due_at) VALUES ($1, 'SXD', 1, now() + interval '5 days')`, [c.id]);
    }
    for (const agency of [...LEAD_AGENCIES, 'VPUBND', 'UBNDTINH']) {
      const lower = agency.toLowerCase();
      await env.ds.query(
        `INSERT INTO app_user (id, username, full_name, agency_code, position, role) VALUES ($1, $1, 'Người dùng ma trận', $2, 'Chuyên viên', 'SPECIALIST')`,
        [`${lower}.matran`, agency],
      );
      if (LEAD_AGENCIES.includes(agency as (typeof LEAD_AGENCIES)[number])) {
        const rows = (await env.ds.query(
          `INSERT INTO delegation (agency_code, grantor_user_id, grantee_user_id, valid_from, valid_to, reason)
           VALUES ($1, $2, $3, now() - interval '1 hour', now() + interval '1 day', 'Thủ trưởng đi công tác') RETURNING id`,
          [agency, `${lower}.giamdoc`, `${lower}.phogiamdoc`],
        )) as { id: string }[];
        delegations.set(agency, rows[0]!.id);
      }
    }
    const defs = await env.engine.listProcessDefinitions();
    definitionId = defs.find((d) => d.key === 'ho-so-trinh')!.id;
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Sends one request as the cell's user (its cookie and CSRF token); a FormData body goes as multipart. */
  async function raw(c: Cell, method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: (c.client as unknown as { cookie: string }).cookie, 'x-csrf-token': c.client.csrfToken };
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(env.baseUrl + path, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
  }

  /** Denied = 401, 403, a 404 NOT_FOUND (the object is hidden), or a refusal listed in `denyCodes`. */
  async function send(c: Cell, method: string, path: string, body?: unknown, denyCodes: string[] = []): Promise<Outcome & { json: unknown }> {
    const res = await raw(c, method, path, body);
    const json: unknown = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : (await res.arrayBuffer(), null);
    const code = (json as { error?: { code?: string } } | null)?.error?.code;
    const denied = res.status === 401 || res.status === 403 || (res.status === 404 && code === 'NOT_FOUND') || (!!code && denyCodes.includes(code));
    return { status: res.status, code, allowed: !denied, json };
  }
  const contains = (json: unknown, needle: string) => JSON.stringify(json ?? null).includes(needle);
  /** A list is "allowed" when the fixture object is in it. */
  async function listed(c: Cell, path: string, needle: string): Promise<Outcome> {
    const r = await send(c, 'GET', path);
    return { status: r.status, code: r.code, allowed: r.status === 200 && contains(r.json, needle), leak: c.sec === 'conf' && !SUBJECT_CLEARED.has(c.actor) && contains(r.json, SECRET_SUBJECT) };
  }
  const resetTask = (fx: Fixture) => env.engine.unclaim(fx.taskId).catch(() => {});
  const fresh = async (c: Cell) => new ApiClient(env.baseUrl).login(ACTORS[c.actor], DEMO_PASSWORD);
  const targetUser = (c: Cell) => `${c.agency.toLowerCase()}.matran`;
  const fx = (c: Cell) => c.fx!;
  /** One assigned task per assignee agency, registered by the Office on first use. */
  const assignedTasks = new Map<string, Promise<string>>();
  const assignedTaskOf = (agency: string): Promise<string> => {
    let id = assignedTasks.get(agency);
    if (!id) {
      id = clients
        .get('OFFICE_REVIEWER')!
        .post<{ id: string }>('/api/assigned-tasks', { sourceRef: `${assignedTasks.size + 1}/TB-UBND`, sourceDate: '2026-11-02', assignedBy: 'CHU_TICH', assigneeAgencyCode: agency, content: `Nhiệm vụ ma trận của ${agency}`, workingDays: 20 })
        .then((t) => t.id);
      assignedTasks.set(agency, id);
    }
    return id;
  };

  const ROUTES: Record<string, Spec> = {
    'GET /health': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/health') },
    'GET /health/live': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/health/live') },
    'GET /health/ready': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/health/ready') },
    // Metrics are for Prometheus, never for a session: without METRICS_TOKEN the path does not exist here.
    'GET /metrics': { dims: 'none', expect: pattern({}, 'N'), call: async (c) => send(c, 'GET', '/metrics') },
    'POST /api/auth/login': { dims: 'none', expect: ALL1, call: async (c) => ({ status: 200, allowed: !!(await fresh(c)).user }) },
    'POST /api/auth/logout': { dims: 'none', expect: ALL1, call: async (c) => send({ ...c, client: await fresh(c) }, 'POST', '/api/auth/logout') },
    'GET /api/auth/me': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/auth/me') },
    // Everyone may change their own password: a weak new one reaches the policy (422), so the demo password stays.
    'POST /api/auth/password': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'aaaaaaaaaaa1' }) },
    'GET /api/dossiers': { dims: 'dossier', expect: VIEW, call: async (c) => listed(c, '/api/dossiers?pageSize=200', fx(c).dossierId) },
    'POST /api/dossiers': {
      dims: 'dossier',
      expect: pattern({ HEAD: 'YYNN', ACTING_HEAD: 'YYNN', DEPUTY: 'YYNN', SPECIALIST: 'YYNN', CLERK: 'NNNN', APPRAISER: 'NNNN' }, '--NN'),
      call: async (c) => {
        const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };
        const docs =
          c.sec === 'normal'
            ? [submissionDocument({ symbol: `/TTr-${c.agency}` }), draftDecision()]
            : [submissionDocument({ symbol: `/TTr-${c.agency}`, medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })];
        return send(c, 'POST', '/api/dossiers', validDossierInput({ leadAgencyCode: c.agency, consultedAgencyCodes: [], secrecyLevel: c.sec === 'conf' ? 'MAT' : 'NONE', documents: docs }));
      },
    },
    'GET /api/dossiers/:id': {
      dims: 'dossier',
      expect: VIEW,
      call: async (c) => {
        const r = await send(c, 'GET', `/api/dossiers/${fx(c).dossierId}`);
        return { ...r, leak: c.sec === 'conf' && !SUBJECT_CLEARED.has(c.actor) && contains(r.json, SECRET_SUBJECT) };
      },
    },
    'PATCH /api/dossiers/:id': {
      dims: 'dossier',
      expect: EDIT,
      call: async (c) => send(c, 'PATCH', `/api/dossiers/${fx(c).dossierId}`, { practicalBasis: 'Năm 2025 tỉnh tổ chức 12 hội chợ; kim ngạch xuất khẩu tăng 8%, cần kế hoạch cho năm 2026.' }),
    },
    'POST /api/dossiers/:id/start': { dims: 'dossier', expect: EDIT, call: async (c) => send(c, 'POST', `/api/dossiers/${fx(c).dossierId}/start`, {}) },
    'POST /api/dossiers/:id/documents': {
      dims: 'dossier',
      expect: EDIT,
      call: async (c) => send(c, 'POST', `/api/dossiers/${fx(c).dossierId}/documents`, { role: 'OTHER', docType: 'KHAC', subject: 'Tài liệu khác', medium: 'PAPER' }),
    },
    'POST /api/dossiers/:id/files': {
      dims: 'dossier',
      expect: EDIT,
      call: async (c) => {
        const form = new FormData();
        form.set('role', 'OTHER');
        form.set('docType', 'KHAC');
        form.set('medium', 'PAPER');
        return send(c, 'POST', `/api/dossiers/${fx(c).dossierId}/files`, form);
      },
    },
    'GET /api/documents/:id/content': {
      dims: 'dossier',
      expect: CONTENT,
      // A secret dossier has no file body: who may see it gets 404 NO_FILE_BODY (R-19), the others 404 NOT_FOUND.
      call: async (c) => send(c, 'GET', `/api/documents/${fx(c).documentId}/content`),
    },
    'POST /api/dossiers/:id/opinions/:agency/waive': {
      dims: 'dossier',
      expect: HEADS_ONLY_DOSSIER,
      call: async (c) => {
        const r = await send(c, 'POST', `/api/dossiers/${fx(c).dossierId}/opinions/SXD/waive`, { reason: 'Quá hạn, không có ý kiến.' });
        // R-13: a waiver refused because the user is not the lead head is a denial; "not overdue yet" is not.
        const notHead = contains(r.json, 'NOT_LEAD_HEAD');
        return { ...r, allowed: r.allowed && !notHead };
      },
    },
    'GET /api/tasks': { dims: 'dossier', expect: TASK, call: async (c) => listed(c, `/api/tasks?dossier=${fx(c).dossierId}`, fx(c).taskId) },
    'GET /api/tasks/:id': { dims: 'dossier', expect: TASK, call: async (c) => send(c, 'GET', `/api/tasks/${fx(c).taskId}`) },
    'GET /api/tasks/:id/form': { dims: 'dossier', expect: TASK, call: async (c) => send(c, 'GET', `/api/tasks/${fx(c).taskId}/form`) },
    'POST /api/tasks/:id/claim': {
      dims: 'dossier',
      expect: TASK,
      call: async (c) => {
        await resetTask(fx(c));
        const r = await send(c, 'POST', `/api/tasks/${fx(c).taskId}/claim`);
        await resetTask(fx(c));
        return r;
      },
    },
    'POST /api/tasks/:id/unclaim': {
      dims: 'dossier',
      expect: TASK,
      call: async (c) => {
        // Only whoever holds the task gives it back: the actor's own claim, else a colleague's.
        await resetTask(fx(c));
        const claimed = await send(c, 'POST', `/api/tasks/${fx(c).taskId}/claim`);
        if (claimed.status !== 204) await env.engine.claim(fx(c).taskId, `${c.agency.toLowerCase()}.chuyenvien2`);
        const r = await send(c, 'POST', `/api/tasks/${fx(c).taskId}/unclaim`);
        await resetTask(fx(c));
        return r;
      },
    },
    'POST /api/tasks/:id/complete': {
      dims: 'dossier',
      expect: TASK,
      call: async (c) => {
        // An invalid form: who may complete gets 422 and the task stays open.
        await resetTask(fx(c));
        await send(c, 'POST', `/api/tasks/${fx(c).taskId}/claim`);
        const r = await send(c, 'POST', `/api/tasks/${fx(c).taskId}/complete`, { note: 'x'.repeat(2001) });
        await resetTask(fx(c));
        return r;
      },
    },
    'GET /api/reports/agencies': {
      dims: 'agency',
      expect: pattern({ ...each(AGENCY_ROLES, 'NN'), HEAD: 'YN', ACTING_HEAD: 'YN', ...each(['OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED', 'OFFICE_MONITOR', 'UBND_LEADER'], 'YY') }, 'NN'),
      call: async (c) => send(c, 'GET', `/api/reports/agencies?agency=${c.agency}`),
    },
    'GET /api/processes': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/processes') },
    'GET /api/openapi.json': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/openapi.json') },
    'GET /api/docs': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/docs') },
    'GET /api/process-definitions': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/process-definitions') },
    'GET /api/process-definitions/:id/xml': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', `/api/process-definitions/${definitionId}/xml`) },
    'GET /api/process-definitions/:id/forms': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', `/api/process-definitions/${definitionId}/forms`) },
    'POST /api/process-definitions': {
      dims: 'none',
      expect: ONLY(['DESIGNER'], 'none'),
      // Not a diagram: the designer passes authorization and meets the content check (422), nothing is deployed.
      call: async (c) => send(c, 'POST', '/api/process-definitions', { xml: '<not-bpmn/>', fileName: 'thu.bpmn' }),
    },
    'GET /api/deployment-proposals': { dims: 'none', expect: ONLY(['DESIGNER', 'OFFICE_HEAD', 'ADMIN'], 'none'), call: async (c) => send(c, 'GET', '/api/deployment-proposals') },
    // No such proposal: who may read or decide gets 404 after the permission check, everyone else 403 before it.
    'GET /api/deployment-proposals/:id': {
      dims: 'none',
      expect: ONLY(['DESIGNER', 'OFFICE_HEAD', 'ADMIN'], 'none'),
      call: async (c) => {
        const r = await send(c, 'GET', `/api/deployment-proposals/${NO_PROPOSAL}`);
        return { ...r, allowed: r.status !== 401 && r.status !== 403 };
      },
    },
    'POST /api/deployment-proposals/:id/approve': {
      dims: 'none',
      expect: ONLY(['OFFICE_HEAD', 'ADMIN'], 'none'),
      call: async (c) => {
        const r = await send(c, 'POST', `/api/deployment-proposals/${NO_PROPOSAL}/approve`, {});
        return { ...r, allowed: r.status !== 401 && r.status !== 403 };
      },
    },
    'POST /api/deployment-proposals/:id/reject': {
      dims: 'none',
      expect: ONLY(['OFFICE_HEAD', 'ADMIN'], 'none'),
      call: async (c) => {
        const r = await send(c, 'POST', `/api/deployment-proposals/${NO_PROPOSAL}/reject`, { reason: 'Không phù hợp' });
        return { ...r, allowed: r.status !== 401 && r.status !== 403 };
      },
    },
    'GET /api/process-definitions/:id/statistics': {
      dims: 'none',
      expect: ONLY(['ADMIN', 'DESIGNER', 'OFFICE_MONITOR', 'OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED', 'UBND_LEADER'], 'none'),
      call: async (c) => send(c, 'GET', `/api/process-definitions/${definitionId}/statistics`),
    },
    'GET /api/incidents': { dims: 'none', expect: ONLY(['ADMIN', 'DESIGNER', 'OFFICE_MONITOR'], 'none'), call: async (c) => send(c, 'GET', '/api/incidents') },
    'POST /api/incidents/:id/retry': {
      dims: 'none',
      expect: ONLY(['ADMIN', 'DESIGNER', 'OFFICE_MONITOR'], 'none'),
      // No such incident: operators get 404 after the permission check, everyone else 403 before it.
      call: async (c) => {
        const r = await send(c, 'POST', '/api/incidents/no-such-incident/retry');
        return { ...r, allowed: r.status !== 401 && r.status !== 403 };
      },
    },
    'GET /api/dossier-steps': { dims: 'dossier', expect: VIEW, call: async (c) => listed(c, '/api/dossier-steps', fx(c).dossierId) },
    'GET /api/events': {
      dims: 'none',
      expect: ALL1,
      call: async (c) => {
        const ctl = new AbortController();
        const res = await fetch(`${env.baseUrl}/api/events`, { headers: { cookie: (c.client as unknown as { cookie: string }).cookie }, signal: ctl.signal });
        ctl.abort();
        return { status: res.status, allowed: res.status === 200 };
      },
    },
    'POST /api/incoming-documents': {
      dims: 'none',
      expect: ONLY(['CLERK', 'OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED'], 'none'),
      call: async (c) => send(c, 'POST', '/api/incoming-documents', {}),
    },
    'POST /api/incoming-documents/:id/ubnd-instruction': {
      dims: 'none',
      expect: ONLY(['OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED', 'UBND_LEADER'], 'none'),
      call: async (c) => {
        const r = await send(c, 'POST', '/api/incoming-documents/00000000-0000-4000-8000-000000000000/ubnd-instruction', {});
        return { ...r, allowed: r.status !== 401 && r.status !== 403 };
      },
    },
    'GET /api/incoming-documents': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/incoming-documents') },
    'POST /api/assigned-tasks': {
      dims: 'none',
      expect: ONLY(['OFFICE_HEAD', 'OFFICE_REVIEWER', 'OFFICE_CLEARED', 'OFFICE_MONITOR', 'UBND_LEADER'], 'none'),
      call: async (c) => send(c, 'POST', '/api/assigned-tasks', {}),
    },
    'GET /api/assigned-tasks': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/assigned-tasks') },
    // A task is seen by its assignee agency, the Office's staff and UBND; worked on by the agency's specialists and leaders.
    'GET /api/assigned-tasks/:id': {
      dims: 'agency',
      expect: pattern({ ...each(AGENCY_ROLES, 'YN'), ...each(OFFICE_AND_UBND, 'YY') }, 'NN'),
      call: async (c) => send(c, 'GET', `/api/assigned-tasks/${await assignedTaskOf(c.agency)}`),
    },
    'POST /api/assigned-tasks/:id/progress': {
      dims: 'agency',
      expect: pattern({ HEAD: 'YN', ACTING_HEAD: 'YN', DEPUTY: 'YN', SPECIALIST: 'YN', OFFICE_HEAD: 'YN' }, 'NN'),
      call: async (c) => send(c, 'POST', `/api/assigned-tasks/${await assignedTaskOf(c.agency)}/progress`, { content: 'Đã xây dựng dự thảo, đang lấy ý kiến.', percent: 40 }),
    },
    'POST /api/assigned-tasks/:id/dossiers': {
      dims: 'agency',
      expect: pattern({ HEAD: 'YN', ACTING_HEAD: 'YN', DEPUTY: 'YN', SPECIALIST: 'YN', OFFICE_HEAD: 'YN' }, 'NN'),
      // No such dossier: the allowed get 422 UNKNOWN_DOSSIER after the permission check.
      call: async (c) => send(c, 'POST', `/api/assigned-tasks/${await assignedTaskOf(c.agency)}/dossiers`, { dossierId: 'HS-2026-999999' }),
    },
    'POST /api/assigned-tasks/:id/complete': {
      dims: 'agency',
      expect: pattern({ HEAD: 'YN', ACTING_HEAD: 'YN', DEPUTY: 'YN', OFFICE_HEAD: 'YN' }, 'NN'),
      // The first allowed call completes the task; the next ones are refused as already completed (409), not forbidden.
      call: async (c) => send(c, 'POST', `/api/assigned-tasks/${await assignedTaskOf(c.agency)}/complete`, { report: 'Đã hoàn thành, báo cáo kết quả kèm theo.' }),
    },
    'GET /api/admin/agencies': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/admin/agencies') },
    'POST /api/admin/agencies': {
      dims: 'none',
      expect: ONLY(['ADMIN'], 'none'),
      call: async (c) => send(c, 'POST', '/api/admin/agencies', { code: `MT${unique()}`, symbolAbbr: 'MT', name: 'Cơ quan thử ma trận', type: 'OTHER' }),
    },
    'PATCH /api/admin/agencies/:code': {
      dims: 'agency',
      expect: ONLY(['ADMIN'], 'agency'),
      call: async (c) => {
        const rows = (await env.ds.query('SELECT name FROM agency WHERE code = $1', [c.agency])) as { name: string }[];
        return send(c, 'PATCH', `/api/admin/agencies/${c.agency}`, { name: rows[0]!.name });
      },
    },
    'GET /api/admin/reference-data': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/admin/reference-data') },
    'POST /api/admin/matter-categories': {
      dims: 'none',
      expect: ONLY(['ADMIN'], 'none'),
      call: async (c) => send(c, 'POST', '/api/admin/matter-categories', { code: `ma-tran/${unique().toLowerCase()}`, nameVi: 'Lĩnh vực thử ma trận', competentAuthority: 'UBND_TINH' }),
    },
    'PATCH /api/admin/matter-categories/:code': { dims: 'none', expect: ONLY(['ADMIN'], 'none'), call: async (c) => send(c, 'PATCH', '/api/admin/matter-categories/cong-thuong', { nameVi: 'Công thương' }) },
    'POST /api/admin/legal-basis-types': {
      dims: 'none',
      expect: ONLY(['ADMIN'], 'none'),
      call: async (c) => send(c, 'POST', '/api/admin/legal-basis-types', { code: `MT_${unique()}`, nameVi: 'Loại thử ma trận', rank: 500 }),
    },
    'PATCH /api/admin/legal-basis-types/:code': { dims: 'none', expect: ONLY(['ADMIN'], 'none'), call: async (c) => send(c, 'PATCH', '/api/admin/legal-basis-types/LUAT', { nameVi: 'Luật' }) },
    'GET /api/admin/calendar': { dims: 'none', expect: ALL1, call: async (c) => send(c, 'GET', '/api/admin/calendar?year=2026') },
    // The allowed get 201 the first time, then 409 (the day exists), 404 or 204: never 403.
    'POST /api/admin/calendar': { dims: 'none', expect: ONLY(['ADMIN'], 'none'), call: async (c) => send(c, 'POST', '/api/admin/calendar', { date: '2030-06-03', kind: 'HOLIDAY', note: 'Thử ma trận' }) },
    'PATCH /api/admin/calendar/:date': { dims: 'none', expect: ONLY(['ADMIN'], 'none'), call: async (c) => send(c, 'PATCH', '/api/admin/calendar/2030-06-03', { note: 'Thử ma trận' }) },
    'DELETE /api/admin/calendar/:date': {
      dims: 'none',
      expect: ONLY(['ADMIN'], 'none'),
      // The day is put back first, so the allowed remove it (204) rather than find nothing (404).
      call: async (c) => {
        await env.ds.query("INSERT INTO calendar_day (day, kind) VALUES ('2030-06-04', 'HOLIDAY') ON CONFLICT (day) DO NOTHING");
        return send(c, 'DELETE', '/api/admin/calendar/2030-06-04');
      },
    },
    'GET /api/admin/users': {
      dims: 'agency',
      expect: pattern({ ADMIN: 'YY', HEAD: 'YN', ACTING_HEAD: 'YN', OFFICE_HEAD: 'YN' }, 'NN'),
      call: async (c) => send(c, 'GET', `/api/admin/users?agency=${c.agency}`),
    },
    'POST /api/admin/users': {
      dims: 'agency',
      expect: ONLY(['ADMIN'], 'agency'),
      call: async (c) =>
        send(c, 'POST', '/api/admin/users', { username: `mt.${unique().toLowerCase()}`, fullName: 'Người dùng thử', agencyCode: c.agency, position: 'Chuyên viên', role: 'SPECIALIST', password: 'Matran@2026x' }),
    },
    'PATCH /api/admin/users/:id': {
      dims: 'agency',
      expect: ONLY(['ADMIN'], 'agency'),
      call: async (c) => send(c, 'PATCH', `/api/admin/users/${targetUser(c)}`, { position: 'Chuyên viên' }),
    },
    'POST /api/admin/users/:id/password': {
      dims: 'agency',
      expect: ONLY(['ADMIN'], 'agency'),
      call: async (c) => send(c, 'POST', `/api/admin/users/${targetUser(c)}/password`, { password: 'Matran@2026x' }),
    },
    'GET /api/admin/delegations': {
      dims: 'agency',
      expect: pattern({ ADMIN: 'YY', HEAD: 'YN', ACTING_HEAD: 'YN', OFFICE_HEAD: 'YN', DEPUTY: 'YY' }, 'NN'),
      call: async (c) => send(c, 'GET', `/api/admin/delegations?agency=${c.agency}`),
    },
    'POST /api/admin/delegations': {
      dims: 'agency',
      // R-06: a head, to a deputy of their own agency; the Office's head has no deputy in the demo.
      expect: pattern({ HEAD: 'YN', ACTING_HEAD: 'YN' }, 'NN'),
      call: async (c) =>
        send(
          c,
          'POST',
          '/api/admin/delegations',
          { granteeUserId: `${c.agency.toLowerCase()}.phogiamdoc`, validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 86_400_000).toISOString(), reason: 'Thủ trưởng đi công tác' },
          ['ERR_DEPUTY_NOT_AUTHORIZED'],
        ),
    },
    'POST /api/admin/delegations/:id/revoke': {
      dims: 'agency',
      expect: pattern({ HEAD: 'YN', ACTING_HEAD: 'YN', ...each(OFFICE_AND_UBND, '-N'), ADMIN: '-N', DESIGNER: '-N' }, 'NN'),
      call: async (c) => {
        const id = delegations.get(c.agency);
        if (!id) throw new Error(`no delegation fixture for ${c.agency}`);
        return send(c, 'POST', `/api/admin/delegations/${id}/revoke`, {});
      },
    },
  };

  /** Every route of the real app, from its router stack. */
  function registeredRoutes(): string[] {
    type L = { route?: { path: unknown; methods: Record<string, boolean> }; handle: { stack?: L[] }; rawPath?: unknown };
    const app = createApp({ ...env.deps, policy: {} as never, events: { subscribe: () => () => {}, publish: () => {} } as never });
    const out = new Set<string>();
    const walk = (stack: L[], prefix: string) => {
      for (const l of stack) {
        if (l.route && typeof l.route.path === 'string') for (const m of Object.keys(l.route.methods)) out.add(`${m.toUpperCase()} ${prefix}${l.route.path}`);
        else if (l.handle.stack) walk(l.handle.stack, prefix + (typeof l.rawPath === 'string' && l.rawPath !== '/' ? l.rawPath : ''));
      }
    };
    walk((app as unknown as { router: { stack: L[] } }).router.stack, '');
    return [...out];
  }

  it('should cover every registered route and every role of the demo organisation', async () => {
    const missing = registeredRoutes().filter((r) => !(r in ROUTES));
    expect(missing, 'routes without a row in the authorization matrix').toEqual([]);
    const roles = (await env.ds.query('SELECT DISTINCT role FROM app_user')) as { role: string }[];
    const actorRoles = new Set<string>();
    for (const user of Object.values(ACTORS)) actorRoles.add(((await env.ds.query('SELECT role FROM app_user WHERE id = $1', [user])) as { role: string }[])[0]!.role);
    expect(roles.map((r) => r.role).filter((r) => !actorRoles.has(r))).toEqual([]);
    expect(USER_ROLES.filter((r) => !actorRoles.has(r))).toEqual([]);
  });

  it('should allow exactly the expected cells: 0 unexpected allows, 0 unexpected denies, no secret subject shown', async () => {
    const unexpectedAllows: string[] = [];
    const unexpectedDenies: string[] = [];
    const table: string[] = [];
    const agencyOf = new Map<ActorName, string>();
    for (const a of ACTOR_NAMES) agencyOf.set(a, clients.get(a)!.user!.agencyCode);
    const routes = registeredRoutes().filter((r) => r in ROUTES);
    for (const route of routes) {
      const spec = ROUTES[route]!;
      const row: string[] = [];
      for (const actor of ACTOR_NAMES) {
        const expected = spec.expect[actor];
        const cells: { own: boolean; sec: Sec }[] =
          spec.dims === 'dossier'
            ? [{ own: true, sec: 'normal' }, { own: true, sec: 'conf' }, { own: false, sec: 'normal' }, { own: false, sec: 'conf' }]
            : spec.dims === 'agency'
              ? [{ own: true, sec: 'normal' }, { own: false, sec: 'normal' }]
              : [{ own: true, sec: 'normal' }];
        expect(expected.length, `${route} ${actor}: ${cells.length} cells expected`).toBe(cells.length);
        let shown = '';
        for (const [i, cell] of cells.entries()) {
          const want = expected[i];
          const agency = cell.own ? agencyOf.get(actor)! : OTHER;
          const fx = spec.dims === 'dossier' ? (fixtures.get(`${agency}:${cell.sec}`) ?? null) : null;
          if (want === '-' || (spec.dims === 'dossier' && !fx)) {
            expect(want, `${route} ${actor} cell ${i}: no fixture, so it must be '-'`).toBe('-');
            shown += '·';
            continue;
          }
          const outcome = await spec.call({ actor, client: clients.get(actor)!, agency, own: cell.own, sec: cell.sec, fx });
          const where = `${route} as ${actor} (${ACTORS[actor]}) on ${cell.own ? 'own' : 'other'} ${cell.sec}: ${outcome.status} ${outcome.code ?? ''}`;
          if (outcome.leak) unexpectedAllows.push(`${where} shows the secret subject`);
          if (outcome.allowed && want === 'N') unexpectedAllows.push(where);
          if (!outcome.allowed && want === 'Y') unexpectedDenies.push(where);
          shown += outcome.allowed === (want === 'Y') && !outcome.leak ? (outcome.allowed ? 'Y' : 'n') : outcome.allowed ? '!' : '?';
        }
        row.push(shown.padEnd(4));
      }
      table.push(`${route.padEnd(52)} ${row.join(' ')}`);
    }
    const header = `${'route'.padEnd(52)} ${ACTOR_NAMES.map((a) => SHORT[a]).join(' ')}`;
    console.log(
      [
        'Authorization matrix (Y allowed, n denied, · not applicable, ! unexpected allow, ? unexpected deny)',
        'cells: own-normal own-secret other-normal other-secret | own other | one',
        `actors: ${ACTOR_NAMES.map((a) => `${SHORT[a]}=${ACTORS[a]} (${a})`).join(', ')}`,
        header,
        ...table,
        `unexpected allows: ${unexpectedAllows.length}, unexpected denies: ${unexpectedDenies.length}`,
      ].join('\n'),
    );
    expect(unexpectedAllows).toEqual([]);
    expect(unexpectedDenies).toEqual([]);
  });
});
