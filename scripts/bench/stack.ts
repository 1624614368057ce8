/**
 * The system under measurement: PostgreSQL (given or found), the engine (given, or started on a
 * free port against a fresh database), a fresh business database, and our server and workers as
 * real child processes (so RSS and kill -9 are real). The shape scales out: more engine nodes on
 * the same engine database (the engine's own clustering), more server processes on the same
 * business database, more worker processes, each process given every node (ENGINE_URLS), each
 * starting from a different one. Everything created here
 * is removed by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildEngine, startEngine, stopProcess, type EngineHandle } from '../engine.ts';
import { dropDatabase, ensureDatabase, freeConnections, resolvePostgres, withDatabase, type PostgresServer } from '../../store/postgres.ts';
import { poolEnv, poolSizes, type PoolSizes, type Shape } from '../../config/connection-budget.ts';
import { freePort, waitForHttp } from '../lib/ports.ts';
import { EngineClient } from '../../platform/engine/client.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** An engine: its REST API, the user we authenticate as, and its database (the server reads task lists there). */
export type EngineRef = { restUrl: string; user: string; password: string; databaseUrl: string };

export type LogLine = { at: number; stream: 'out' | 'err'; text: string };

/** A node child process (server or workers), optionally restarted whenever it exits. */
export class NodeProcess {
  child: ChildProcess | null = null;
  readonly lines: LogLine[] = [];
  restarts = 0;
  /** When the current process was started (lines before it belong to an earlier one). */
  startedAt = 0;
  private stopping = false;
  private restart: boolean;
  private readonly out: number;
  private readonly nodeArgs: string[];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
    opts: { restart?: boolean; nodeArgs?: string[] } = {},
  ) {
    this.restart = opts.restart ?? false;
    this.nodeArgs = opts.nodeArgs ?? [];
    this.out = fs.openSync(logFile, 'a');
  }

  start(): void {
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', this.entry], { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    // Whatever ends this process (a test timing out included) ends its children too.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    // A chunk may end mid-line: keep the rest until its newline comes, so no line is cut in two.
    const pending = { out: '', err: '' };
    const push = (stream: 'out' | 'err', text: string) => {
      if (text.trim()) this.lines.push({ at: lineTime(text) ?? Date.now(), stream, text });
    };
    const collect = (stream: 'out' | 'err') => (chunk: Buffer) => {
      fs.writeSync(this.out, chunk);
      const parts = (pending[stream] + chunk.toString('utf8')).split('\n');
      pending[stream] = parts.pop()!;
      for (const text of parts) push(stream, text);
    };
    child.stdout!.on('data', collect('out'));
    child.stderr!.on('data', collect('err'));
    child.stdout!.on('end', () => push('out', pending.out));
    child.stderr!.on('end', () => push('err', pending.err));
    child.on('exit', () => {
      if (this.child !== child || this.stopping || !this.restart) return;
      this.restarts++;
      // The supervisor of npm start waits too; a short pause keeps a crash loop from spinning.
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, 200);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no shutdown hook runs, open transactions and locks are abandoned. */
  kill9(): void {
    if (this.alive()) this.child!.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child) await stopProcess(this.child, 5000);
    fs.closeSync(this.out);
  }

  /** Resident set size in MB, from /proc (Linux). */
  rssMb(): number | null {
    return this.pid ? rssMbOf(this.pid) : null;
  }
}

/** The time a log line was written, from its JSON "time" (server/log.ts) or a leading ISO timestamp, else null. */
export function lineTime(text: string): number | null {
  const m = /^\{.*?"time":"([^"]+)"/.exec(text) ?? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s/.exec(text);
  if (!m) return null;
  const t = Date.parse(m[1]!);
  return Number.isFinite(t) ? t : null;
}

