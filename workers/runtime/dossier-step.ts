/**
 * The frame every worker step on one dossier runs in: its variables, one transaction, the dossier
 * (adopting the instance when the server's record of it was lost), its facts when the rules need
 * them, and the one way to refuse (a BPMN error routed back to a person).
 */
import type { EntityManager } from 'typeorm';
import type { DossierFacts } from '../../domain/facts.ts';
import type { DossierStatus } from '../../domain/model.ts';
import { returnReasonOf, type RuleViolation } from '../../domain/errors.ts';
import { loadDossierWithFacts } from '../../store/dossier-facts.ts';
import { linkInstanceIfUnlinked, loadDossier } from '../../store/dossiers.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import { recordStarted, transition } from '../../store/audit.ts';
import { recordReturn } from '../../store/submissions.ts';
import { inTransaction } from '../../store/transaction.ts';
import { WorkerFault, type Outcome } from './outcome.ts';
import { requireInt, requireString, violationsError } from './vars.ts';
import type { WorkerContext } from './run-worker.ts';

export type DossierStep = {
  m: EntityManager;
  dossier: Dossier;
  dossierId: string;
  /** Idempotency key of this delivery's writes: a redelivered task writes nothing twice. */
  key: string;
};

export type DossierFactsStep = DossierStep & { facts: DossierFacts; round: number };

/** The process variables withDossier reads: part of the `variables` of every worker that uses it. */
export const DOSSIER_VARIABLES = ['dossierId'] as const;

/** The process variables withDossierFacts reads: part of the `variables` of every worker that uses it. */
export const DOSSIER_STEP_VARIABLES = [...DOSSIER_VARIABLES, 'round'] as const;

/**
 * Runs `fn` in one transaction on the dossier of the task's `dossierId`, without its facts (a
 * notice or a bookkeeping step); a dossier that does not exist is a fault (incident).
 */
export function withDossier<T>(ctx: WorkerContext, fn: (step: DossierStep) => Promise<T>): Promise<T> {
  const dossierId = requireString(ctx.vars, 'dossierId');
  return inTransaction(ctx.ds, async (m) => {
    const dossier = await loadDossier(m, dossierId);
    if (!dossier) throw new WorkerFault(`dossier ${dossierId} does not exist`);
    await adoptInstance(m, ctx, dossier);
    return fn({ m, dossier, dossierId, key: stepKey(ctx) });
  });
}

/** Runs `fn` in one transaction with the dossier's facts for the rules; a dossier that does not exist is a fault (incident). */
export function withDossierFacts<T>(ctx: WorkerContext, fn: (step: DossierFactsStep) => Promise<T>, opts: { signatures?: boolean } = {}): Promise<T> {
  const dossierId = requireString(ctx.vars, 'dossierId');
  const round = requireInt(ctx.vars, 'round');
  return inTransaction(ctx.ds, async (m) => {
    const loaded = await loadDossierWithFacts(m, dossierId, ctx.now, opts);
    if (!loaded) throw new WorkerFault(`dossier ${dossierId} does not exist`);
    await adoptInstance(m, ctx, loaded.dossier);
    return fn({ m, dossier: loaded.dossier, facts: loaded.facts, dossierId, round, key: stepKey(ctx) });
  });
}

const stepKey = (ctx: WorkerContext): string => `${ctx.task.topicName}:${ctx.task.id}`;

/**
 * The one reject path: the dossier goes back to `to` with the first broken rule on its audit event
 * (and, when that rule is a reason the Office counts, a return of `returnSource`, R-30), and the
 * diagram gets the BPMN error that routes it to a person.
 */
export async function rejectStep(
  step: DossierStep,
  violations: readonly RuleViolation[],
  r: { round: number; to: DossierStatus; action: string; returnSource?: 'GATE' | 'APPRAISAL'; details?: Record<string, unknown> },
): Promise<Outcome> {
  const first = violations[0];
  if (!first) throw new Error('rejectStep needs at least one violation');
  const reason = r.returnSource ? returnReasonOf(first.code) : null;
  if (r.returnSource && reason) {
    await recordReturn(step.m, { dossierId: step.dossierId, round: r.round, source: r.returnSource, reason, note: first.message, idempotencyKey: step.key });
  }
  await transition(step.m, step.dossierId, r.to, {
    action: r.action,
    actorRole: 'SYSTEM',
    ruleId: first.rule,
    errorCode: first.code,
    details: r.details ?? { errors: violations.map((v) => v.code) },
    idempotencyKey: step.key,
  });
  return violationsError(violations);
}

/**
 * The engine started this dossier's instance but the server's transaction recording it did not
 * commit (our database went away in between; the creator got a 503). The instance runs, and its
 * steps would move the dossier on without its link, its STARTED event or VALIDATING. The first
 * step records what the server would have, under the server's own idempotency key, so a later
 * start from the list finds it done.
 */
async function adoptInstance(m: EntityManager, ctx: WorkerContext, dossier: Dossier): Promise<void> {
  const processInstanceId = ctx.task.processInstanceId;
  if (dossier.processInstanceId || !processInstanceId) return;
  // Usually the server's start is only late, not lost: it holds the row until it commits, and then
  // this finds the link set and leaves everything to it.
  const status = await linkInstanceIfUnlinked(m, dossier.id, processInstanceId);
  if (status !== 'DRAFT') return;
  await recordStarted(m, dossier.id, processInstanceId, { actorUserId: null, actorRole: 'SYSTEM', recordedBy: 'worker' });
}
