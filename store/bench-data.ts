/**
 * The benchmark's own data and measurements in PostgreSQL (`npm run bench`, scripts/bench/): the
 * history a province accumulates, generated in SQL (dossiers with the documents, opinion requests,
 * opinions, submissions and audit rows they imply), counts the drivers wait on, the plans of
 * statements the server ran, and the size of the engine's tables. Nothing here runs in production.
 */
import pg from 'pg';

export const BENCH_AGENCIES = ['SCT', 'STC', 'SKHDT', 'STP', 'SNV', 'SXD', 'STNMT', 'SNNPTNT', 'SYT', 'SGDDT'];

/** The id of the g-th generated dossier (six digits: up to 999,999). */
export const seededId = (g: number) => `HS-2024-${String(g).padStart(6, '0')}`;

/** Every tenth generated dossier is live: it waits at Task_DraftSubmission in the engine. */
export const isLive = (g: number) => g % 10 === 0;

/** The lead agency of the g-th dossier: by its tens, so live dossiers spread over every agency. */
export const leadOf = (g: number) => BENCH_AGENCIES[Math.floor(g / 10) % BENCH_AGENCIES.length]!;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export type SeededCounts = { dossiers: number; documents: number; opinions: number; audit: number };

/**
 * Generates dossiers `from + 1` … `to` in one transaction (the live ones in DRAFTING_SUBMISSION,
 * the others closed or further on), then vacuums and analyzes as autovacuum would after such a load.
 */
