/**
 * What PostgreSQL's autovacuum does, for servers that run without it (this machine's has
 * `autovacuum = off`). Without it the engine's tables never get statistics during a run, and the
 * planner guesses: the engine's lookup of an execution's variables (26 calls per dossier) took
 * the index on `task_id_ IS NULL` instead of the one on `execution_id_` and walked every running
 * variable, 1,700–8,500 buffers a call, growing with the backlog (auto_explain, whole dossiers).
 * Both the baselines and our system are measured with it, so neither is measured on a server
 * nobody would run in production.
 *
 * It follows autovacuum's own rules with PostgreSQL's default thresholds: a table is vacuumed once
 * its dead rows (or rows inserted since its last vacuum) pass the threshold, analyzed once its
 * changed rows do. Only the naptime is shorter (10 s, not 60 s), since a run lasts a minute.
 */
import pg from 'pg';

export type AutovacuumOptions = { naptimeMs?: number; log?: (line: string) => void };

export type Autovacuum = {
  /** Whether it runs (false when the server has autovacuum on: the server does it). */
  active: boolean;
  /** Tables vacuumed and analyzed so far. */
  readonly counts: { vacuumed: number; analyzed: number; passes: number };
  stop(): Promise<void>;
};

type TableStats = { name: string; reltuples: number; n_dead_tup: number; n_ins_since_vacuum: number; n_mod_since_analyze: number };

/** PostgreSQL's defaults: autovacuum_{vacuum,vacuum_insert,analyze}_{threshold,scale_factor}. */
export function autovacuumWork(t: TableStats): { vacuum: boolean; analyze: boolean } {
  const tuples = Math.max(0, t.reltuples);
  return {
    vacuum: t.n_dead_tup > 50 + 0.2 * tuples || t.n_ins_since_vacuum > 1000 + 0.2 * tuples,
    analyze: t.n_mod_since_analyze > 50 + 0.1 * tuples,
  };
}

/** Starts emulating autovacuum on the databases at `urls` when their server has it off. */
export async function startAutovacuum(urls: readonly string[], opts: AutovacuumOptions = {}): Promise<Autovacuum> {
  const naptime = opts.naptimeMs ?? 10_000;
  const counts = { vacuumed: 0, analyzed: 0, passes: 0 };
  const probe = new pg.Client({ connectionString: urls[0] });
  await probe.connect();
  const setting = (await probe.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum;
  await probe.end();
  if (setting !== 'off') return { active: false, counts, stop: async () => {} };

  const clients = urls.map((u) => new pg.Client({ connectionString: u, application_name: 'bench-autovacuum' }));
  await Promise.all(clients.map((c) => c.connect()));
  let stopped = false;
  let wake: (() => void) | null = null;
  const pass = async (c: pg.Client) => {
    const tables = await c.query<TableStats>(
      `SELECT format('%I.%I', s.schemaname, s.relname) AS name, c.reltuples::float8 AS reltuples,
              s.n_dead_tup::int AS n_dead_tup, s.n_ins_since_vacuum::int AS n_ins_since_vacuum, s.n_mod_since_analyze::int AS n_mod_since_analyze
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid`,
    );
    for (const t of tables.rows) {
      if (stopped) return;
      const work = autovacuumWork(t);
      if (work.vacuum) {
        await c.query(`VACUUM ${work.analyze ? '(ANALYZE) ' : ''}${t.name}`);
        counts.vacuumed++;
      } else if (work.analyze) {
        await c.query(`ANALYZE ${t.name}`);
      }
      if (work.analyze) counts.analyzed++;
    }
  };
  const loop = (async () => {
    while (!stopped) {
      for (const c of clients) {
        // A table dropped under it (a test's database going away) ends nothing but this pass.
        await pass(c).catch((err: Error) => opts.log?.(`autovacuum pass failed: ${err.message}`));
      }
      counts.passes++;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, naptime);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    active: true,
    counts,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    },
  };
}
