/**
 * Whole dossiers, creation to forwarded: through our API with the real workers, against a raw
 * driver that pushes the same diagram through the engine's REST API alone, with the variables the
 * diagram routes on and no business code.
 */
import { EngineClient } from '../../platform/engine/client.ts';
import { deployProcesses } from '../../platform/engine/deploy.ts';
import { PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { dossierDeadlines, nextDeadlines, toIsoLocal } from '../../domain/calendar.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import type { PlainValue } from '../../platform/engine/variables.ts';
import { toEngineVariables } from '../../platform/engine/variables.ts';
import { STEPS_TO_FORWARD, dossierCounter, createDossiers, newStats, workTasks, type DriverStats, type PersonStep } from './people.ts';
import { pool } from './stats.ts';
import { sleep, type EngineRef } from './stack.ts';

export type DossierRun = { n: number; seconds: number; perSec: number; lost: number; stats?: DriverStats };

/**
 * Through our API: the drafter creates N dossiers while the people work their lists; stops when
 * all are SUBMITTED. With several servers, each person (and each drafter's share) signs in to one
 * of them in turn, as users behind one address would be spread.
 */
export async function runApiDossiers(
  baseUrl: string | readonly string[],
  databaseUrl: string,
  n: number,
  log: (l: string) => void,
  opts: { timeoutMs?: number; tag?: string; steps?: readonly PersonStep[]; until?: string; target?: number } = {},
): Promise<DossierRun> {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  const timeoutMs = opts.timeoutMs ?? 1_800_000;
  const until = opts.until ?? 'SUBMITTED';
  // How many more dossiers must reach `until`: those created here, unless told (dossiers already under way).
  const target = opts.target ?? n;
  const stats = newStats();
  let stop = false;
  const counter = dossierCounter(databaseUrl);
  const before = await counter.count(until);
  const t0 = performance.now();
  const people = (opts.steps ?? STEPS_TO_FORWARD).map((s, i) => workTasks(urls[i % urls.length]!, s, stats, () => stop));
  const share = (k: number) => Math.floor(n / urls.length) + (k < n % urls.length ? 1 : 0);
  const creating = n === 0 ? Promise.resolve() : Promise.all(urls.map((u, k) => createDossiers(u, share(k), Math.ceil(8 / urls.length), stats, `${opts.tag ?? 'bench'}-${k}`)));
  // A creation the server refused is the driver's error, not a dossier to wait for: once creating is over, only those accepted count.
  let creationOver = false;
  void creating.then(() => (creationOver = true));
  const goal = () => (opts.target === undefined && creationOver ? Math.min(target, stats.created.length) : target);
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  let lastLog = Date.now();
  while (Date.now() < deadline) {
    done = (await counter.count(until).catch(() => before + done)) - before;
    if (done >= goal()) break;
    if (Date.now() - lastLog > 10_000) {
      log(`  ${done}/${target} ${until} (${stats.created.length} created, ${stats.completed} tasks done)`);
      lastLog = Date.now();
    }
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await creating;
  await Promise.all(people);
  await counter.close();
  if (stats.errors.length) log(`  API driver errors: ${stats.errors.slice(0, 5).join(' | ')}`);
  if (goal() < target) log(`  ${target - goal()} of ${target} dossiers refused at creation (see the driver errors)`);
  return { n: goal(), seconds, perSec: done / seconds, lost: Math.max(0, goal() - done), stats };
}

/** The start variables our server gives a dossier's instance, computed the same way (two consulted agencies, no appraisal). */
export function startVariables(id: string, now: Date, leadAgency = 'SCT'): Record<string, PlainValue | undefined> {
  return {
    dossierId: id,
    leadAgency,
    round: 1,
    needsOpinions: true,
    requiresAppraisal: false,
    appraiserAgency: 'STP',
    channel: 'ELECTRONIC',
    urgent: false,
    assignedToUbndMember: false,
    leadHeadUserId: `${leadAgency.toLowerCase()}.giamdoc`,
    secrecyLevel: 'NONE',
    ...dossierDeadlines(now, null, DEFAULT_POLICY.calendar, DEFAULT_POLICY.deadlines),
    ...nextDeadlines(now, DEFAULT_POLICY.calendar, DEFAULT_POLICY.deadlines),
  };
}

/** What each topic hands back to the diagram (the happy path's routing variables). */
function topicVariables(topic: string, now: Date): Record<string, PlainValue | undefined> {
  const deadlines = nextDeadlines(now, DEFAULT_POLICY.calendar, DEFAULT_POLICY.deadlines);
  const far = new Date(now.getTime() + 30 * 86_400_000);
  switch (topic) {
    case 'validate-dossier':
      return { ...deadlines, needsOpinions: true, lastWarnings: '' };
    case 'request-opinions':
      return { ...deadlines, opinionCount: 2, opinionAgenciesCsv: 'SKHDT,STC', opinionDueAt: toIsoLocal(far), opinionReminderAt: toIsoLocal(new Date(far.getTime() - 86_400_000)) };
    case 'consolidate-opinions':
      return { ...deadlines, opinionsDiffer: false, lateOpinionCount: 0 };
    case 'forward-to-ubnd':
      return { ...deadlines, channel: 'ELECTRONIC' };
    default:
      return deadlines;
  }
}

const RAW_TOPICS = ['validate-dossier', 'request-opinions', 'consolidate-opinions', 'head-signature', 'forward-to-ubnd'];
const RAW_USER_STEPS = [
  { step: 'Task_GiveOpinion', group: 'STC_chuyenvien', user: 'stc.chuyenvien' },
  { step: 'Task_ApproveOpinion', group: 'STC_lanhdao', user: 'stc.giamdoc' },
  { step: 'Task_GiveOpinion', group: 'SKHDT_chuyenvien', user: 'skhdt.chuyenvien' },
  { step: 'Task_ApproveOpinion', group: 'SKHDT_lanhdao', user: 'skhdt.giamdoc' },
  { step: 'Task_DraftSubmission', group: 'SCT_chuyenvien', user: 'sct.chuyenvien' },
  { step: 'Task_Sign', group: 'SCT_lanhdao', user: 'sct.giamdoc' },
];

/**
 * The raw driver: starts N instances, completes external tasks with a fetchAndLock loop, and user
 * tasks by listing, claiming and completing them; done when every instance waits at Task_OfficeCheck.
 * Our workers must not be subscribed to the same topics meanwhile.
 */
export async function runRawDossiers(engineRef: EngineRef, n: number, log: (l: string) => void, timeoutMs = 1_800_000): Promise<DossierRun & { instanceIds: string[]; callsPerStep: number }> {
  const engine = new EngineClient({ baseUrl: engineRef.restUrl, user: engineRef.user, password: engineRef.password, timeoutMs: 60_000 });
  await deployProcesses(engine);
  const tag = `RAW-${Date.now()}`;
  let stop = false;
  const instanceIds: string[] = [];
  const workerId = `bench-raw-${process.pid}`;
  let errors = 0;
  let lastError = '';
  let stepCalls = 0;
  let steps = 0;
  const external = (async () => {
    while (!stop) {
      try {
        const tasks = await engine.request<{ id: string; topicName: string }[]>('POST', '/external-task/fetchAndLock', {
          workerId,
          maxTasks: 25,
          asyncResponseTimeout: 1000,
          topics: RAW_TOPICS.map((topicName) => ({ topicName, lockDuration: 30_000 })),
        });
        await Promise.all(
          tasks.map((t) =>
            engine
              .request('POST', `/external-task/${t.id}/complete`, { workerId, variables: toEngineVariables(topicVariables(t.topicName, new Date())) })
              .catch(() => {
                // A lost optimistic-locking race: the lock expires and the task comes again.
              }),
          ),
        );
      } catch (err) {
        errors++;
        lastError = (err as Error).message;
        await sleep(100);
      }
    }
  })();
  const people = RAW_USER_STEPS.map(async (s) => {
    const inFlight = new Set<string>();
    while (!stop) {
      const tasks = (
        await engine.request<{ id: string }[]>(
          'POST',
          '/task',
          // Assigned to me as well: a completion that lost an optimistic-locking race is tried again.
          { taskDefinitionKey: s.step, processInstanceBusinessKeyLike: `${tag}%`, orQueries: [{ candidateGroup: s.group, assignee: s.user }], sorting: [{ sortBy: 'dueDate', sortOrder: 'asc' }] },
          { maxResults: 50 },
        ).catch((err: Error) => {
          errors++;
          lastError = err.message;
          return [];
        })
      ).filter((t) => !inFlight.has(t.id));
      if (tasks.length === 0) {
        await sleep(40);
        continue;
      }
      // The list that found work, then a claim and a completion per task.
      stepCalls++;
      await pool(tasks, 4, async (t) => {
        inFlight.add(t.id);
        try {
          stepCalls++;
          await engine.claim(t.id, s.user);
          stepCalls++;
          // An opinion's steps write no shared variable; the head's sign-off sets its agency's local decision (R-14).
          const vars = s.step === 'Task_GiveOpinion' ? {} : s.step === 'Task_ApproveOpinion' ? { opinionDecision: 'APPROVE' } : nextDeadlines(new Date(), DEFAULT_POLICY.calendar, DEFAULT_POLICY.deadlines);
          await engine.complete(t.id, vars);
          steps++;
        } catch {
          // A parallel opinion of the same instance won the optimistic lock: listed and tried again.
        } finally {
          inFlight.delete(t.id);
        }
      });
    }
  });
  const t0 = performance.now();
  const starting = pool(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
    const id = `${tag}-${i}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await engine.startProcess(PROCESS_KEY, id, startVariables(id, new Date()));
        instanceIds.push(r.id);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await sleep(200);
      }
    }
  });
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  while (Date.now() < deadline) {
    done = (await engine.request<{ count: number }>('POST', '/task/count', { taskDefinitionKey: 'Task_OfficeCheck', processInstanceBusinessKeyLike: `${tag}%` }).catch(() => ({ count: done }))).count;
    if (done >= n) break;
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await starting;
  await Promise.allSettled([external, ...people]);
  log(`raw driver: ${done}/${n} at Task_OfficeCheck in ${seconds.toFixed(1)} s${errors ? `; ${errors} engine errors, last: ${lastError}` : ''}`);
  return { n, seconds, perSec: done / seconds, lost: n - done, instanceIds, callsPerStep: stepCalls / Math.max(1, steps) };
}
