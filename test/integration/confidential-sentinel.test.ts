/**
 * A secret stays secret on every route: a secret (Mật) dossier whose every text holds a sentinel
 * string goes through the steps that write texts (opinions, waiver, choice, appraisal, drafting,
 * paper delivery, the Office's return, an added document); meanwhile and at three points every
 * route of the app is called as every user without clearance, and every answer and every live
 * event they receive is searched for the sentinels. The routes are read from the express app
 * itself: a route this file does not know fails it, so a new route is walked before it ships.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../scripts/lib/api-client.ts';
import { createApp } from '../../server/app.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument } from '../support/dossiers.ts';
import { doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { instanceOf, openTasks, processVariables } from '../support/engine.ts';

const tag = randomBytes(3).toString('hex');
const FIELDS = [
  'subject', 'legalNo', 'legalIssuer', 'legalTitle', 'optA', 'optATitle', 'optB', 'optBTitle', 'urgentReason', 'externalRef',
  'subDocSubject', 'kinhGui', 'noiNhan', 'draftSubject', 'otherSymbol', 'otherSubject', 'fileName', 'stcDocSymbol', 'stcDocSubject',
  'skhdtDocSymbol', 'waiverReason', 'reportSymbol', 'reportSubject', 'receiptSubject',
  'regNo', 'paperRef', 'paperNote', 'addedSymbol', 'addedSubject',
] as const;
// R-19: the opinions' text, the choice's rationale, the appraisal's reasons, the notes on the matter and a summary in words are
// refused on a secret dossier (test/integration/r19-metadata-only.test.ts), so the steps below record their metadata only.
/** One sentinel per text field: `SNTL-<field>-<tag>`. */
const S = Object.fromEntries(FIELDS.map((f) => [f, `SNTL-${f}-${tag}`])) as Record<(typeof FIELDS)[number], string>;
const SENTINEL = /SNTL-[A-Za-z]+-[0-9a-f]{6}/g;

/** Users who may see the dossier (or reach a route) but are not entitled to its content (domain/access.ts). */
const UNCLEARED = [
  'sct.chuyenvien', 'sct.phogiamdoc', 'sct.vanthu',
  'stc.chuyenvien', 'stc.phogiamdoc', 'stc.vanthu', 'skhdt.chuyenvien', 'snv.chuyenvien', 'stp.chuyenvien', 'stp.phogiamdoc',
  'vp.chuyenvien', 'vp.theodoi', 'sxd.chuyenvien', 'admin', 'thietke',
];

type Seen = { user: string; what: string; text: string };

/** An API client that keeps every answer it receives, refusals included. */
class RecordingClient extends ApiClient {
  constructor(baseUrl: string, private readonly username: string, private readonly seen: Seen[]) {
    super(baseUrl);
  }
  override async request<T = unknown>(method: string, path: string, body?: unknown, opts: { csrf?: boolean; raw?: boolean } = {}): Promise<T> {
    const what = `${method} ${path}`;
    try {
      const answer = await super.request<T>(method, path, body, opts);
      this.seen.push({ user: this.username, what, text: typeof answer === 'string' ? answer : (JSON.stringify(answer) ?? '') });
      return answer;
    } catch (err) {
      if (err instanceof ApiError) this.seen.push({ user: this.username, what, text: JSON.stringify(err.body) ?? '' });
      throw err;
    }
  }
}

type Ids = { dossierId: string; documentIds: string[]; taskIds: string[]; definitionId: string };
type Probe = (ids: Ids) => string[];

/**
 * Every GET route of the app, with the addresses that walk it; those whose answer follows the
 * dossier's step (`step`) are walked at every point, the others once at the end.
 */