export async function seedDossierHistory(databaseUrl: string, from: number, to: number): Promise<SeededCounts> {
  const agencies = `ARRAY[${BENCH_AGENCIES.map((a) => pg.escapeLiteral(a)).join(',')}]`;
  const range = [seededId(from + 1), seededId(to)];
  const inRange = (col: string) => `${col} BETWEEN $1 AND $2`;
  return withClient(databaseUrl, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO dossier (id, subject, matter_category, decision_authority, lead_agency_code, accountable_user_id, created_by, consulted_agency_codes,
           legal_basis, practical_basis, proposal, options, due_at, status, overdue, round, created_at, updated_at, closed_at)
         SELECT 'HS-2024-' || lpad(g::text, 6, '0'),
           'Hồ sơ số ' || g || ' về ' || (ARRAY['kế hoạch xúc tiến thương mại','đề án đào tạo','quy hoạch vùng','dự án đầu tư công'])[1 + g % 4],
           'cong-thuong', 'UBND_TINH', a.lead, lower(a.lead) || '.giamdoc', lower(a.lead) || '.chuyenvien', ARRAY[a.c1, a.c2],
           '[{"type":"LUAT","numberSymbol":"77/2015/QH13"}]', 'Cơ sở thực tiễn của hồ sơ ' || g, 'Đề nghị UBND tỉnh phê duyệt.', '[{"id":"PA1","title":"Phương án 1"}]',
           t.created + interval '20 days',
           CASE WHEN g % 10 = 0 THEN 'DRAFTING_SUBMISSION'
                ELSE (ARRAY['DECIDED_APPROVED','DECIDED_APPROVED','DECIDED_APPROVED','DECIDED_NOT_APPROVED','WITHDRAWN','ACCEPTED','SUBMITTED'])[1 + g % 7] END,
           g % 17 = 0, 1, t.created, t.created,
           CASE WHEN g % 10 <> 0 AND g % 7 < 5 THEN t.created + interval '15 days' END
         FROM generate_series($1::int, $2::int) g,
           LATERAL (SELECT (${agencies})[1 + (g / 10) % 10] AS lead, (${agencies})[1 + (g / 10 + 1) % 10] AS c1, (${agencies})[1 + (g / 10 + 2) % 10] AS c2) a,
           LATERAL (SELECT now() - g * interval '5 minutes' AS created) t`,
        [from + 1, to],
      );
      // The tờ trình and the draft decision, then one signed opinion document per consulted agency.
      await client.query(
        `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, medium, file_name, content_type, size_bytes, created_by, created_at)
         SELECT d.id, r.role, r.doc_type, r.symbol, r.subject, d.lead_agency_code, 'ELECTRONIC', r.file_name, 'application/pdf', 24000, d.created_by, d.created_at
         FROM dossier d CROSS JOIN (VALUES ('SUBMISSION_DOC','TO_TRINH','/TTr-SCT','Tờ trình','to-trinh.pdf'), ('DRAFT_DECISION','QUYET_DINH','/QĐ-UBND','Dự thảo quyết định','du-thao.pdf'))
           AS r(role, doc_type, symbol, subject, file_name)
         WHERE ${inRange('d.id')}`,
        range,
      );
      await client.query(
        `INSERT INTO opinion_request (dossier_id, agency_code, round, sent_at, due_at, status)
         SELECT d.id, c.agency, 1, d.created_at + interval '1 hour', d.created_at + interval '7 days', 'RECEIVED'
         FROM dossier d CROSS JOIN LATERAL unnest(d.consulted_agency_codes) AS c(agency) WHERE ${inRange('d.id')}`,
        range,
      );
      await client.query(
        `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, medium, file_name, content_type, size_bytes, created_by, created_at)
         SELECT r.dossier_id, 'OPINION_DOC', 'CONG_VAN', '/' || r.agency_code || '-VP', 'Góp ý dự thảo', r.agency_code, 'ELECTRONIC', 'y-kien.pdf', 'application/pdf', 9000,
           lower(r.agency_code) || '.chuyenvien', r.sent_at + interval '2 days'
         FROM opinion_request r WHERE ${inRange('r.dossier_id')}`,
        range,
      );
      await client.query(
        `INSERT INTO opinion (request_id, dossier_id, agency_code, round, position, content, doc_id, signed_by_user_id, signer_role, received_at, task_id)
         SELECT r.id, r.dossier_id, r.agency_code, 1, 'AGREE', r.agency_code || ' thống nhất với dự thảo.', doc.id, lower(r.agency_code) || '.chuyenvien', 'SPECIALIST',
           r.sent_at + interval '2 days', 'seed-' || r.id
         FROM opinion_request r JOIN document doc ON doc.dossier_id = r.dossier_id AND doc.role = 'OPINION_DOC' AND doc.issuer_agency_code = r.agency_code
         WHERE ${inRange('r.dossier_id')}`,
        range,
      );
      await client.query(
        `INSERT INTO submission (dossier_id, round, idempotency_key, submitted_at, channel, intake_status, leader_decision)
         SELECT id, 1, id || ':1', created_at + interval '10 days', 'ELECTRONIC', CASE WHEN status = 'SUBMITTED' THEN 'RECEIVED' ELSE 'ACCEPTED' END,
           CASE status WHEN 'DECIDED_APPROVED' THEN 'APPROVED' WHEN 'DECIDED_NOT_APPROVED' THEN 'NOT_APPROVED' END
         FROM dossier WHERE ${inRange('id')} AND status IN ('DECIDED_APPROVED','DECIDED_NOT_APPROVED','ACCEPTED','SUBMITTED')`,
        range,
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
         WHERE ${inRange('d.id')} AND (s.n <= 7 OR d.status NOT IN ('DRAFTING_SUBMISSION','WITHDRAWN'))`,
        range,
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
    // What autovacuum does after such a load (on servers where it runs): statistics for the
    // planner, and the visibility map that lets capped counts read the indexes alone.
    await client.query('VACUUM (ANALYZE)');
    const counts = await client.query<SeededCounts>(
      `SELECT (SELECT count(*) FROM dossier)::int AS dossiers, (SELECT count(*) FROM document)::int AS documents,
         (SELECT count(*) FROM opinion)::int AS opinions, (SELECT count(*) FROM audit_event)::int AS audit`,
    );
    return counts.rows[0]!;
  });
}

/** Records the engine instance of generated dossiers (id → process instance id). */
export async function linkProcessInstances(databaseUrl: string, pairs: readonly (readonly [string, string])[]): Promise<void> {
  await withClient(databaseUrl, async (c) => {
    for (let i = 0; i < pairs.length; i += 1000) {
      const chunk = pairs.slice(i, i + 1000);
      await c.query(`UPDATE dossier d SET process_instance_id = v.pid FROM unnest($1::text[], $2::text[]) AS v(id, pid) WHERE d.id = v.id`, [
        chunk.map((p) => p[0]),
        chunk.map((p) => p[1]),
      ]);
    }
  });
}

