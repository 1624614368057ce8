/**
 * What every task form's handler works with: the dossier's completion step (one transaction, the
 * dossier locked, the task's own idempotency key) and the shape of a handler, so that a form is
 * one file under server/tasks/forms/ named after its formKey, as a worker topic is under workers/.
 */
import type { EntityManager } from 'typeorm';
import type { DossierStatus } from '../../../domain/model.ts';
import type { PlainValue } from '../../../platform/engine/variables.ts';
import type { Dossier } from '../../../store/entities/dossier.ts';
import { recordAudit, transition } from '../../../store/audit.ts';
import type { SessionUser } from '../../auth.ts';
import type { ServerDeps } from '../../deps.ts';
import type { FormKey, TaskFormData } from '../../forms/index.ts';
import { assertFormMetadataOnly } from '../../dossiers/documents.ts';

export type FormStep = {
  /** The round as the engine has it: the diagram's truth, kept equal to the dossier's by these handlers. */
  round: number;
  deps: ServerDeps;
  m: EntityManager;
  actor: SessionUser;
  taskId: string;
  dossier: Dossier;
  vars: Record<string, unknown>;
  now: Date;
};

/** The variables the engine task is completed with, and whether the next tasks' due dates are refreshed. */
export type FormResult = { variables: Record<string, PlainValue | undefined>; refreshDeadlines: boolean };

/** The task of a non-dossier process (an incoming document, an assigned task), as its form's handler gets it. */
export type OwnTask = { id: string; processInstanceId: string };

export type TaskForm<K extends FormKey> =
  /** A step of a dossier: recorded in the dossier's transaction, then the engine task is completed with `variables`. */
  | { formKey: K; of: 'dossier'; complete(step: FormStep, data: TaskFormData[K]): Promise<FormResult> }
  /** A task of another process: the handler records it and completes the engine task itself. */
  | { formKey: K; of: 'own-process'; complete(deps: ServerDeps, actor: SessionUser, task: OwnTask, data: TaskFormData[K]): Promise<void> };

export function dossierForm<K extends FormKey>(formKey: K, complete: (step: FormStep, data: TaskFormData[K]) => Promise<FormResult>): TaskForm<K> {
  return {
    formKey,
    of: 'dossier',
    complete: (step, data) => {
      // whatever the form, a secret dossier's step records its metadata only.
      assertFormMetadataOnly(step.dossier.secrecyLevel, formKey, data as Readonly<Record<string, unknown>>);
      return complete(step, data);
    },
  };
}

/** The idempotency key of everything a completion writes: a retry after an engine error writes nothing twice. */
export const stepKey = (s: Pick<FormStep, 'taskId'>): string => `task:${s.taskId}`;

/** An audit event of the step, by the person completing it. */
export const auditStep = (s: FormStep, action: string, extra: { ruleId?: string; details?: Record<string, unknown> } = {}) =>
  recordAudit(s.m, { dossierId: s.dossier.id, action, actorUserId: s.actor.id, actorRole: s.actor.role, idempotencyKey: stepKey(s), ...extra });

/** Moves the dossier, audited as the step of the person completing it. */
export const moveDossier = (s: FormStep, to: DossierStatus, action: string, extra: { ruleId?: string; details?: Record<string, unknown>; closed?: boolean } = {}) =>
  transition(
    s.m,
    s.dossier.id,
    to,
    { action, actorUserId: s.actor.id, actorRole: s.actor.role, idempotencyKey: stepKey(s), ruleId: extra.ruleId, details: extra.details },
    { closed: extra.closed },
  );
