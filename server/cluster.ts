/**
 * Several server processes behind one address (`npm start -- --servers 2`, or SERVER_PROCESSES=n):
 * Node's cluster module shares the port, handing each new connection to the processes in turn.
 * The server keeps no state of its own (sessions live in PostgreSQL, live events travel through
 * PostgreSQL's LISTEN/NOTIFY), so any process serves any user. The primary starts the first
 * process alone (it migrates the database and deploys the diagrams), then the others, restarts one
 * that dies, and on SIGTERM/SIGINT stops them all, each draining as server/main.ts does.
 */
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { consoleLogger } from '../platform/log.ts';

const count = Number(process.env.SERVER_PROCESSES ?? '2');
const log = consoleLogger('server-cluster', 'info');

if (!Number.isInteger(count) || count < 1 || count > 16) {
  log.error(`SERVER_PROCESSES must be a number from 1 to 16, got "${process.env.SERVER_PROCESSES}"`);
  process.exit(1);
}

const main = path.join(import.meta.dirname, `main${path.extname(import.meta.filename)}`);
cluster.setupPrimary({ exec: main });

let stopping = false;
let crashes = 0;
let lastCrash = 0;
const fork = (): Worker => {
  const w = cluster.fork();
  log.info(`server process ${w.process.pid} started`);
  return w;
};

cluster.on('exit', (w, code, signal) => {
  if (stopping) {
    // A process that has exited may still be listed until its channel closes ('exit' can come before 'disconnect').
    if (Object.values(cluster.workers ?? {}).every((x) => !x || x === w || x.isDead())) process.exit(0);
    return;
  }
  // A process that keeps dying (database away, bad settings) is started again ever more slowly.
  const now = Date.now();
  crashes = now - lastCrash < 60_000 ? crashes + 1 : 1;
  lastCrash = now;
  const delay = Math.min(30_000, 1000 * 2 ** (crashes - 1));
  log.warn(`server process ${w.process.pid} exited (${signal ?? code}); starting another in ${delay / 1000} s`);
  setTimeout(() => {
    if (!stopping) fork();
  }, delay);
});

// The first one alone: it runs the migrations and deploys the diagrams before the others start.
const first = fork();
first.once('listening', () => {
  for (let k = 1; k < count; k++) fork();
});

const shutdown = (why: string) => {
  if (stopping) return;
  stopping = true;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  log.info(`${why}: stopping ${workers.length} server processes`);
  if (workers.length === 0) process.exit(0);
  for (const w of workers) w.process.kill('SIGTERM');
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// Started by `npm start`'s supervisor: never outlive it.
if (process.send) process.on('disconnect', () => shutdown('supervisor gone'));
