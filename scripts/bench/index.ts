/**
 * `npm run bench`: measures the system against the engine's own ceiling and prints a table of
 * figures, each with its goal and the baseline of the same run; writes the same as JSON.
 *   --smoke        tiny sizes, seconds (the test suite runs it so the benchmark never rots)
 *   --dossiers N   whole dossiers (default 500)
 *   --out FILE     JSON output (default artifacts/bench.json)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStack, ROOT, sleep, type EngineRef, type Stack } from './stack.ts';
import { figure, round, table, type Figure } from './stats.ts';
import { measurePickup, measureThroughput, ONE_TASK_KEY } from './worker-runtime.ts';
import { runApiDossiers, runRawDossiers } from './dossiers.ts';
import { loadEndpoints, seedVolume, slowestQueryPlans, type SlowQuery } from './api-volume.ts';
import { startAutovacuum, type Autovacuum } from './autovacuum.ts';

export type BenchOptions = {
  smoke: boolean;
  dossiers: number;
  out: string;
  engine?: EngineRef;
  pgServerUrl?: string;
  log?: (line: string) => void;
};

export type BenchReport = {
  at: string;
  smoke: boolean;
  machine: { cpus: number; node: string };
  figures: Figure[];
  slowQueries: SlowQuery[];
  sizes: Record<string, number>;
  /** Whether the bench did autovacuum's work (the server had it off), and how much. */
  autovacuum: { emulated: boolean; passes: number; vacuumed: number; analyzed: number };
};

export function parseArgs(argv: readonly string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    smoke,
    dossiers: Number(arg('--dossiers') ?? (smoke ? 6 : 500)),
    out: arg('--out') ?? path.join(ROOT, 'artifacts', smoke ? 'bench-smoke.json' : 'bench.json'),
  };
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.log(`[bench] ${l}`));
  const sizes = opts.smoke
    ? { runtimeTasks: 40, pickupSamples: 20, dossiers: opts.dossiers, volumeDossiers: 300, volumeTasks: 40, clients: 16, perClient: 2, planRounds: 1 }
    : { runtimeTasks: 2000, pickupSamples: 300, dossiers: opts.dossiers, volumeDossiers: 100_000, volumeTasks: 10_000, clients: 16, perClient: 40, planRounds: 3 };
  const figures: Figure[] = [];
  let slowQueries: SlowQuery[];
  const stack: Stack = await createStack({
    engine: opts.engine,
    pgServerUrl: opts.pgServerUrl,
    logDir: path.join(ROOT, 'artifacts', opts.smoke ? 'bench-smoke-logs' : 'bench-logs'),
    log,
  });
  const rawInstances: string[] = [];
  let autovacuum: Autovacuum | null = null;
  try {
    autovacuum = await startAutovacuum([stack.databaseUrl, stack.engine.databaseUrl], { log });
    if (autovacuum.active) log('the server runs without autovacuum: the bench does its work (default thresholds, 10 s naptime)');
    // 1. Worker runtime against the raw loop, and pickup latency, before anything else loads the engine.
    log(`worker runtime: ${sizes.runtimeTasks} tasks each`);
    const tp = await measureThroughput(stack.engine, sizes.runtimeTasks, log);
    figures.push(figure('worker runtime: our runtime', tp.oursPerSec, 'tasks/s', undefined, { baseline: tp.rawPerSec, note: 'baseline: raw REST loop' }));
    figures.push(figure('worker runtime: ratio to raw loop', tp.ratio, 'ratio', { op: '>=', target: 0.95 }));
    log(`pickup latency: ${sizes.pickupSamples} samples`);
    const pk = await measurePickup(stack.engine, sizes.pickupSamples);
    figures.push(figure('pickup latency p50', pk.p50, 'ms', undefined, { note: `${pk.samples} samples` }));
    figures.push(figure('pickup latency p95', pk.p95, 'ms', { op: '<=', target: 20 }, { note: `${pk.samples} samples, max ${round(pk.max)} ms` }));

    // 2. The raw dossier driver, while none of our workers is subscribed.
    log(`raw driver: ${sizes.dossiers} dossiers`);
    const raw = await runRawDossiers(stack.engine, sizes.dossiers, log);
    rawInstances.push(...raw.instanceIds);
    await Promise.all(raw.instanceIds.map((id) => stack.engineClient.request('DELETE', `/process-instance/${id}`, undefined, { skipCustomListeners: true }).catch(() => {})));

    // 3. Our server and workers, at rest.
    await stack.startServer();
    stack.startWorkers();
    await sleep(opts.smoke ? 2000 : 5000);
    const rest = { server: stack.server!.rssMb(), workers: stack.workers!.rssMb() };
    log(`at rest: server ${rest.server} MB, workers ${rest.workers} MB`);

    // 4. Whole dossiers through our API.
    log(`whole dossiers through the API: ${sizes.dossiers}`);
    const ours = await runApiDossiers(stack.baseUrl, stack.databaseUrl, sizes.dossiers, log);
    log(`our system: ${sizes.dossiers - ours.lost}/${sizes.dossiers} forwarded in ${ours.seconds.toFixed(1)} s`);
    figures.push(figure('whole dossiers: our system', ours.perSec, 'dossiers/s', undefined, { baseline: raw.perSec, note: `${sizes.dossiers} dossiers; baseline: raw engine REST driver` }));
    figures.push(figure('whole dossiers: ratio to raw driver', ours.perSec / raw.perSec, 'ratio', { op: '>=', target: 0.6 }));
    figures.push(figure('whole dossiers: lost', ours.lost, 'count', { op: '==', target: 0 }));

    // 5. The API at volume.
    log(`API at volume: seeding ${sizes.volumeDossiers} dossiers and ${sizes.volumeTasks} open tasks`);
    await seedVolume(stack.databaseUrl, stack.engine, sizes.volumeDossiers, sizes.volumeTasks, log);
    const endpoints = await loadEndpoints(stack.baseUrl, sizes.volumeTasks, sizes.clients, sizes.perClient);
    for (const e of endpoints) {
      figures.push(figure(`API ${e.name} p50`, e.p50, 'ms', undefined, { note: `${sizes.clients} clients, ${e.requests} requests, ${e.errors} errors` }));
      figures.push(figure(`API ${e.name} p95`, e.p95, 'ms', { op: '<=', target: 50 }, { note: `max ${round(e.max)} ms` }));
    }
    slowQueries = await slowestQueryPlans(stack.databaseUrl, stack.engine, sizes.volumeTasks, sizes.planRounds);

    // 6. Memory after the run.
    const after = { server: stack.server!.rssMb(), workers: stack.workers!.rssMb() };
    figures.push(figure('RSS server at rest', rest.server, 'MB'));
    figures.push(figure('RSS server after run', after.server, 'MB'));
    figures.push(figure('RSS workers at rest', rest.workers, 'MB'));
    figures.push(figure('RSS workers after run', after.workers, 'MB'));
  } finally {
    await autovacuum?.stop();
    // Leave nothing running in an engine we share (the test suite's).
    if (opts.engine) await cleanupEngine(stack, rawInstances);
    await stack.stop();
  }
  const report: BenchReport = {
    at: new Date().toISOString(),
    smoke: opts.smoke,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    figures,
    slowQueries,
    sizes,
    autovacuum: { emulated: autovacuum?.active ?? false, ...(autovacuum?.counts ?? { passes: 0, vacuumed: 0, analyzed: 0 }) },
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(report, null, 2));
  return report;
}

