/**
 * `npm run bench`: measures the system against the engine's own ceiling and prints a table of
 * figures, each with its goal and the baseline of the same run; writes the same as JSON. In order:
 * worker runtime and pickup, whole dossiers (raw driver, ours with 1 engine node, 1 server and
 * 1 worker process, then scaled out), the engine's tables per finished dossier, and the API over
 * HTTP as the generated history grows (with the engine's own task query as the peer).
 *   --smoke        tiny sizes, seconds (the test suite runs it so the benchmark never rots)
 *   --dossiers N   whole dossiers, in each shape (default 500)
 *   --growth A,B,C generated dossiers at each size of the API at volume (default 10000,100000,300000;
 *                  a tenth of each is open tasks; the middle size is the reference of the main rows)
 *   --out FILE     JSON output (default artifacts/bench.json)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStack, ROOT, sleep, type EngineRef, type Stack } from './stack.ts';
import { figure, round, table, type Figure } from './stats.ts';
import { measurePickup, measureThroughput, ONE_TASK_KEY } from './worker-runtime.ts';
import { runApiDossiers, runRawDossiers } from './dossiers.ts';
import { STEPS_TO_END } from './people.ts';
import { loadEndpoints, loadEngineTaskQuery, seedVolume, signInClients, slowestQueryPlans, type EndpointResult, type SlowQuery } from './api-volume.ts';
import { callsBetween, isStepCall, scrapeEngineCalls } from './engine-calls.ts';
import { captureDelta, readCapture } from './sql-capture.ts';
import { dossierInstanceIds, engineTableBytes } from '../../store/bench-data.ts';
import { startAutovacuum, type Autovacuum } from './autovacuum.ts';

export type BenchOptions = {
  smoke: boolean;
  dossiers: number;
  /** Sizes of the API at volume, ascending (default by smoke or full). */
  growth?: number[];
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
  sizes: ReturnType<typeof benchSizes>;
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
    growth: arg('--growth')?.split(',').map(Number),
    out: arg('--out') ?? path.join(ROOT, 'artifacts', smoke ? 'bench-smoke.json' : 'bench.json'),
  };
}

/** The sizes of a run: smoke (seconds, the test suite's) or full. */
export function benchSizes(smoke: boolean, dossiers: number, growth?: number[]) {
  const sizes = smoke
    ? { runtimeTasks: 40, pickupSamples: 20, dossiers, scaleDossiers: dossiers, growth: [300, 600, 900], referenceStage: 1, clients: 16, perClient: 2 }
    : { runtimeTasks: 2000, pickupSamples: 300, dossiers, scaleDossiers: dossiers, growth: [10_000, 100_000, 300_000], referenceStage: 1, clients: 16, perClient: 40 };
  if (growth?.length) {
    if (growth.some((g, i) => !Number.isInteger(g) || g < 200 || g > 999_999 || (i > 0 && g <= growth[i - 1]!))) throw new Error('--growth: ascending whole numbers of dossiers, 200 to 999999');
    sizes.growth = growth;
    sizes.referenceStage = Math.floor((growth.length - 1) / 2);
  }
  return sizes;
}

/** The scaled-out shape against one of each. */
const SCALED = { engines: 2, servers: 2, workers: 3 };

