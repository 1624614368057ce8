/**
 * `npm run faults` (--dossiers N --kills K --requests R to size it): what survives when things break. One system (our database on a private
 * PostgreSQL we can stop, the engine, our server, the workers under a restart loop), four phases:
 *   1. kill -9 the worker process at random moments while dossiers run;
 *   2. stop and restart the engine mid-run (--smoke: a proxy in front of the shared engine goes down);
 *   3. stop our PostgreSQL mid-run while probing the API;
 *   4. a fast-check fuzzer of malformed requests, and hostile diagrams (code in every form) sent to our
 *      API and straight to the engine's REST API: none may be deployed or run;
 *   5. (run before 4) a second engine node, two servers and a worker given both nodes: the second node
 *      is killed with SIGKILL mid-run (scale-out.ts) and started again (how soon it takes work), then
 *      the first server;
 * Then it counts: instances ended, dossiers lost, duplicated side effects per unique key.
 *   --smoke   a short version (fewer kills, dossiers and requests) for the test suite
 *   --out F   JSON output (default artifacts/faults.json)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStack, ROOT, sleep, type EngineRef, type Stack } from '../bench/stack.ts';
import { figure, round, table, type Figure } from '../bench/stats.ts';
import { STEPS_TO_END, dossierCounter, createDossiers, login, newStats, startDrafts, workTasks, type DriverStats } from '../bench/people.ts';
import { resolvePostgres, type PostgresServer } from '../../store/postgres.ts';
import { freePort } from '../lib/ports.ts';
import { startProxy, type Proxy } from './proxy.ts';
import { fuzz, fuzzDiagrams, type FuzzResult } from './fuzz.ts';
import { collectGarbage } from './inspector.ts';
import { countIntegrity } from '../../store/fault-integrity.ts';
import { SCALE_OUT_SHAPE, scaleOutPhase } from './scale-out.ts';

export type FaultsOptions = { smoke: boolean; out: string; engine?: EngineRef; log?: (l: string) => void; sizes?: Partial<FaultSizes> };

type FaultSizes = { killDossiers: number; kills: number; restartDossiers: number; outageDossiers: number; outageMs: number; fuzzRequests: number; scaleDossiers: number; timers: number };

export type FaultsReport = { at: string; smoke: boolean; figures: Figure[]; notes: string[]; fuzz: Omit<FuzzResult, 'accepted'> & { accepted: number; samples: string[] } };

export function parseArgs(argv: readonly string[]): FaultsOptions {
  const smoke = argv.includes('--smoke');
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : undefined;
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const sizes: Partial<FaultSizes> = {};
  if (num('--dossiers') !== undefined) sizes.killDossiers = num('--dossiers');
  if (num('--kills') !== undefined) sizes.kills = num('--kills');
  if (num('--requests') !== undefined) sizes.fuzzRequests = num('--requests');
  return { smoke, sizes, out: arg('--out') ?? path.join(ROOT, 'artifacts', smoke ? 'faults-smoke.json' : 'faults.json') };
}

type Probe = { status: number; ms: number; code: string | null };

/** How many of these instances still run (the engine may be shared: only ours are counted). */
async function runningInstances(engine: Stack['engineClient'], ids: string[]): Promise<number> {
  let running = 0;
  for (let i = 0; i < ids.length; i += 200) {
    running += (await engine.request<{ count: number }>('POST', '/process-instance/count', { processInstanceIds: ids.slice(i, i + 200) })).count;
  }
  return running;
}

/**
 * Runs the people until `status` counts `target` dossiers and nothing is left underway (no started
 * dossier in another status, no instance of the process still running), or the time is up. A count
 * alone could be reached early: a dossier whose creation was answered 503 but committed, then
 * retried, is one more than acknowledged, and a completion committed here but not yet in the engine
 * leaves its instance running.
 */