export function rssMbOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type StackOptions = {
  /** An engine already running (the integration suite's); else one is started here. */
  engine?: EngineRef;
  /** A PostgreSQL server URL to create the databases on; else DATABASE_URL, the local server or a private one. */
  pgServerUrl?: string;
  /** Where logs go (created). */
  logDir: string;
  /** Where the engine's own database goes when the engine is started here (default: pgServerUrl's server). */
  enginePgServerUrl?: string;
  /** Extra environment of the worker process (lock duration, back-off…). */
  workerEnv?: Record<string, string>;
  /** Restart the worker process whenever it exits (the fault harness kills it). */
  restartWorkers?: boolean;
  /** Extra node options of the server process (the fault harness opens its inspector to collect garbage). */
  serverNodeArgs?: string[];
  log: (line: string) => void;
  /** Name prefix of the databases created here. */
  prefix?: string;
  /** Time every SQL statement of the server processes (scripts/bench/sql-capture.ts), for the bench's slow-query plans. */
  captureSql?: boolean;
  /**
   * The largest shape the run will scale to (default one of each): every process gets its share of
   * the connections PostgreSQL still allows for that shape, from the start, so each phase runs on the same pools.
   */
  largestShape?: Shape;
  /** Engines started here start as the test suites' do (scripts/engine.ts), for the smoke runs. */
  quickStart?: boolean;
};

/** One engine node: its REST API, and its process when the stack started it. */
export type EngineNode = { restUrl: string; port: number | null; handle: EngineHandle | null };

export type Stack = {
  pgServerUrl: string;
  databaseUrl: string;
  businessDb: string;
  engine: EngineRef;
  engineClient: EngineClient;
  engineHandle: EngineHandle | null;
  enginePort: number | null;
  engineDbUrl: string | null;
  baseUrl: string;
  /** The first server and the first worker process (the only ones unless scaled out). */
  server: NodeProcess | null;
  workers: NodeProcess | null;
  /** Every engine node, the first being `engine`; every server process, with its address; every worker process. */
  engines: EngineNode[];
  servers: { process: NodeProcess; baseUrl: string; metricsUrl: string; sqlCapture: string | null }[];
  workerProcesses: NodeProcess[];
  /** Whether server processes started from now on time their SQL (scripts/bench/sql-capture.ts). */
  captureSql: boolean;
  env: NodeJS.ProcessEnv;
  /** Each process's share of PostgreSQL's connections for `largestShape`: a process started outside the stack takes the same. */
  pools: PoolSizes;
  startServer(): Promise<void>;
  startWorkers(): void;
  /** Starts one more engine node on the same engine database; resolves once it answers. */
  addEngineNode(): Promise<EngineNode>;
  /** Stops the engine nodes after the first. */
  removeEngineNodes(): Promise<void>;
  /** Starts server processes until there are `count`, one after another (the first migrates), given every engine node. */
  scaleServers(count: number): Promise<void>;
  /** Starts or stops worker processes until there are `count`, given every engine node. */
  scaleWorkers(count: number): Promise<void>;
  /** Stops and starts the engine on the same port and database (only an engine started here). */
  restartEngine(opts?: { downMs?: number }): Promise<{ stoppedAt: number; readyAt: number }>;
  stop(): Promise<void>;
};

