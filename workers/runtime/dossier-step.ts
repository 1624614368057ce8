/** The frame of a worker step on one dossier: its variables, one transaction, its facts. */
import type { EntityManager } from 'typeorm';
import type { DossierFacts } from '../../domain/facts.ts';
import { loadDossierWithFacts } from '../../store/dossier-facts.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import { recordStarted } from '../../store/audit.ts';
import { changedRows } from '../../store/round-trips.ts';
import { WorkerFault } from './outcome.ts';
import { requireInt, requireString } from './vars.ts';
import type { WorkerContext } from './run-worker.ts';

export type DossierStep = {
  m: EntityManager;
  facts: DossierFacts;
  dossierId: string;
  round: number;
  /** Idempotency key of this delivery's writes: a redelivered task writes nothing twice. */
  key: string;
};

/** The process variables withDossierFacts reads: part of the `variables` of every worker that uses it. */
export const DOSSIER_STEP_VARIABLES = ['dossierId', 'round'] as const;

/** Runs `fn` in one transaction with the dossier's facts; a dossier that does not exist is a fault (incident). */
export function withDossierFacts<T>(ctx: WorkerContext, fn: (step: DossierStep) => Promise<T>, opts: { signatures?: boolean } = {}): Promise<T> {
  const dossierId = requireString(ctx.vars, 'dossierId');
  const round = requireInt(ctx.vars, 'round');
  return ctx.ds.transaction(async (m) => {
    const loaded = await loadDossierWithFacts(m, dossierId, ctx.now, opts);
    if (!loaded) throw new WorkerFault(`dossier ${dossierId} does not exist`);
    if (!loaded.dossier.processInstanceId && ctx.task.processInstanceId) await adoptInstance(m, loaded.dossier, ctx.task.processInstanceId);
    return fn({ m, facts: loaded.facts, dossierId, round, key: `${ctx.task.topicName}:${ctx.task.id}` });
  });
}

/**
 * The engine started this dossier's instance but the server's transaction recording it did not
 * commit (our database went away in between; the creator got a 503). The instance runs, and its
 * steps would move the dossier on without its link, its STARTED event or VALIDATING: the fault run
 * ended with dossiers DECIDED_APPROVED and no instance. The first step records what the server
 * would have, under the server's own idempotency key, so a later start from the list finds it done.
 */
async function adoptInstance(m: EntityManager, dossier: Dossier, processInstanceId: string): Promise<void> {
  // Usually the server's start is only late, not lost: it holds the row until it commits, and then
  // this finds the link set and leaves everything to it.
  const rows = await changedRows<{ status: string }>(m, 'UPDATE dossier SET process_instance_id = $2 WHERE id = $1 AND process_instance_id IS NULL RETURNING status', [
    dossier.id,
    processInstanceId,
  ]);
  if (rows[0]?.status !== 'DRAFT') return;
  await recordStarted(m, dossier.id, processInstanceId, { actorUserId: null, actorRole: 'SYSTEM', recordedBy: 'worker' });
}
