/** The frame of a worker step on one dossier: its variables, one transaction, its facts. */
import type { EntityManager } from 'typeorm';
import type { DossierFacts } from '../../domain/facts.ts';
import { loadDossierFacts } from '../../store/dossier-facts.ts';
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

/** Runs `fn` in one transaction with the dossier's facts; a dossier that does not exist is a fault (incident). */
export function withDossierFacts<T>(ctx: WorkerContext, fn: (step: DossierStep) => Promise<T>, opts: { signatures?: boolean } = {}): Promise<T> {
  const dossierId = requireString(ctx.vars, 'dossierId');
  const round = requireInt(ctx.vars, 'round');
  return ctx.ds.transaction(async (m) => {
    const facts = await loadDossierFacts(m, dossierId, ctx.now, opts);
    if (!facts) throw new WorkerFault(`dossier ${dossierId} does not exist`);
    return fn({ m, facts, dossierId, round, key: `${ctx.task.topicName}:${ctx.task.id}` });
  });
}