/** VACUUM (ANALYZE) of the whole database or of the tables named (ours or the engine's). */
export async function vacuumAnalyze(databaseUrl: string, tables: readonly string[] = []): Promise<void> {
  await withClient(databaseUrl, (c) => c.query(`VACUUM (ANALYZE) ${tables.map((t) => pg.escapeIdentifier(t)).join(', ')}`).then(() => {}));
}

/** Counts of our dossiers per status straight from the business database (the API's list totals stop at a cap). */
export type DossierCounter = {
  count(status: string): Promise<number>;
  /** Started dossiers not (yet) in `status`: those the people still have work on (drafts wait for their drafter). */
  underway(status: string): Promise<number>;
  instanceIds(): Promise<string[]>;
  close(): Promise<void>;
};

export function dossierCounter(databaseUrl: string): DossierCounter {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 2000 });
  // The fault harness stops this database on purpose: a dropped idle connection is not an error here.
  db.on('error', () => {});
  return {
    async count(status) {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier WHERE status = $1', [status]);
      return r.rows[0]!.n;
    },
    async underway(status) {
      const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier WHERE status <> $1 AND status <> 'DRAFT'`, [status]);
      return r.rows[0]!.n;
    },
    async instanceIds() {
      const r = await db.query<{ id: string }>('SELECT process_instance_id AS id FROM dossier WHERE process_instance_id IS NOT NULL');
      return r.rows.map((x) => x.id);
    },
    close: () => db.end(),
  };
}

/** The process instances of every dossier (empty when the database is gone). */
export async function dossierInstanceIds(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (c) => {
    const r = await c.query<{ id: string }>('SELECT process_instance_id AS id FROM dossier WHERE process_instance_id IS NOT NULL');
    return r.rows.map((x) => x.id);
  }).catch(() => []);
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement with its parameters, as text. */
export async function explainAnalyze(databaseUrl: string, sql: string, params: readonly unknown[]): Promise<string> {
  return withClient(databaseUrl, async (c) => {
    const plan = await c.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [...params]);
    return (plan.rows ?? []).map((r) => r['QUERY PLAN']).join('\n');
  });
}

/** Bytes of the engine's history (ACT_HI_*), runtime (ACT_RU_*) and general (ACT_GE_*) tables, indexes and TOAST included. */
export async function engineTableBytes(engineDatabaseUrl: string): Promise<{ history: number; runtime: number; general: number; total: number }> {
  return withClient(engineDatabaseUrl, async (c) => {
    const r = await c.query<{ history: string; runtime: string; general: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'act\\_hi\\_%'), 0) AS history,
              coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'act\\_ru\\_%'), 0) AS runtime,
              coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'act\\_ge\\_%'), 0) AS general
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    const history = Number(r.rows[0]!.history);
    const runtime = Number(r.rows[0]!.runtime);
    const general = Number(r.rows[0]!.general);
    return { history, runtime, general, total: history + runtime + general };
  });
}

/** The server's `autovacuum` setting ('on' or 'off'). */
export async function autovacuumSetting(databaseUrl: string): Promise<string | undefined> {
  return withClient(databaseUrl, async (c) => (await c.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum);
}

/** What autovacuum decides on, per table of the client's database. */
export type TableActivity = { name: string; reltuples: number; n_dead_tup: number; n_ins_since_vacuum: number; n_mod_since_analyze: number };

export async function tableActivity(c: pg.Client): Promise<TableActivity[]> {
  const r = await c.query<TableActivity>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name, c.reltuples::float8 AS reltuples,
            s.n_dead_tup::int AS n_dead_tup, s.n_ins_since_vacuum::int AS n_ins_since_vacuum, s.n_mod_since_analyze::int AS n_mod_since_analyze
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid`,
  );
  return r.rows;
}

/** VACUUM (with ANALYZE when asked) or ANALYZE alone of one table, named as tableActivity() names it (already quoted). */
export async function maintainTable(c: pg.Client, quotedName: string, work: { vacuum: boolean; analyze: boolean }): Promise<void> {
  if (work.vacuum) await c.query(`VACUUM ${work.analyze ? '(ANALYZE) ' : ''}${quotedName}`);
  else if (work.analyze) await c.query(`ANALYZE ${quotedName}`);
}