const GET_ROUTES: Record<string, { urls: Probe; step?: true } | 'stream'> = {
  '/health': { urls: () => ['/health'] },
  '/health/live': { urls: () => ['/health/live'] },
  '/health/ready': { urls: () => ['/health/ready'] },
  '/metrics': { urls: () => ['/metrics'] },
  [String(/^\/(?!api\/|assets\/).*/)]: { urls: (c) => ['/', `/dossiers/${c.dossierId}`] },
  '/api/auth/me': { urls: () => ['/api/auth/me'] },
  '/api/dossiers': { step: true, urls: (c) => ['/api/dossiers', `/api/dossiers?q=${c.dossierId}`, `/api/dossiers?q=${encodeURIComponent(S.subject)}`, '/api/dossiers?agency=SCT&pageSize=200'] },
  '/api/dossiers/:id': { step: true, urls: (c) => [`/api/dossiers/${c.dossierId}`] },
  '/api/documents/:id/content': { step: true, urls: (c) => c.documentIds.map((id) => `/api/documents/${id}/content`) },
  '/api/tasks': { step: true, urls: (c) => ['/api/tasks?counts=true', `/api/tasks?dossier=${c.dossierId}`, '/api/tasks?agency=SCT'] },
  '/api/tasks/:id': { step: true, urls: (c) => c.taskIds.map((id) => `/api/tasks/${id}`) },
  '/api/tasks/:id/form': { step: true, urls: (c) => c.taskIds.map((id) => `/api/tasks/${id}/form`) },
  '/api/reports/agencies': { urls: () => ['/api/reports/agencies', '/api/reports/agencies?format=csv', '/api/reports/agencies?agency=SCT'] },
  '/api/processes': { urls: () => ['/api/processes'] },
  '/api/process-definitions': { urls: () => ['/api/process-definitions'] },
  '/api/process-definitions/:id/xml': { urls: (c) => [`/api/process-definitions/${c.definitionId}/xml`] },
  '/api/process-definitions/:id/forms': { urls: (c) => [`/api/process-definitions/${c.definitionId}/forms`] },
  '/api/process-definitions/:id/statistics': { urls: (c) => [`/api/process-definitions/${c.definitionId}/statistics`] },
  '/api/incidents': { step: true, urls: () => ['/api/incidents'] },
  '/api/dossier-steps': { step: true, urls: () => ['/api/dossier-steps'] },
  '/api/incoming-documents': { urls: () => ['/api/incoming-documents'] },
  '/api/assigned-tasks': { urls: () => ['/api/assigned-tasks'] },
  '/api/assigned-tasks/:id': { urls: () => ['/api/assigned-tasks/00000000-0000-4000-8000-000000000000'] },
  '/api/admin/agencies': { urls: () => ['/api/admin/agencies'] },
  '/api/admin/users': { urls: () => ['/api/admin/users'] },
  '/api/admin/delegations': { urls: () => ['/api/admin/delegations'] },
  '/api/admin/reference-data': { urls: () => ['/api/admin/reference-data'] },
  '/api/admin/calendar': { urls: () => ['/api/admin/calendar?year=2026'] },
  '/api/openapi.json': { urls: () => ['/api/openapi.json'] },
  '/api/docs': { urls: () => ['/api/docs'] },
  '/api/deployment-proposals': { urls: () => ['/api/deployment-proposals'] },
  '/api/deployment-proposals/:id': { urls: () => ['/api/deployment-proposals/00000000-0000-4000-8000-000000000000'] },
  // Read by the listeners opened before the dossier exists (below).
  '/api/events': 'stream',
};