async function runUntil(stack: Pick<Stack, 'baseUrl' | 'databaseUrl' | 'engineClient'>, stats: DriverStats, status: string, target: () => number, timeoutMs: number, log: (l: string) => void, extra?: () => Promise<void>) {
  let stop = false;
  const people = STEPS_TO_END.map((s) => workTasks(stack.baseUrl, s, stats, () => stop));
  const counter = dossierCounter(stack.databaseUrl);
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  let lastLog = Date.now();
  let sideDone = !extra;
  const side = extra?.().finally(() => {
    sideDone = true;
  });
  while (Date.now() < deadline) {
    let settled = false;
    try {
      done = await counter.count(status);
      settled = done >= target() && (await counter.underway(status)) === 0 && (await runningInstances(stack.engineClient, await counter.instanceIds())) === 0;
    } catch {
      // the system is away: the people wait too
    }
    if (settled && sideDone) break;
    if (Date.now() - lastLog > 15_000) {
      log(`  ${done}/${target()} ${status}, ${stats.completed} tasks done, ${stats.transient} transient answers`);
      lastLog = Date.now();
    }
    await sleep(250);
  }
  stop = true;
  await side;
  await Promise.all(people);
  await counter.close();
  return done;
}

export async function runFaults(opts: FaultsOptions): Promise<FaultsReport> {
  const log = opts.log ?? ((l: string) => console.log(`[faults] ${l}`));
  const sizes: FaultSizes = {
    ...(opts.smoke
      ? { killDossiers: 4, kills: 2, restartDossiers: 3, outageDossiers: 3, outageMs: 3000, fuzzRequests: 500, scaleDossiers: 3, timers: 5 }
      : { killDossiers: 1000, kills: 100, restartDossiers: 100, outageDossiers: 100, outageMs: 10_000, fuzzRequests: 10_000, scaleDossiers: 50, timers: 50 }),
    ...opts.sizes,
  };
  const notes: string[] = [];
  const figures: Figure[] = [];
  const dataDir = path.join(ROOT, '.data', `faults-pg-${process.pid}`);
  const privatePort = await freePort();
  let privatePg: PostgresServer | null = await resolvePostgres({ databaseUrl: null, dataDir, forcePrivate: true, privatePort, log });
  let proxy: Proxy | null = null;
  let engine = opts.engine;
  if (engine) {
    proxy = await startProxy(Number(new URL(engine.restUrl).port));
    engine = { ...engine, restUrl: engine.restUrl.replace(/:\d+\//, `:${proxy.port}/`) };
  }
  let stack: Stack | null = null;
  let enginePg: PostgresServer | null = null;
  const stats = newStats();
  let fuzzResult: FuzzResult | null;
  // The server's inspector, local to this run, so its memory is read after a full collection.
  const inspectorPort = await freePort();
  try {
    stack = await createStack({
      engine,
      pgServerUrl: privatePg.serverUrl,
      // The engine keeps its database on the usual server: only ours goes down in phase 3.
      enginePgServerUrl: engine ? undefined : (enginePg = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: path.join(ROOT, '.data', 'bench'), log })).serverUrl,
      logDir: path.join(ROOT, 'artifacts', opts.smoke ? 'faults-smoke-logs' : 'faults-logs'),
      restartWorkers: true,
      quickStart: opts.smoke,
      serverNodeArgs: [`--inspect=127.0.0.1:${inspectorPort}`],
      // Short locks so a task held by a killed worker comes back soon.
      workerEnv: { WORKER_LOCK_DURATION_MS: '5000', WORKER_RETRY_TIMEOUT_MS: '1000' },
      prefix: 'hst_faults',
      // Every process of every phase, the scale-out's included, gets its share of PostgreSQL's connections from the start.
      largestShape: SCALE_OUT_SHAPE,
      log,
    });
    const s = stack;
    await s.startServer();
    s.startWorkers();
    // Ready: the process running now has said it polls (a line of an earlier, killed one does not count).
    const workerReady = async (since: number) => {
      while (!s.workers!.lines.some((l) => l.at >= Math.max(since, s.workers!.startedAt) && /polling/.test(l.text))) await sleep(50);
    };
    await workerReady(0);

    // 1. kill -9 the worker process at random moments while dossiers run.
    log(`phase 1: ${sizes.killDossiers} dossiers, ${sizes.kills} kills of the worker process`);
    let kills = 0;
    const killer = async () => {
      while (kills < sizes.kills) {
        await workerReady(0);
        await sleep(Math.random() * (opts.smoke ? 1000 : 2500));
        s.workers!.kill9();
        kills++;
        const t = Date.now();
        await workerReady(t);
      }
    };
    const t1 = Date.now();
    const creating1 = createDossiers(s.baseUrl, sizes.killDossiers, 8, stats, 'kill');
    // The kills start with the creations, so they fall while dossiers move.
    const done1 = await runUntil(s, stats, 'DECIDED_APPROVED', () => sizes.killDossiers, opts.smoke ? 90_000 : 3_600_000, log, async () => {
      await Promise.all([creating1, killer()]);
    });
    log(`  ${kills} kills, ${done1}/${sizes.killDossiers} approved in ${((Date.now() - t1) / 1000).toFixed(0)} s, worker restarted ${s.workers!.restarts} times`);
    figures.push(figure('kill -9 workers: kills', kills, 'count', { op: '>=', target: sizes.kills }));

    // 2. the engine goes away and comes back.
    log(`phase 2: engine ${proxy ? 'outage (proxy down)' : 'stop and restart'} with ${sizes.restartDossiers} dossiers running`);
    const target2 = done1 + sizes.restartDossiers;
    const creating2 = createDossiers(s.baseUrl, sizes.restartDossiers, 8, stats, 'restart');
    let outage = { stoppedAt: 0, readyAt: 0 };
    // When the engine began to go away: the workers may see it fail before the stop completes.
    let downFrom = 0;
    // The workers log "engine reachable again" on their first successful poll after failed ones.
    const rejoinLine = () => s.workers!.lines.find((l) => l.at >= outage.readyAt && /engine reachable again/.test(l.text));
    const unreachableLine = () => s.workers!.lines.find((l) => l.at >= downFrom && /engine unreachable/.test(l.text));
    // A poll is a long poll: it returns when a task comes or after the async response timeout;
    // back-off between failed polls is at most WORKER_MAX_BACKOFF_MS. Wait that long for the line.
    const rejoinWaitMs = Number(s.env.WORKER_ASYNC_RESPONSE_TIMEOUT_MS ?? 10_000) + Number(s.env.WORKER_MAX_BACKOFF_MS ?? 5000) + 15_000;
    const done2 = await runUntil(s, stats, 'DECIDED_APPROVED', () => target2, opts.smoke ? 90_000 : 1_800_000, log, async () => {
      await sleep(opts.smoke ? 1500 : 5000);
      downFrom = Date.now();
      if (proxy) {
        await proxy.down();
        const stoppedAt = Date.now();
        outage = { stoppedAt, readyAt: Number.POSITIVE_INFINITY };
        // Down until the workers have seen the engine fail (at least the outage length): else
        // there is nothing to rejoin from and the figure would measure nothing.
        const until = Date.now() + 20_000;
        await sleep(3000);
        while (!unreachableLine() && Date.now() < until) await sleep(100);
        await proxy.up();
        outage = { stoppedAt, readyAt: Date.now() };
      } else outage = await s.restartEngine({ downMs: 1000 });
      // Phase 2 ends when the workers are back, not only when the dossiers are: the figure below
      // is read from their log and must not be cut off by the end of the phase.
      const until = Date.now() + rejoinWaitMs;
      while (!rejoinLine() && Date.now() < until) await sleep(100);
      await creating2;
    });
    const rejoin = rejoinLine();
    if (!unreachableLine()) notes.push('engine outage: the workers never saw the engine fail');
    const warnings = s.workers!.lines.filter((l) => l.at >= downFrom && l.at <= (rejoin?.at ?? Date.now()) && /"level":"(warn|error|fatal)"|WARN|ERROR/.test(l.text)).length;
    const rejoinSec = rejoin ? (rejoin.at - outage.readyAt) / 1000 : null;
    log(`  engine down ${((outage.readyAt - outage.stoppedAt) / 1000).toFixed(1)} s; workers rejoined ${rejoinSec ?? 'never'} s after readiness; ${warnings} warning lines`);
    figures.push(figure('engine restart: workers rejoin after readiness', rejoinSec, 's', { op: '<=', target: 5 }, { note: `down ${round((outage.readyAt - outage.stoppedAt) / 1000)} s${proxy ? ' (proxy outage)' : ''}` }));
    figures.push(figure('engine restart: worker log lines during outage', warnings, 'count', { op: '<=', target: 20 }, { note: 'no error flood' }));
    log(`  ${done2}/${target2} approved`);

    // 3. our database goes away and comes back.
    log(`phase 3: our PostgreSQL stopped for ${sizes.outageMs} ms with ${sizes.outageDossiers} dossiers running`);
    const target3 = done2 + sizes.outageDossiers;
    const probes: Probe[] = [];
    const creating3 = createDossiers(s.baseUrl, sizes.outageDossiers, 8, stats, 'outage');
    const prober = await login(s.baseUrl, 'sct.chuyenvien');
    const done3 = await runUntil(s, stats, 'DECIDED_APPROVED', () => target3, opts.smoke ? 120_000 : 1_800_000, log, async () => {
      await sleep(opts.smoke ? 1000 : 4000);
      await privatePg!.stop();
      const until = Date.now() + sizes.outageMs;
      const cookie = (prober as unknown as { cookie: string }).cookie;
      const targets: [string, string, unknown?][] = [['GET', '/api/dossiers'], ['GET', '/api/tasks'], ['POST', '/api/dossiers', { subject: 'x' }], ['GET', '/api/auth/me'], ['GET', '/health']];
      while (Date.now() < until) {
        await Promise.all(
          targets.map(async ([method, p, body]) => {
            const t0 = performance.now();
            try {
              const res = await fetch(s.baseUrl + p, {
                method,
                headers: { cookie, 'x-csrf-token': prober.csrfToken, 'content-type': 'application/json' },
                body: body ? JSON.stringify(body) : undefined,
                signal: AbortSignal.timeout(20_000),
              });
              const parsed = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
              probes.push({ status: res.status, ms: performance.now() - t0, code: parsed?.error?.code ?? null });
            } catch {
              probes.push({ status: 0, ms: performance.now() - t0, code: null });
            }
          }),
        );
        await sleep(200);
      }
      privatePg = await resolvePostgres({ databaseUrl: null, dataDir, forcePrivate: true, privatePort, log });
      await creating3;
    });
    // /health answers 503 with its own body; the API answers 503 with a code.
    const apiProbes = probes.filter((p) => p.status !== 0);
    const unavailable = apiProbes.filter((p) => p.status === 503).length;
    const fiveHundreds = apiProbes.filter((p) => p.status >= 500 && p.status !== 503).length;
    const maxMs = Math.max(0, ...probes.map((p) => p.ms));
    log(`  ${probes.length} probes during the outage: ${unavailable} × 503, ${fiveHundreds} other 5xx, ${probes.filter((p) => p.status === 0).length} without answer, slowest ${round(maxMs)} ms; ${done3}/${target3} approved`);
    figures.push(figure('database outage: probes answered 503', unavailable, 'count', undefined, { note: `of ${probes.length}` }));
    figures.push(figure('database outage: 500s and other 5xx', fiveHundreds + probes.filter((p) => p.status === 0).length, 'count', { op: '==', target: 0 }));
    figures.push(figure('database outage: slowest answer', maxMs, 'ms', { op: '<=', target: 5000 }, { note: 'never hangs' }));

    // Dossiers stored while the start was refused stay DRAFT: their drafter starts them.
    const restarted = await startDrafts(s.baseUrl, stats);
    if (restarted > 0) {
      notes.push(`${restarted} dossiers were stored while the engine or database refused their start; started again from the list`);
      await runUntil(s, stats, 'DECIDED_APPROVED', () => target3 + restarted, 300_000, log);
    }

    // 5 and 6. two engine nodes, two servers: one node killed with SIGKILL mid-run, then one server.
    const scaled = await scaleOutPhase(s, stats, {
      smoke: opts.smoke,
      dossiers: sizes.scaleDossiers,
      timers: sizes.timers,
      doneSoFar: target3 + restarted,
      logDir: path.join(ROOT, 'artifacts', opts.smoke ? 'faults-smoke-logs' : 'faults-logs'),
      log,
      runUntil,
      workerEnv: { WORKER_LOCK_DURATION_MS: '5000', WORKER_RETRY_TIMEOUT_MS: '1000' },
    });
    figures.push(...scaled.figures);
    notes.push(...scaled.notes);

    // 4. bad input.
    log(`phase 4: ${sizes.fuzzRequests} malformed requests`);
    fuzzResult = await fuzz(s.baseUrl, sizes.fuzzRequests, 7, async () => {
      await collectGarbage(inspectorPort);
      return s.server!.rssMb();
    });
    log(`  ${fuzzResult.requests} answered: ${JSON.stringify(fuzzResult.byStatus)}; RSS ${fuzzResult.rssBeforeMb} → ${fuzzResult.rssAfterMb} MB`);
    figures.push(figure('fuzz: requests answered', fuzzResult.requests, 'count', { op: '>=', target: Math.min(sizes.fuzzRequests, 10_000) - 5 }));
    figures.push(figure('fuzz: 5xx', fuzzResult.serverErrors.length, 'count', { op: '==', target: 0 }));
    figures.push(figure('fuzz: 4xx without our error shape', fuzzResult.badShape.length, 'count', { op: '==', target: 0 }));
    figures.push(figure('fuzz: accepted (2xx)', fuzzResult.accepted.length, 'count', { op: '==', target: 0 }));
    figures.push(figure('fuzz: server up afterwards', fuzzResult.serverUp ? 1 : 0, 'count', { op: '==', target: 1 }));
    const growth = fuzzResult.rssBeforeMb && fuzzResult.rssAfterMb ? fuzzResult.rssAfterMb - fuzzResult.rssBeforeMb : null;
    figures.push(figure('fuzz: server RSS growth', growth, 'MB', { op: '<=', target: 50 }, { note: `${fuzzResult.rssBeforeMb} → ${fuzzResult.rssAfterMb} MB, each after a full GC` }));

    // Diagrams that would run code, to our API and straight to the engine: none deployed, none run.
    const hostile = await fuzzDiagrams(s.baseUrl, s.engineClient, path.join(os.tmpdir(), `hst-hostile-${process.pid}`));
    log(`  ${hostile.sent} hostile diagrams: our API ${JSON.stringify(hostile.serverStatuses)}, the engine ${JSON.stringify(hostile.engineStatuses)}`);
    figures.push(figure('hostile diagrams: deployed', hostile.deployed.length, 'count', { op: '==', target: 0 }, { note: hostile.deployed.slice(0, 3).join(' | ') || `${hostile.sent} sent to each` }));
    figures.push(figure('hostile diagrams: executed', hostile.executed.length, 'count', { op: '==', target: 0 }, { note: hostile.executed.slice(0, 3).join(' | ') || 'no marker file, no instance' }));

    // What survived.
    figures.push(...(await integrity(s, stats, notes)));
    figures.push(figure('driver errors (non-transient answers)', stats.errors.length, 'count', { op: '==', target: 0 }, { note: stats.errors.slice(0, 3).join(' | ') }));
  } finally {
    await stack?.stop();
    await privatePg?.stop().catch(() => {});
    await enginePg?.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    await proxy?.close();
  }
  const report: FaultsReport = {
    at: new Date().toISOString(),
    smoke: opts.smoke,
    figures,
    notes,
    fuzz: fuzzResult
      ? { ...fuzzResult, serverErrors: fuzzResult.serverErrors.slice(0, 20), badShape: fuzzResult.badShape.slice(0, 20), accepted: fuzzResult.accepted.length, samples: fuzzResult.accepted.slice(0, 10) }
      : { requests: 0, byStatus: {}, serverErrors: [], badShape: [], accepted: 0, samples: [], hung: 0, rssBeforeMb: null, rssAfterMb: null, serverUp: false },
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(report, null, 2));
  return report;
}