/** Starts PostgreSQL and the engine as needed and prepares a fresh business database; server and workers start on request. */
export async function createStack(opts: StackOptions): Promise<Stack> {
  fs.mkdirSync(opts.logDir, { recursive: true });
  const prefix = opts.prefix ?? 'hst_bench';
  let pg: PostgresServer | null = null;
  let pgServerUrl = opts.pgServerUrl;
  if (!pgServerUrl) {
    pg = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: path.join(ROOT, '.data', 'bench'), log: opts.log });
    pgServerUrl = pg.serverUrl;
  }
  const enginePgServerUrl = opts.enginePgServerUrl ?? pgServerUrl;
  // An engine given from outside already holds its pool: only the processes started here share what is free.
  const shape = opts.largestShape ?? { engines: 1, servers: 1, workerProcesses: 1 };
  // The business and the engine databases may live on two servers: the tighter one decides.
  const free = Math.min(...(await Promise.all([...new Set([pgServerUrl, enginePgServerUrl])].map(async (u) => (await freeConnections(u)).free))));
  const pools = poolSizes(free, { ...shape, engines: opts.engine ? Math.max(1, shape.engines - 1) : shape.engines });
  const poolVars = poolEnv(pools);
  opts.log(`connections: engine ${pools.engine} per node, server ${pools.server} + ${pools.serverEngineReader} per process, workers ${pools.worker} per process`);
  const suffix = randomBytes(4).toString('hex');
  const businessDb = `${prefix}_${suffix}`;
  await ensureDatabase(pgServerUrl, businessDb);
  const databaseUrl = withDatabase(pgServerUrl, businessDb);

  let engineHandle: EngineHandle | null = null;
  let engineDb: string | null = null;
  let enginePort: number | null = null;
  let engine = opts.engine;
  let engineDbUrl: string | null = null;
  const engineLog = path.join(opts.logDir, 'engine.log');
  // Every engine node of the stack, the first, one added or one started again, on the same pool and JVM settings.
  const startNode = (ref: { databaseUrl: string; user: string; password: string }, nodePort: number, logFile: string) =>
    startEngine({ port: nodePort, databaseUrl: ref.databaseUrl, user: ref.user, password: ref.password, logFile, dbPool: pools.engine, quickStart: opts.quickStart });
  if (!engine) {
    await buildEngine(opts.log);
    engineDb = `${prefix}_engine_${suffix}`;
    await ensureDatabase(enginePgServerUrl, engineDb);
    enginePort = await freePort();
    engineDbUrl = withDatabase(enginePgServerUrl, engineDb);
    const password = randomBytes(12).toString('hex');
    const started = Date.now();
    engineHandle = await startNode({ databaseUrl: engineDbUrl, user: 'bench', password }, enginePort, engineLog);
    opts.log(`engine ready on port ${enginePort} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    engine = { restUrl: engineHandle.restUrl, user: 'bench', password, databaseUrl: engineDbUrl };
  }
  const engineRef = engine;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    ENGINE_URL: engineRef.restUrl,
    ENGINE_USER: engineRef.user,
    ENGINE_PASSWORD: engineRef.password,
    ENGINE_DATABASE_URL: engineRef.databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    SEED_DEMO: 'true',
  };
  // Children must not inherit the test runner's worker plumbing.
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  delete env.NODE_OPTIONS;

  const engines: EngineNode[] = [{ restUrl: engineRef.restUrl, port: enginePort, handle: engineHandle }];
  // One node: ENGINE_URL. Several: ENGINE_URLS, every node, starting from a different one for each process (the engine client fails over between them).
  const processEnv = (i: number, extra: Record<string, string>): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...env, ...extra };
    if (engines.length > 1) {
      delete e.ENGINE_URL;
      e.ENGINE_URLS = engines.map((_, k) => engines[(i + k) % engines.length]!.restUrl).join(',');
    }
    return e;
  };
  let serverStarts = 0;
  const startServerProcess = async (i: number) => {
    const serverPort = i === 0 ? port : await freePort();
    const metricsPort = await freePort();
    const sqlCapture = stack.captureSql ? path.join(opts.logDir, `sql-server-${i + 1}-${++serverStarts}.json`) : null;
    const serverNodeArgs = [...(opts.serverNodeArgs ?? []), ...(sqlCapture ? ['--import', 'tsx', '--import', path.join(ROOT, 'scripts', 'bench', 'sql-capture.ts')] : [])];
    const name = i === 0 ? 'server' : `server-${i + 1}`;
    const proc = new NodeProcess(
      name,
      'server/main.ts',
      processEnv(i, { ...poolVars.server, PORT: String(serverPort), METRICS_PORT: String(metricsPort), ...(sqlCapture ? { BENCH_SQL_CAPTURE: sqlCapture } : {}) }),
      path.join(opts.logDir, `${name}.log`),
      { nodeArgs: serverNodeArgs },
    );
    proc.start();
    const entry = { process: proc, baseUrl: `http://127.0.0.1:${serverPort}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, sqlCapture };
    if (i === 0) stack.server = proc;
    try {
      await waitForHttp(`${entry.baseUrl}/health`, 180_000);
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return entry;
  };
  const startWorkerProcess = (i: number) => {
    const name = i === 0 ? 'workers' : `workers-${i + 1}`;
    const proc = new NodeProcess(name, 'workers/index.ts', processEnv(i, { ...poolVars.workers, ...opts.workerEnv }), path.join(opts.logDir, `${name}.log`), {
      restart: opts.restartWorkers,
    });
    proc.start();
    stack.workerProcesses.push(proc);
    if (i === 0) stack.workers = proc;
  };

  const stack: Stack = {
    pgServerUrl,
    databaseUrl,
    businessDb,
    engine: engineRef,
    engineClient: new EngineClient({ baseUrl: engineRef.restUrl, user: engineRef.user, password: engineRef.password }),
    engineHandle,
    enginePort,
    engineDbUrl,
    baseUrl,
    server: null,
    workers: null,
    engines,
    servers: [],
    workerProcesses: [],
    captureSql: opts.captureSql ?? false,
    env,
    pools,
    async startServer() {
      // The first server again when it is gone (stopped or killed), else one if there is none.
      const first = stack.servers[0];
      if (first && !first.process.alive()) {
        await first.process.stop();
        stack.servers[0] = await startServerProcess(0);
      } else if (!first) stack.servers.push(await startServerProcess(0));
    },
    startWorkers() {
      if (stack.workerProcesses.length === 0) startWorkerProcess(0);
    },
    async addEngineNode() {
      await buildEngine(opts.log);
      const nodePort = await freePort();
      const started = Date.now();
      const handle = await startNode(engineRef, nodePort, path.join(opts.logDir, `engine-${engines.length + 1}.log`));
      opts.log(`engine node ${engines.length + 1} ready on port ${nodePort} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const node = { restUrl: handle.restUrl, port: nodePort, handle };
      engines.push(node);
      return node;
    },
    async removeEngineNodes() {
      for (const node of engines.splice(1)) await node.handle?.stop();
    },
    async scaleServers(count) {
      while (stack.servers.length > count) await stack.servers.pop()!.process.stop();
      while (stack.servers.length < count) stack.servers.push(await startServerProcess(stack.servers.length));
    },
    async scaleWorkers(count) {
      while (stack.workerProcesses.length > count) await stack.workerProcesses.pop()!.stop();
      while (stack.workerProcesses.length < count) startWorkerProcess(stack.workerProcesses.length);
    },
    async restartEngine({ downMs = 1000 } = {}) {
      if (!engineHandle || !enginePort || !engineDbUrl) throw new Error('only an engine started by the stack can be restarted');
      await engineHandle.stop();
      const stoppedAt = Date.now();
      await sleep(downMs);
      engineHandle = await startNode(engineRef, enginePort, engineLog);
      stack.engineHandle = engineHandle;
      engines[0]!.handle = engineHandle;
      return { stoppedAt, readyAt: Date.now() };
    },
    async stop() {
      await Promise.all(stack.workerProcesses.map((w) => w.stop()));
      await Promise.all(stack.servers.map((s) => s.process.stop()));
      await stack.removeEngineNodes();
      if (engineHandle) await engineHandle.stop();
      await dropDatabase(pgServerUrl, businessDb).catch(() => {});
      if (engineDb) await dropDatabase(enginePgServerUrl, engineDb).catch(() => {});
      if (pg) await pg.stop();
    },
  };
  return stack;
}
