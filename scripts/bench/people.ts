/**
 * Dossiers driven through our API as the demo people would: the drafter creates them, and each
 * person works their own task list (claim, fill the form, complete) until told to stop. Used by
 * the whole-dossier benchmark and by the fault harness, where answers may be 503 for a while.
 */
import { ApiClient, ApiError } from '../lib/api-client.ts';
import { HttpCallError } from '../../platform/keep-alive-http.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { validDossierInput, opinionForm } from '../../test/support/dossiers.ts';
import { pool } from './stats.ts';
import { sleep } from './stack.ts';

export type PersonStep = { user: string; step: string; form: unknown };

/** From creation to forwarded (status SUBMITTED): two consulted agencies (specialist, then head's sign-off), the drafter, the head. */
export const STEPS_TO_FORWARD: readonly PersonStep[] = [
  { user: 'stc.chuyenvien', step: 'Task_GiveOpinion', form: opinionForm('STC') },
  { user: 'stc.giamdoc', step: 'Task_ApproveOpinion', form: { decision: 'APPROVE' } },
  { user: 'skhdt.chuyenvien', step: 'Task_GiveOpinion', form: opinionForm('SKHDT') },
  { user: 'skhdt.giamdoc', step: 'Task_ApproveOpinion', form: { decision: 'APPROVE' } },
  { user: 'sct.chuyenvien', step: 'Task_DraftSubmission', form: { documents: [] } },
  { user: 'sct.giamdoc', step: 'Task_Sign', form: { stamped: true } },
];

/** On to the end of the instance: the Office accepts, the Chairman approves. */
export const STEPS_TO_END: readonly PersonStep[] = [
  ...STEPS_TO_FORWARD,
  { user: 'vp.chuyenvien', step: 'Task_OfficeCheck', form: { outcome: 'ACCEPT' } },
  { user: 'ubnd.chutich', step: 'Task_LeaderDecision', form: { decision: 'APPROVED' } },
];

export type DriverStats = { created: string[]; createRetries: number; completed: number; transient: number; errors: string[] };

/** Answers that mean "try again later": the engine or our database is away, or a lost race. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 503 || err.status === 409 || err.status === 429;
  // No answer: the server is restarting or the connection dropped (node:http, or fetch's TypeError).
  return err instanceof HttpCallError || err instanceof TypeError || (err as Error)?.name === 'TimeoutError';
}

export async function login(baseUrl: string, user: string): Promise<ApiClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new ApiClient(baseUrl).login(user, DEMO_PASSWORD);
    } catch (err) {
      if (attempt > 50 || !isTransient(err)) throw err;
      await sleep(500);
    }
  }
}

async function retrying<T>(stats: DriverStats, fn: () => Promise<T>, stop: () => boolean): Promise<T | undefined> {
  for (let attempt = 0; !stop(); attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err)) throw err;
      stats.transient++;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
  return undefined;
}

/** Creates `count` dossiers, `concurrency` at a time, retrying while the system is unavailable. */
export async function createDossiers(baseUrl: string, count: number, concurrency: number, stats: DriverStats, tag = 'bench'): Promise<void> {
  const drafter = await login(baseUrl, 'sct.chuyenvien');
  await pool(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const input = validDossierInput({ externalRef: `${tag}-${i}` });
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', input);
        stats.created.push(r.dossier.id);
        return;
      } catch (err) {
        if (!isTransient(err) || attempt > 200) {
          stats.errors.push(`create: ${(err as Error).message}`);
          return;
        }
        stats.createRetries++;
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
      }
    }
  });
}

/**
 * Starts the dossiers that were stored but whose start the engine or database refused (the API
 * answered 503 after the record was committed): what the drafter does from the dossier list.
 */
export async function startDrafts(baseUrl: string, stats: DriverStats): Promise<number> {
  const drafter = await login(baseUrl, 'sct.chuyenvien');
  const drafts = await drafter.get<{ items: { id: string }[] }>('/api/dossiers?status=DRAFT&pageSize=200');
  for (const d of drafts.items) {
    await retrying(stats, () => drafter.post(`/api/dossiers/${d.id}/start`), () => false);
    if (!stats.created.includes(d.id)) stats.created.push(d.id);
  }
  return drafts.items.length;
}

type TaskItem = { id: string; dossierId: string | null };

/** One person working their list of one step until stop(): claim and complete, `parallel` at a time. */
export async function workTasks(baseUrl: string, s: PersonStep, stats: DriverStats, stop: () => boolean, parallel = 4): Promise<void> {
  const me = await login(baseUrl, s.user);
  const inFlight = new Set<string>();
  while (!stop()) {
    let items: TaskItem[];
    try {
      items = (await me.get<{ items: TaskItem[] }>(`/api/tasks?step=${s.step}&pageSize=50`)).items.filter((t) => !inFlight.has(t.id));
    } catch (err) {
      if (!isTransient(err)) {
        stats.errors.push(`list ${s.user}: ${(err as Error).message}`);
        if (err instanceof ApiError && err.status === 401) {
          await me.login(s.user, DEMO_PASSWORD).catch(() => {});
        }
      } else stats.transient++;
      await sleep(200);
      continue;
    }
    if (items.length === 0) {
      await sleep(40);
      continue;
    }
    await pool(items, parallel, async (t) => {
      inFlight.add(t.id);
      try {
        await me.claimAndComplete(t.id, s.form);
        stats.completed++;
      } catch (err) {
        // 404: completed by an earlier try whose answer was lost; 409: a race. Both are fine.
        if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return;
        if (isTransient(err)) stats.transient++;
        else stats.errors.push(`${s.step} ${t.dossierId} by ${s.user}: ${(err as Error).message}`);
      } finally {
        inFlight.delete(t.id);
      }
    });
  }
}

/** Counts our dossiers per status straight from the business database (store/bench-data.ts). */
export { dossierCounter } from '../../store/bench-data.ts';

export function newStats(): DriverStats {
  return { created: [], createRetries: 0, completed: 0, transient: 0, errors: [] };
}