/** Every acknowledged dossier ended; no side effect twice: rows counted per unique key. */
async function integrity(s: Stack, stats: DriverStats, notes: string[]): Promise<Figure[]> {
  const counts = await countIntegrity(s.databaseUrl);
  const { dupRequests, wrongRequestCount, dupNumbers, sharedNumbers, noNumber, dupSubmissions, dupForwardNotices, dupAudit, stepEvents } = counts;
  const dossiers = counts.dossiers;
  const known = new Set(dossiers.map((r) => r.id));
  const missing = stats.created.filter((id) => !known.has(id));
  const notEnded = dossiers.filter((r) => r.status !== 'DECIDED_APPROVED');
  if (notEnded.length) notes.push(`not approved: ${notEnded.slice(0, 10).map((r) => `${r.id} ${r.status}`).join(', ')}`);
  const ids = dossiers.map((r) => r.process_instance_id).filter((x): x is string => !!x);
  const unfinishedInstances: { id: string; businessKey: string | null }[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    unfinishedInstances.push(
      ...(await s.engineClient.request<{ id: string; businessKey: string | null }[]>('POST', '/history/process-instance', { processInstanceIds: ids.slice(i, i + 200), unfinished: true })),
    );
  }
  const unfinished = unfinishedInstances.length;
  const withoutInstance = dossiers.filter((r) => !r.process_instance_id);
  if (unfinished) notes.push(`instances not ended: ${unfinishedInstances.slice(0, 10).map((p) => `${p.id} (${p.businessKey})`).join(', ')}`);
  if (withoutInstance.length) notes.push(`dossiers without an instance: ${withoutInstance.slice(0, 10).map((r) => `${r.id} ${r.status}`).join(', ')}`);
  const idSet = new Set(ids);
  const incidents = (await s.engineClient.request<{ processInstanceId: string }[]>('GET', '/incident')).filter((i) => idSet.has(i.processInstanceId)).length;
  return [
    figure('dossiers acknowledged (201)', stats.created.length, 'count', undefined, { note: `${dossiers.length} in the database, ${stats.createRetries} create retries` }),
    figure('lost: acknowledged but not stored', missing.length, 'count', { op: '==', target: 0 }),
    figure('lost: not ended (not DECIDED_APPROVED)', notEnded.length, 'count', { op: '==', target: 0 }),
    figure('instances not ended', unfinished + (dossiers.length - ids.length), 'count', { op: '==', target: 0 }),
    figure('incidents', incidents, 'count', { op: '==', target: 0 }),
    figure('duplicated opinion requests', dupRequests + wrongRequestCount, 'count', { op: '==', target: 0 }),
    figure('duplicated submission numbers', dupNumbers + sharedNumbers, 'count', { op: '==', target: 0 }, { note: `${dupNumbers} dossiers with two current numbered submissions, ${sharedNumbers} numbers on two dossiers` }),
    figure('missing submission numbers', noNumber, 'count', { op: '==', target: 0 }, { note: 'dossiers without a current numbered submission' }),
    figure('duplicated forwarded submissions / notices', dupSubmissions + dupForwardNotices, 'count', { op: '==', target: 0 }),
    figure('duplicated audit events per step', dupAudit, 'count', { op: '==', target: 0 }, { note: `of ${stepEvents} worker-step events` }),
  ];
}

export function printReport(r: FaultsReport): string {
  const lines = [table(r.figures)];
  for (const n of r.notes) lines.push(`note: ${n}`);
  for (const e of [...r.fuzz.serverErrors, ...r.fuzz.badShape].slice(0, 10)) lines.push(`fuzz failure: ${e}`);
  for (const e of r.fuzz.samples) lines.push(`fuzz accepted: ${e}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2));
  // A stray rejection must not end the run before the engine and databases are cleaned up.
  process.on('unhandledRejection', (err) => console.error('unhandled rejection:', err));
  runFaults(opts)
    .then((report) => {
      console.log(printReport(report));
      console.log(`\nwritten to ${path.relative(ROOT, opts.out)}`);
      process.exit(report.figures.some((f) => f.met === false) ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