/** Deletes the instances this run left in a shared engine: ours (by our dossier ids) and the one-task diagram's. */
async function cleanupEngine(stack: Stack, extra: string[]): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  const ids = [...extra];
  try {
    await client.connect();
    const rows = await client.query<{ process_instance_id: string }>('SELECT process_instance_id FROM dossier WHERE process_instance_id IS NOT NULL');
    ids.push(...rows.rows.map((r) => r.process_instance_id));
  } catch {
    // the database may already be gone
  } finally {
    await client.end().catch(() => {});
  }
  const left = await stack.engineClient.request<{ id: string }[]>('GET', '/process-instance', undefined, { processDefinitionKey: ONE_TASK_KEY }).catch(() => []);
  ids.push(...left.map((p) => p.id));
  // One by one, synchronously: the batch endpoint only schedules the deletion, and the next
  // suite's workers would meanwhile fetch this run's leftover tasks.
  const queue = [...new Set(ids)];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.pop(); id; id = queue.pop()) {
        await stack.engineClient.request('DELETE', `/process-instance/${id}`, undefined, { skipCustomListeners: true, skipIoMappings: true }).catch(() => {});
      }
    }),
  );
}

export function printReport(report: BenchReport): string {
  const lines = [table(report.figures)];
  const av = report.autovacuum;
  if (av.emulated) lines.push('', `autovacuum (off on this server) done by the bench: ${av.passes} passes, ${av.vacuumed} tables vacuumed, ${av.analyzed} analyzed`);
  for (const q of report.slowQueries) {
    lines.push('', `slow query on the ${q.db} database (${q.calls} calls, mean ${round(q.meanMs, 2)} ms, max ${round(q.maxMs, 2)} ms): ${q.sql.slice(0, 300)}`, q.plan);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2));
  // A stray rejection must not end the run before the engine and databases are cleaned up.
  process.on('unhandledRejection', (err) => console.error('unhandled rejection:', err));
  runBench(opts)
    .then((report) => {
      console.log(printReport(report));
      console.log(`\nwritten to ${path.relative(ROOT, opts.out)}`);
      process.exit(report.figures.some((f) => f.value === null) ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
