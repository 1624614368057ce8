/**
 * The data a task's form reads besides its own fields, one object for both sides: the web app gives
 * it to form-js (option lists, templated text, conditions) and the server validates the completion
 * against it (`valuesKey` options, `conditional.hide`).
 */
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { visibleDossier } from '../dossiers/service.ts';
import { mayReadContent, presentDossier } from '../present/dossier.ts';
import { agencyNames } from '../../store/organisation.ts';
import type { FormContext, FormOption } from './index.ts';

export type TaskFormContext = FormContext & {
  /** The lead agency's options, as the dossier is shown to this user. */
  options: FormOption[];
  /** The agencies the dossier consulted, by name: those an Office content return may consult again. */
  consultedAgencies: FormOption[];
  /** Why the task came back (a worker's rule message or the Office's return), for those entitled to read it. */
  lastErrorMessage: string | null;
  /** The user's role: the sign form asks a deputy, and only a deputy, for the urgent reason. */
  userRole: string;
};

/** The context of a task's form for this user: what the page renders and the completion is checked against. */
export async function taskFormContext(
  deps: ServerDeps,
  actor: SessionUser,
  task: { id: string; dossierId: string | null },
): Promise<TaskFormContext> {
  if (!task.dossierId) return { options: [], consultedAgencies: [], lastErrorMessage: null, userRole: actor.role };
  const dossier = await visibleDossier(deps, actor, task.dossierId);
  // The options of a secret dossier are its content: masked like the rest for those not entitled.
  const shown = presentDossier(actor, dossier);
  const vars = await deps.engineDb.taskVariables(task.id, ['lastErrorMessage']);
  const message = typeof vars.lastErrorMessage === 'string' && vars.lastErrorMessage.trim() ? vars.lastErrorMessage : null;
  const consulted = [...new Set(dossier.consultedAgencyCodes)].sort();
  const names = await agencyNames(deps.ds, consulted);
  return {
    options: shown.options.map((o) => ({ value: o.id, label: o.title })),
    consultedAgencies: consulted.map((code) => ({ value: code, label: names.get(code) ?? code })),
    lastErrorMessage: mayReadContent(actor, dossier) ? message : null,
    userRole: actor.role,
  };
}