/** Every other route, with where this file sees its answer; a route that answers dossier data must be called here. */
const OTHER_ROUTES: Record<string, string> = {
  'POST /api/auth/login': 'every client signs in',
  'POST /api/auth/logout': '204, no body',
  'POST /api/auth/password': "the user's own password, no dossier",
  'POST /api/dossiers': 'the dossier is created by a specialist (its answer is checked when the creator is not cleared, see the first test)',
  'PATCH /api/dossiers/:id': 'called by every uncleared user in the last walk',
  'POST /api/dossiers/:id/start': 'called by every uncleared user in the last walk',
  'POST /api/dossiers/:id/documents': 'a document added by an uncleared specialist',
  'POST /api/dossiers/:id/files': 'same answer as /documents: the new document id',
  'POST /api/dossiers/:id/opinions/:agency/waive': '204, no body',
  'POST /api/tasks/:id/claim': '204, no body',
  'POST /api/tasks/:id/unclaim': '204, no body',
  'POST /api/tasks/:id/complete': 'uncleared consulted agencies, appraiser and clerk complete tasks',
  'POST /api/process-definitions': 'deployments carry no dossier',
  'POST /api/deployment-proposals/:id/approve': 'deployments carry no dossier',
  'POST /api/deployment-proposals/:id/reject': 'deployments carry no dossier',
  'POST /api/incidents/:id/retry': '204, no body',
  'POST /api/incoming-documents': 'incoming documents are not dossiers',
  'POST /api/incoming-documents/:id/ubnd-instruction': '204, no body',
  'POST /api/assigned-tasks': 'assigned tasks are not dossiers',
  'POST /api/assigned-tasks/:id/progress': 'the new progress report id',
  'POST /api/assigned-tasks/:id/dossiers': '204, no body',
  'POST /api/assigned-tasks/:id/complete': 'the task, naming the dossier that completed it by id only',
  'POST /api/admin/agencies': 'organisation only',
  'PATCH /api/admin/agencies/:code': 'organisation only',
  'POST /api/admin/users': 'organisation only',
  'PATCH /api/admin/users/:id': 'organisation only',
  'POST /api/admin/users/:id/password': 'organisation only',
  'POST /api/admin/delegations': 'organisation only',
  'POST /api/admin/delegations/:id/revoke': 'organisation only',
  'POST /api/admin/matter-categories': 'reference data only',
  'PATCH /api/admin/matter-categories/:code': 'reference data only',
  'POST /api/admin/legal-basis-types': 'reference data only',
  'PATCH /api/admin/legal-basis-types/:code': 'reference data only',
  'POST /api/admin/calendar': 'the working-day calendar only',
  'PATCH /api/admin/calendar/:date': 'the working-day calendar only',
  'DELETE /api/admin/calendar/:date': '204, no body',
};

