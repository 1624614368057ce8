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
import { autovacuumSetting, maintainTable, tableActivity, type TableActivity } from '../../store/bench-data.ts';

export type AutovacuumOptions = { naptimeMs?: number; log?: (line: string) => void };

export type Autovacuum = {
  /** Whether it runs (false when the server has autovacuum on: the server does it). */
  active: boolean;
  /** Tables vacuumed and analyzed so far. */
  readonly counts: { vacuumed: number; analyzed: number; passes: number };
  stop(): Promise<void>;
};

type TableStats = TableActivity;

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
  const setting = await autovacuumSetting(urls[0]!);
  if (setting !== 'off') return { active: false, counts, stop: async () => {} };

  const clients = urls.map((u) => new pg.Client({ connectionString: u, application_name: 'bench-autovacuum' }));
  await Promise.all(clients.map((c) => c.connect()));
  let stopped = false;
  let wake: (() => void) | null = null;
  const pass = async (c: pg.Client) => {
    for (const t of await tableActivity(c)) {
      if (stopped) return;
      const work = autovacuumWork(t);
      await maintainTable(c, t.name, work);
      if (work.vacuum) counts.vacuumed++;
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
