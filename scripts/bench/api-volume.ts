/**
 * The API at volume: a business database with many dossiers (with the documents, opinion
 * requests, opinions, submissions and audit rows they imply) and many open tasks in the engine;
 * then the task list, the dossier list with filters and one dossier's detail under concurrent
 * clients; then the plans of the slowest SQL statements those requests ran.
 */
import pg from 'pg';
import { DataSource, type Logger as OrmLogger } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions.js';
import { createDataSource } from '../../store/data-source.ts';
import { EngineClient } from '../../platform/engine/client.ts';
import { EngineReadModel } from '../../server/engine/read-model.ts';
import { FormKeys } from '../../server/engine/form-keys.ts';
import { PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import { toEngineVariables } from '../../platform/engine/variables.ts';
import { loadConfig } from '../../config/index.ts';
import { EventHub } from '../../server/events.ts';
import { memoryLogger } from '../../platform/log.ts';
import { listTasks } from '../../server/tasks/service.ts';
import { dossierDetail, listDossiers } from '../../server/dossiers/service.ts';
import type { SessionUser } from '../../server/auth.ts';
import { login } from './people.ts';
import type { ApiClient } from '../lib/api-client.ts';
import { percentile, pool } from './stats.ts';
import { startVariables } from './dossiers.ts';
import type { EngineRef } from './stack.ts';

export const AGENCIES = ['SCT', 'STC', 'SKHDT', 'STP', 'SNV', 'SXD', 'STNMT', 'SNNPTNT', 'SYT', 'SGDDT'];
const lead = (g: number) => AGENCIES[g % AGENCIES.length]!;
export const seededId = (g: number) => `HS-2024-${String(g).padStart(6, '0')}`;

/** Seeds `total` dossiers, the newest `live` of them waiting at Task_DraftSubmission in the engine. */
export async function seedVolume(databaseUrl: string, engineRef: EngineRef, total: number, live: number, log: (l: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const t0 = Date.now();
  try {
    const agencies = `ARRAY[${AGENCIES.map((a) => `'${a}'`).join(',')}]`;
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO dossier (id, subject, matter_category, decision_authority, lead_agency_code, accountable_user_id, created_by, consulted_agency_codes,
         legal_basis, practical_basis, proposal, options, due_at, status, overdue, round, created_at, updated_at, closed_at)
       SELECT 'HS-2024-' || lpad(g::text, 6, '0'),
         'Hồ sơ số ' || g || ' về ' || (ARRAY['kế hoạch xúc tiến thương mại','đề án đào tạo','quy hoạch vùng','dự án đầu tư công'])[1 + g % 4],
         'cong-thuong', 'UBND_TINH', a.lead, lower(a.lead) || '.giamdoc', lower(a.lead) || '.chuyenvien', ARRAY[a.c1, a.c2],
         '[{"type":"LUAT","numberSymbol":"77/2015/QH13"}]', 'Cơ sở thực tiễn của hồ sơ ' || g, 'Đề nghị UBND tỉnh phê duyệt.', '[{"id":"PA1","title":"Phương án 1"}]',
         t.created + interval '20 days',
         CASE WHEN g <= $2 THEN 'DRAFTING_SUBMISSION'
              ELSE (ARRAY['DECIDED_APPROVED','DECIDED_APPROVED','DECIDED_APPROVED','DECIDED_NOT_APPROVED','WITHDRAWN','ACCEPTED','SUBMITTED'])[1 + g % 7] END,
         g % 17 = 0, 1, t.created, t.created,
         CASE WHEN g > $2 AND g % 7 < 5 THEN t.created + interval '15 days' END
       FROM generate_series(1, $1::int) g,
         LATERAL (SELECT (${agencies})[1 + g % 10] AS lead, (${agencies})[1 + (g + 1) % 10] AS c1, (${agencies})[1 + (g + 2) % 10] AS c2) a,
         LATERAL (SELECT now() - g * interval '5 minutes' AS created) t`,
      [total, live],
    );
    // The tờ trình and the draft decision, then one signed opinion document per consulted agency.
    await client.query(
      `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, medium, file_name, content_type, size_bytes, created_by, created_at)
       SELECT d.id, r.role, r.doc_type, r.symbol, r.subject, d.lead_agency_code, 'ELECTRONIC', r.file_name, 'application/pdf', 24000, d.created_by, d.created_at
       FROM dossier d CROSS JOIN (VALUES ('SUBMISSION_DOC','TO_TRINH','/TTr-SCT','Tờ trình','to-trinh.pdf'), ('DRAFT_DECISION','QUYET_DINH','/QĐ-UBND','Dự thảo quyết định','du-thao.pdf'))
         AS r(role, doc_type, symbol, subject, file_name)
       WHERE d.id LIKE 'HS-2024-%'`,
    );
    await client.query(
      `INSERT INTO opinion_request (dossier_id, agency_code, round, sent_at, due_at, status)
       SELECT d.id, c.agency, 1, d.created_at + interval '1 hour', d.created_at + interval '7 days', 'RECEIVED'
       FROM dossier d CROSS JOIN LATERAL unnest(d.consulted_agency_codes) AS c(agency) WHERE d.id LIKE 'HS-2024-%'`,
    );
    await client.query(
      `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, medium, file_name, content_type, size_bytes, created_by, created_at)
       SELECT r.dossier_id, 'OPINION_DOC', 'CONG_VAN', '/' || r.agency_code || '-VP', 'Góp ý dự thảo', r.agency_code, 'ELECTRONIC', 'y-kien.pdf', 'application/pdf', 9000,
         lower(r.agency_code) || '.chuyenvien', r.sent_at + interval '2 days'
       FROM opinion_request r WHERE r.dossier_id LIKE 'HS-2024-%'`,
    );
    await client.query(
      `INSERT INTO opinion (request_id, dossier_id, agency_code, round, position, content, doc_id, signed_by_user_id, signer_role, received_at, task_id)
       SELECT r.id, r.dossier_id, r.agency_code, 1, 'AGREE', r.agency_code || ' thống nhất với dự thảo.', doc.id, lower(r.agency_code) || '.chuyenvien', 'SPECIALIST',
         r.sent_at + interval '2 days', 'seed-' || r.id
       FROM opinion_request r JOIN document doc ON doc.dossier_id = r.dossier_id AND doc.role = 'OPINION_DOC' AND doc.issuer_agency_code = r.agency_code
       WHERE r.dossier_id LIKE 'HS-2024-%'`,
    );
    await client.query(
      `INSERT INTO submission (dossier_id, round, idempotency_key, submitted_at, channel, intake_status, leader_decision)
       SELECT id, 1, id || ':1', created_at + interval '10 days', 'ELECTRONIC', CASE WHEN status = 'SUBMITTED' THEN 'RECEIVED' ELSE 'ACCEPTED' END,
         CASE status WHEN 'DECIDED_APPROVED' THEN 'APPROVED' WHEN 'DECIDED_NOT_APPROVED' THEN 'NOT_APPROVED' END
       FROM dossier WHERE id LIKE 'HS-2024-%' AND status IN ('DECIDED_APPROVED','DECIDED_NOT_APPROVED','ACCEPTED','SUBMITTED')`,
    );
    // The audit trail each dossier's steps imply: the first seven for every dossier, the rest as far as it went.
    await client.query(
      `INSERT INTO audit_event (at, actor_user_id, actor_role, on_behalf_of, dossier_id, action, to_status, details, idempotency_key)
       SELECT d.created_at + s.n * interval '1 hour', CASE WHEN s.sys THEN NULL ELSE d.created_by END, CASE WHEN s.sys THEN 'SYSTEM' ELSE 'SPECIALIST' END,
         d.accountable_user_id, d.id, s.action, s.to_status, '{}', 'seed:' || d.id || ':' || s.n
       FROM dossier d CROSS JOIN (VALUES
         (1,'CREATED','DRAFT',false), (2,'STARTED','VALIDATING',false), (3,'VALIDATED_INTAKE','CONSULTING',true), (4,'OPINIONS_REQUESTED','CONSULTING',true),
         (5,'OPINION_RECEIVED',NULL,false), (6,'OPINION_RECEIVED',NULL,false), (7,'OPINIONS_CONSOLIDATED','DRAFTING_SUBMISSION',true),
         (8,'SUBMISSION_DRAFTED','VALIDATING',false), (9,'VALIDATED_PRE_SIGN','AWAITING_SIGNATURE',true), (10,'SIGNATURE_SUBMITTED',NULL,false),
         (11,'SIGNATURE_VERIFIED','FORWARDING',true), (12,'FORWARDED','SUBMITTED',true), (13,'ACCEPTED_BY_OFFICE','ACCEPTED',false), (14,'LEADER_DECIDED','DECIDED_APPROVED',false))
         AS s(n, action, to_status, sys)
       WHERE d.id LIKE 'HS-2024-%' AND (s.n <= 7 OR d.status NOT IN ('DRAFTING_SUBMISSION','WITHDRAWN'))`,
    );
    await client.query('COMMIT');
    // What autovacuum does after such a load (on servers where it runs; this machine's has it off):
    // statistics for the planner, and the visibility map that lets capped counts read the indexes alone.
    await client.query('VACUUM (ANALYZE)');
    const counts = await client.query(
      `SELECT (SELECT count(*) FROM dossier) AS dossiers, (SELECT count(*) FROM document) AS documents, (SELECT count(*) FROM opinion) AS opinions,
         (SELECT count(*) FROM audit_event) AS audit`,
    );
    log(`  seeded ${JSON.stringify(counts.rows[0])} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }

  // The open tasks: instances started right at Task_DraftSubmission with the variables the diagram needs.
  const engine = new EngineClient({ baseUrl: engineRef.restUrl, user: engineRef.user, password: engineRef.password, timeoutMs: 60_000 });
  const t1 = Date.now();
  const pairs: [string, string][] = [];
  await pool(Array.from({ length: live }, (_, i) => i + 1), 8, async (g) => {
    const id = seededId(g);
    const now = new Date();
    const r = await engine.request<{ id: string }>('POST', `/process-definition/key/${PROCESS_KEY}/start`, {
      businessKey: id,
      variables: toEngineVariables(startVariables(id, now, lead(g))),
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'Task_DraftSubmission' }],
      skipCustomListeners: true,
    });
    pairs.push([id, r.id]);
  });
  const c2 = new pg.Client({ connectionString: databaseUrl });
  await c2.connect();
  try {
    for (let i = 0; i < pairs.length; i += 1000) {
      const chunk = pairs.slice(i, i + 1000);
      await c2.query(
        `UPDATE dossier d SET process_instance_id = v.pid FROM unnest($1::text[], $2::text[]) AS v(id, pid) WHERE d.id = v.id`,
        [chunk.map((p) => p[0]), chunk.map((p) => p[1])],
      );
    }
    await c2.query('VACUUM (ANALYZE) dossier, dossier_party');
  } finally {
    await c2.end();
  }
  // The same for the engine's tables (without statistics, plans assume empty tables).
  const c3 = new pg.Client({ connectionString: engineRef.databaseUrl });
  await c3.connect();
  try {
    await c3.query('VACUUM (ANALYZE)');
  } finally {
    await c3.end();
  }
  log(`  ${live} open tasks started in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}

export type EndpointResult = { name: string; requests: number; errors: number; p50: number; p95: number; max: number };

type Request = (c: ApiClient, i: number) => Promise<unknown>;

async function load(name: string, clients: ApiClient[], perClient: number, request: Request): Promise<EndpointResult> {
  const latencies: number[] = [];
  let errors = 0;
  // One warm-up request per client, not counted.
  await Promise.all(clients.map((c, i) => request(c, i).catch(() => {})));
  await Promise.all(
    clients.map(async (c, ci) => {
      for (let k = 0; k < perClient; k++) {
        const t0 = performance.now();
        try {
          await request(c, ci * perClient + k);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { name, requests: latencies.length + errors, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) };
}

/** 16 clients (or `concurrency`), each a person of a different agency, on the three endpoints. */
export async function loadEndpoints(baseUrl: string, live: number, concurrency: number, perClient: number): Promise<EndpointResult[]> {
  // Kept-alive node:http clients (scripts/lib/api-client.ts): the load generator shares the two cores with what it measures.
  const signIn = (user: string) => login(baseUrl, user);
  const specialists = await Promise.all(Array.from({ length: concurrency }, (_, i) => signIn(`${AGENCIES[i % AGENCIES.length]!.toLowerCase()}.chuyenvien`)));
  const officeUsers = ['vp.chuyenvien', 'vp.theodoi', 'ubnd.chutich'];
  const mixed = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => signIn(i % 2 === 0 ? officeUsers[(i / 2) % 3]! : `${AGENCIES[i % AGENCIES.length]!.toLowerCase()}.chuyenvien`)),
  );
  const filters = [
    (i: number) => `status=DRAFTING_SUBMISSION&page=${1 + (i % 5)}&pageSize=20`,
    (i: number) => `agency=${AGENCIES[i % AGENCIES.length]}&status=DECIDED_APPROVED&pageSize=20`,
    () => `overdue=true&pageSize=20`,
    (i: number) => `q=${encodeURIComponent(`HS-2024-00${100 + (i % 800)}`)}&pageSize=20`,
    (i: number) => `page=${1 + (i % 20)}&pageSize=20`,
  ];
  const results: EndpointResult[] = [];
  results.push(await load('task list', specialists, perClient, (c) => c.get('/api/tasks?pageSize=20')));
  results.push(await load('dossier list (filters)', mixed, perClient, (c, i) => c.get(`/api/dossiers?${filters[i % filters.length]!(i)}`)));
  results.push(
    await load('dossier detail', specialists, perClient, (c, i) => {
      // A live dossier of the client's own agency: g ≡ agency index (mod 10).
      const agencyIndex = AGENCIES.indexOf(c.user!.agencyCode);
      const slots = Math.max(1, Math.floor(live / AGENCIES.length));
      const g = ((i * 7919) % slots) * AGENCIES.length + agencyIndex || AGENCIES.length;
      return c.get(`/api/dossiers/${seededId(g)}`);
    }),
  );
  for (const c of [...specialists, ...mixed]) c.close();
  return results;
}

type Captured = { sql: string; params: unknown[]; ms: number; db: 'business' | 'engine' };

class CaptureLogger implements OrmLogger {
  readonly queries: Captured[] = [];
  logQuery(): void {}
  logQueryError(): void {}
  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    this.queries.push({ sql: query, params: parameters ?? [], ms: time, db: 'business' });
  }
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export type SlowQuery = { sql: string; db: 'business' | 'engine'; calls: number; meanMs: number; maxMs: number; plan: string };

/**
 * Runs the three requests' service code in this process with every statement timed, and returns
 * the plans (EXPLAIN ANALYZE, BUFFERS) of the slowest three distinct statements.
 */
export async function slowestQueryPlans(databaseUrl: string, engineRef: EngineRef, live: number, rounds: number): Promise<SlowQuery[]> {
  const capture = new CaptureLogger();
  const base = createDataSource(databaseUrl, { poolSize: 4 }).options as PostgresConnectionOptions;
  const ds = new DataSource({ ...base, logging: true, logger: capture, maxQueryExecutionTime: 1e-9 });
  await ds.initialize();
  const engine = new EngineClient({ baseUrl: engineRef.restUrl, user: engineRef.user, password: engineRef.password });
  const engineDb = new EngineReadModel(engineRef.databaseUrl, {
    poolSize: 4,
    onQuery: (sql, params, ms) => capture.queries.push({ sql, params, ms, db: 'engine' }),
  });
  // Warnings only: a line per request of the load would pile up in this process's memory.
  const deps = { config: loadConfig({ NODE_ENV: 'test' }), policy: DEFAULT_POLICY, ds, engine, engineDb, formKeys: new FormKeys(engine), log: memoryLogger('warn'), events: new EventHub() };
  const users = (await ds.query(
    `SELECT id, username, full_name AS "fullName", agency_code AS "agencyCode", position, role, clearance FROM app_user WHERE id = ANY($1)`,
    [[...AGENCIES.map((a) => `${a.toLowerCase()}.chuyenvien`), 'vp.chuyenvien']],
  )) as SessionUser[];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const u of users) {
        await listTasks(deps, u, { scope: 'all', page: 1, pageSize: 20 });
        await listDossiers(deps, u, { status: 'DECIDED_APPROVED', page: 1 + (r % 5), pageSize: 20 });
        await listDossiers(deps, u, { overdue: 'true', page: 1, pageSize: 20 });
        await listDossiers(deps, u, { q: `HS-2024-00${100 + r}`, page: 1, pageSize: 20 });
        const ai = AGENCIES.indexOf(u.agencyCode);
        if (ai >= 0) {
          const slots = Math.max(1, Math.floor(live / AGENCIES.length));
          await dossierDetail(deps, u, seededId(((r * 31) % slots) * AGENCIES.length + ai || AGENCIES.length));
        }
      }
    }
  } finally {
    await ds.destroy();
    await engineDb.close();
  }
  const bySql = new Map<string, Captured[]>();
  for (const q of capture.queries) {
    const key = q.sql.replace(/\s+/g, ' ').trim();
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|SELECT version\(\)|SELECT \* FROM current_schema)/i.test(key)) continue;
    bySql.set(key, [...(bySql.get(key) ?? []), q]);
  }
  const ranked = [...bySql.entries()]
    .map(([sql, qs]) => ({ sql, calls: qs.length, meanMs: qs.reduce((s, q) => s + q.ms, 0) / qs.length, maxMs: Math.max(...qs.map((q) => q.ms)), sample: qs.reduce((a, b) => (b.ms > a.ms ? b : a)) }))
    .sort((a, b) => b.meanMs - a.meanMs)
    .slice(0, 3);
  const clients = { business: new pg.Client({ connectionString: databaseUrl }), engine: new pg.Client({ connectionString: engineRef.databaseUrl }) };
  await Promise.all(Object.values(clients).map((c) => c.connect()));
  try {
    const out: SlowQuery[] = [];
    for (const q of ranked) {
      const plan = await clients[q.sample.db].query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sample.sql}`, q.sample.params as unknown[]);
      out.push({ sql: q.sql, db: q.sample.db, calls: q.calls, meanMs: q.meanMs, maxMs: q.maxMs, plan: plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n') });
    }
    return out;
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.end()));
  }
}