type Layer = { route?: { path: string | RegExp | (string | RegExp)[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; slash?: boolean; rawPath?: unknown };

/** "METHOD path" of every route of an express app, nested routers included. */
function routesOf(app: { router: { stack: Layer[] } }): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')) {
          for (const p of paths) out.push(`${method.toUpperCase()} ${typeof p === 'string' ? prefix + p : String(p)}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath));
      }
    }
  };
  walk(app.router.stack, '');
  return [...new Set(out)];
}

const leaksIn = (text: string) => [...new Set(text.match(SENTINEL) ?? [])];

describe('confidential dossiers: no sentinel reaches a user without clearance, on any route', () => {
  let env: TestEnv;
  const seen: Seen[] = [];
  const streams = new Map<string, { text: string }>();
  const stop = new AbortController();
  const as = (username: string) => new RecordingClient(env.baseUrl, username, seen).login(username, DEMO_PASSWORD);

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    stop.abort();
    await env?.close();
  });

  /** Opens a live event stream for the user, kept open (and read) until the end of the file. */
  async function listen(client: ApiClient, username: string): Promise<void> {
    const received = { text: '' };
    streams.set(username, received);
    const res = await fetch(`${env.baseUrl}/api/events`, { headers: { cookie: client.sessionCookie }, signal: stop.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received.text += decoder.decode(value, { stream: true });
      }
    })().catch(() => {});
  }

  /** Calls the GET routes (those that follow the dossier's step, or all) as every uncleared user; their answers land in `seen`. */
  async function walk(clients: Map<string, RecordingClient>, ids: Ids, routes: 'step' | 'all'): Promise<number> {
    const urls = Object.values(GET_ROUTES).flatMap((r) => (r === 'stream' || (routes === 'step' && !r.step) ? [] : r.urls(ids)));
    // Each client's requests one after another (as a person's), the clients side by side.
    await Promise.all(
      [...clients.values()].map(async (client) => {
        for (const url of urls) {
          await client.get(url).catch((err: unknown) => {
            if (!(err instanceof ApiError)) throw err;
          });
        }
      }),
    );
    return urls.length * clients.size;
  }

  async function idsOf(dossierId: string): Promise<Ids> {
    const docs = (await env.ds.query('SELECT id FROM document WHERE dossier_id = $1 ORDER BY created_at', [dossierId])) as { id: string }[];
    const tasks = await openTasks(env, await instanceOf(env, dossierId));
    const definitions = await env.engine.listProcessDefinitions({ key: 'ho-so-trinh' });
    return { dossierId, documentIds: docs.map((d) => d.id), taskIds: tasks.map((t) => t.id), definitionId: definitions[0]!.id };
  }

  it('should know every route of the app, so that a new one is walked here before it ships', () => {
    // given the routes of the app as express holds them
    const routes = routesOf(createApp(env.deps) as unknown as { router: { stack: Layer[] } });

    // then each is walked or its answer classified above
    const unknown = routes.filter((r) => (r.startsWith('GET ') ? !(r.slice(4) in GET_ROUTES) : !(r in OTHER_ROUTES)));
    expect(unknown).toEqual([]);
    expect(routes).toContain('GET /api/dossiers/:id');
    expect(routes).toContain('POST /api/dossiers/:id/start');
  });

  it('should leak no sentinel of a secret dossier in any answer or live event to a user without clearance, from creation to its return by the Office', async () => {
    // given every uncleared user signed in, each listening to live events, and none of them cleared
    const clients = new Map<string, RecordingClient>();
    for (const username of UNCLEARED) {
      const client = await as(username);
      clients.set(username, client);
      expect((await client.get<{ user: { clearance: string } }>('/api/auth/me')).user.clearance).toBe('NONE');
      await listen(client, username);
    }
    // and a specialist of the lead agency cleared for Mật, who drafts the dossier, and the cleared head, clerk of the Office
    const admin = clients.get('admin')!;
    await admin.request('PATCH', '/api/admin/users/sct.chuyenvien2', { clearance: 'MAT' });
    const drafter = await as('sct.chuyenvien2');
    const head = await as('sct.giamdoc');
    const officeClerk = await as('vp.mat');

    // when the secret dossier is created with a sentinel in every text, consulting STC, SKHDT and SNV, appraised by STP
    const paper = { medium: 'PAPER' as const, fileName: undefined, contentType: undefined, contentBase64: undefined };
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', {
      subject: `Kế hoạch ${S.subject}`,
      matterCategory: 'cong-thuong',
      decisionAuthority: 'UBND_TINH',
      leadAgencyCode: 'SCT',
      requiresAppraisal: true,
      appraiserAgencyCode: 'STP',
      urgency: 'KHAN',
      urgentReason: S.urgentReason,
      secrecyLevel: 'MAT',
      legalBasis: [{ type: 'LUAT', numberSymbol: S.legalNo, issuedAt: '2015-06-19', issuer: S.legalIssuer, title: S.legalTitle }],
      // no practical basis, proposal or option description: a secret dossier holds metadata only (r19-metadata-only.test.ts).
      options: [
        { id: S.optA, title: S.optATitle },
        { id: S.optB, title: S.optBTitle },
      ],
      consultedAgencyCodes: ['STC', 'SKHDT', 'SNV'],
      externalRef: S.externalRef,
      documents: [
        submissionDocument({ ...paper, subject: S.subDocSubject, kinhGui: [S.kinhGui], noiNhan: [S.noiNhan] }),
        draftDecision({ ...paper, orgSign: false, initialed: true, subject: S.draftSubject }),
        { role: 'OTHER', docType: 'KHAC', symbol: S.otherSymbol, subject: S.otherSubject, medium: 'PAPER', fileName: `${S.fileName}.pdf` },
      ],
    });
    const id = dossier.id;

    // and SNV's deadline passes and the head waives its opinion, STC disagrees and SKHDT agrees, each with its paper opinion
    const snv = clients.get('snv.chuyenvien')!;
    await waitForTask(snv, id, 'Task_GiveOpinion');
    await env.ds.query(`UPDATE opinion_request SET due_at = now() - interval '1 minute' WHERE dossier_id = $1 AND agency_code = 'SNV'`, [id]);
    await head.post(`/api/dossiers/${id}/opinions/SNV/waive`, { reason: S.waiverReason });
    const opinionDoc = (agency: string, symbol: string, subject: string) => ({ role: 'OPINION_DOC', docType: 'CONG_VAN', symbol, subject, medium: 'PAPER' });
    await giveOpinion(env, id, 'STC', { position: 'DISAGREE', document: opinionDoc('STC', S.stcDocSymbol, S.stcDocSubject) });
    await giveOpinion(env, id, 'SKHDT', { position: 'AGREE', document: opinionDoc('SKHDT', S.skhdtDocSymbol, 'Góp ý') });

    // then, while the lead agency chooses between the options, no uncleared user reads any of it
    await waitForTask(drafter, id, 'Task_ChooseOption');
    const first = await walk(clients, await idsOf(id), 'step');

    // when the drafter chooses, Sở Tư pháp appraises, the drafter answers and finalises, the head signs and the clerk delivers on paper
    await doTask(drafter, id, 'Task_ChooseOption', { chosenOptionId: S.optA });
    await doTask(clients.get('stp.chuyenvien')!, id, 'Task_Appraise', {
      conclusion: 'ELIGIBLE_AFTER_REVISION',
      lawful: true,
      report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: S.reportSymbol, subject: S.reportSubject, medium: 'PAPER' },
    });
    await doTask(drafter, id, 'Task_RespondAppraisal', {
      document: { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', symbol: '/BC-SCT', subject: S.receiptSubject, medium: 'PAPER' },
    });
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await doTask(head, id, 'Task_Sign', { stamped: true });
    await doTask(clients.get('sct.vanthu')!, id, 'Task_SendPaper', { officeRegistrationNo: S.regNo, paperReference: S.paperRef, signatureChecked: true, stamped: true, note: S.paperNote });

    // then, while the Office checks it, no uncleared user reads any of it (the Office's reviewer sees the intake task)
    await waitForTask(clients.get('vp.chuyenvien')!, id, 'Task_OfficeCheck');
    const second = await walk(clients, await idsOf(id), 'step');

    // when the Office's confidential clerk returns it with a note, and an uncleared specialist adds a document while it is revised
    await doTask(officeClerk, id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_COMPONENT' });
    await waitForStatus(head, id, 'REVISION_REQUIRED');
    await waitForTask(clients.get('sct.chuyenvien')!, id, 'Task_Revise');
    await clients.get('sct.chuyenvien')!.post(`/api/dossiers/${id}/documents`, { role: 'OTHER', docType: 'KHAC', symbol: S.addedSymbol, subject: S.addedSubject, medium: 'PAPER' });

    // then no uncleared user reads any of it, on any route, nor through an update or a start
    const third = await walk(clients, await idsOf(id), 'all');
    for (const [, client] of clients) {
      await client.request('PATCH', `/api/dossiers/${id}`, {}).catch(() => {});
      await client.post(`/api/dossiers/${id}/start`).catch(() => {});
    }
    // and the cleared see every text the walk looked for: the answers searched did carry them
    const full = JSON.stringify(await head.get(`/api/dossiers/${id}`));
    const expectedVisible = FIELDS.filter((f) => !['kinhGui', 'noiNhan', 'fileName', 'paperNote'].includes(f));
    expect(expectedVisible.filter((f) => !full.includes(S[f]))).toEqual([]);
    // the drafter reads the return's reason in words, with no note
    const returned = await processVariables(env, await instanceOf(env, id));
    expect(String(returned.lastErrorMessage)).not.toMatch(/^[A-Z_]+$/);

    // and no uncleared answer or live event holds a sentinel
    const leaked = seen.filter((s) => UNCLEARED.includes(s.user)).flatMap((s) => leaksIn(s.text).map((l) => `${s.user} ${s.what}: ${l}`));
    expect(leaked).toEqual([]);
    await eventually(async () => streams.get('stc.chuyenvien')!.text.includes(id), 'live events of the dossier for a consulted agency');
    const streamed = [...streams].flatMap(([user, s]) => leaksIn(s.text).map((l) => `${user} /api/events: ${l}`));
    expect(streamed).toEqual([]);
    expect(first + second + third).toBeGreaterThan(UNCLEARED.length * 50);
  }, 900_000);
});