const thousands = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.log(`[bench] ${l}`));
  const sizes = benchSizes(opts.smoke, opts.dossiers, opts.growth);
  const figures: Figure[] = [];
  let slowQueries: SlowQuery[] = [];
  const stack: Stack = await createStack({
    engine: opts.engine,
    pgServerUrl: opts.pgServerUrl,
    logDir: path.join(ROOT, 'artifacts', opts.smoke ? 'bench-smoke-logs' : 'bench-logs'),
    log,
    largestShape: { engines: SCALED.engines, servers: SCALED.servers, workerProcesses: SCALED.workers },
    quickStart: opts.smoke,
  });
  const rawInstances: string[] = [];
  let autovacuum: Autovacuum | null = null;
  try {
    autovacuum = await startAutovacuum([stack.databaseUrl, stack.engine.databaseUrl], { log });
    if (autovacuum.active) log('the server runs without autovacuum: the bench does its work (default thresholds, 10 s naptime)');
    // 1. Worker runtime against the raw loop, and pickup latency, before anything else loads the engine.
    log(`worker runtime: ${sizes.runtimeTasks} tasks each`);
    const tp = await measureThroughput(stack.engine, sizes.runtimeTasks, log, opts.smoke ? 0 : sizes.runtimeTasks);
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

    // 3. Our server and workers, one of each, at rest.
    await stack.startServer();
    stack.startWorkers();
    await sleep(opts.smoke ? 2000 : 5000);
    const rest = { server: stack.server!.rssMb(), workers: stack.workers!.rssMb() };
    log(`at rest: server ${rest.server} MB, workers ${rest.workers} MB`);

    // 4. Whole dossiers through our API, with the engine calls each person's step cost.
    const engineBytesBefore = await engineTableBytes(stack.engine.databaseUrl);
    log(`whole dossiers through the API: ${sizes.dossiers}`);
    const callsBefore = await scrapeEngineCalls(stack.servers.map((s) => s.metricsUrl));
    const ours = await runApiDossiers(stack.baseUrl, stack.databaseUrl, sizes.dossiers, log, { tag: 'bench' });
    const calls = callsBetween(callsBefore, await scrapeEngineCalls(stack.servers.map((s) => s.metricsUrl)));
    const stepCalls = calls.filter(([op]) => isStepCall(op)).reduce((sum, [, n]) => sum + n, 0);
    log(`our system: ${sizes.dossiers - ours.lost}/${sizes.dossiers} forwarded in ${ours.seconds.toFixed(1)} s`);
    log(`  engine calls of the server by operation: ${calls.map(([op, n]) => `${op} ${n}`).join(', ')}`);
    figures.push(figure('whole dossiers: our system', ours.perSec, 'dossiers/s', undefined, { baseline: raw.perSec, note: `${sizes.dossiers} dossiers; baseline: raw engine REST driver` }));
    figures.push(figure('whole dossiers: ratio to raw driver', ours.perSec / raw.perSec, 'ratio', { op: '>=', target: 0.8 }));
    figures.push(figure('whole dossiers: lost', ours.lost, 'count', { op: '==', target: 0 }));
    figures.push(
      figure('engine calls per person step', stepCalls / Math.max(1, ours.stats!.completed), 'calls', { op: '<=', target: 3 }, {
        baseline: raw.callsPerStep,
        note: `${ours.stats!.completed} steps (claim + complete, lists read the engine's tables); baseline: raw driver's list, claim, complete`,
      }),
    );

    // 5. The same with the shape scaled out: more engine nodes on one engine database, more servers and worker processes.
    log(`scaling out to ${SCALED.engines} engine nodes, ${SCALED.servers} servers, ${SCALED.workers} worker processes`);
    while (stack.engines.length < SCALED.engines) await stack.addEngineNode();
    await stack.scaleServers(SCALED.servers);
    await stack.scaleWorkers(SCALED.workers);
    await sleep(opts.smoke ? 2000 : 5000);
    log(`whole dossiers through ${SCALED.servers} servers: ${sizes.scaleDossiers}`);
    const scaled = await runApiDossiers(stack.servers.map((s) => s.baseUrl), stack.databaseUrl, sizes.scaleDossiers, log, { tag: 'scale' });
    log(`scaled out: ${sizes.scaleDossiers - scaled.lost}/${sizes.scaleDossiers} forwarded in ${scaled.seconds.toFixed(1)} s`);
    figures.push(
      figure(`whole dossiers: ${SCALED.engines} engines, ${SCALED.workers} worker processes, ${SCALED.servers} servers`, scaled.perSec, 'dossiers/s', undefined, {
        baseline: ours.perSec,
        note: `${sizes.scaleDossiers} dossiers; baseline: 1 engine, 1 worker process, 1 server`,
      }),
    );
    figures.push(figure('whole dossiers: scaled-out ratio to 1/1/1', scaled.perSec / ours.perSec, 'ratio', { op: '>=', target: 0.9 }, { note: '2 cores: the overhead, not a speed-up' }));
    figures.push(figure('whole dossiers scaled out: lost', scaled.lost, 'count', { op: '==', target: 0 }));

    // 6. Every dossier of both runs to its end (the Office accepts, the Chairman approves): what the engine keeps per finished dossier.
    const forwarded = sizes.dossiers + sizes.scaleDossiers - ours.lost - scaled.lost;
    log(`finishing the ${forwarded} forwarded dossiers`);
    const finished = await runApiDossiers(stack.servers.map((s) => s.baseUrl), stack.databaseUrl, 0, log, { steps: STEPS_TO_END.slice(-2), until: 'DECIDED_APPROVED', target: forwarded, timeoutMs: 900_000 });
    const engineBytesAfter = await engineTableBytes(stack.engine.databaseUrl);
    const perThousand = (k: 'history' | 'runtime' | 'general' | 'total') => ((engineBytesAfter[k] - engineBytesBefore[k]) / 1e6 / Math.max(1, forwarded - finished.lost)) * 1000;
    figures.push(
      figure('engine tables per 1,000 finished dossiers', perThousand('total'), 'MB', undefined, {
        note: `ACT_HI_* ${round(perThousand('history'))} MB, ACT_RU_* ${round(perThousand('runtime'))} MB, ACT_GE_* ${round(perThousand('general'))} MB; ${forwarded - finished.lost} dossiers finished`,
      }),
    );

    // 7. Back to one of each; the server now times its SQL for the slow-query plans.
    await stack.scaleWorkers(1);
    await stack.scaleServers(0);
    await stack.removeEngineNodes();
    stack.captureSql = true;
    await stack.startServer();

    // 8. The API at volume, as the history grows: the same clients at each size.
    const stages: { total: number; endpoints: EndpointResult[]; engine: EndpointResult }[] = [];
    let seeded = 0;
    for (const total of sizes.growth) {
      log(`API at volume: growing to ${total} dossiers (${total / 10} open tasks)`);
      await seedVolume(stack.databaseUrl, stack.engine, seeded, total, log);
      seeded = total;
      const clients = await signInClients(stack.baseUrl, sizes.clients);
      // The capture is written each second: what the sign-ins ran is in it once a write has passed.
      await sleep(1500);
      const sqlBefore = readCapture(stack.servers[0]!.sqlCapture!);
      const endpoints = await loadEndpoints(clients, total, sizes.perClient);
      const engine = await loadEngineTaskQuery(stack.engine, clients, sizes.perClient);
      clients.close();
      stages.push({ total, endpoints, engine });
      log(`  ${[...endpoints, engine].map((e) => `${e.name} p95 ${round(e.p95)} ms`).join(', ')}`);
      if (total === sizes.growth.at(-1)) {
        await sleep(1500);
        slowQueries = await slowestQueryPlans(captureDelta(sqlBefore, readCapture(stack.servers[0]!.sqlCapture!)), { business: stack.databaseUrl, engine: stack.engine.databaseUrl });
      }
    }
    const reference = stages[sizes.referenceStage]!;
    const first = stages[0]!;
    const last = stages.at(-1)!;
    const at = (s: { total: number }) => `${thousands(s.total)} dossiers, ${thousands(s.total / 10)} open tasks`;
    for (const [i, e] of reference.endpoints.entries()) {
      figures.push(figure(`API ${e.name} p50`, e.p50, 'ms', undefined, { note: `${at(reference)}; ${sizes.clients} clients, ${e.requests} requests, ${e.errors} errors` }));
      figures.push(
        figure(`API ${e.name} p95`, e.p95, 'ms', { op: '<=', target: 50 }, {
          note: `max ${round(e.max)} ms`,
          ...(i === 0 ? { baseline: reference.engine.p95, note: `max ${round(e.max)} ms; baseline: the engine's own task query` } : {}),
        }),
      );
    }
    figures.push(
      figure("engine's own task query p95", reference.engine.p95, 'ms', undefined, {
        note: `${at(reference)}; GET /task by candidate groups, 20 by due date; ${reference.engine.requests} requests, ${reference.engine.errors} errors`,
      }),
    );
    figures.push(figure("API task list p95 ÷ engine's own", reference.endpoints[0]!.p95 / reference.engine.p95, 'ratio', { op: '<=', target: 1 }));
    for (const [i, e] of last.endpoints.entries()) {
      const small = first.endpoints[i]!;
      figures.push(
        figure(`API ${e.name} growth ${thousands(last.total)}/${thousands(first.total)}`, e.p95 / small.p95, 'ratio', { op: '<=', target: 1.3 }, {
          baseline: small.p95,
          note: `p95 ${stages.map((s) => `${round(s.endpoints[i]!.p95)}`).join(' → ')} ms at ${stages.map((s) => thousands(s.total)).join(' / ')} dossiers; baseline: p95 at ${thousands(first.total)}`,
        }),
      );
    }
    figures.push(
      figure(`engine's own task query growth ${thousands(last.total)}/${thousands(first.total)}`, last.engine.p95 / first.engine.p95, 'ratio', undefined, {
        baseline: first.engine.p95,
        note: `p95 ${stages.map((s) => round(s.engine.p95)).join(' → ')} ms`,
      }),
    );

    // 9. Memory after the run.
    const after = { server: stack.server!.rssMb(), workers: stack.workers!.rssMb() };
    figures.push(figure('RSS server at rest', rest.server, 'MB'));
    figures.push(figure('RSS server after run', after.server, 'MB', undefined, { note: 'restarted before the volume phase (to time its SQL)' }));
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
  const ids = [...extra, ...(await dossierInstanceIds(stack.databaseUrl))];
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
