/**
 * Topic request-opinions: one opinion request per consulted agency and round (R-10, R-13), created
 * once however often the task is delivered; hands the diagram the agencies and the deadline. An
 * opinion-request letter that names UBND tỉnh, its Chairman or its Office among its recipients is
 * refused (R-10) with a BPMN error: the opinions sub-process's boundary sends it back to the drafter.
 * In the round after an Office content return (R-30, issue 16) only the agencies the Office named
 * are asked; the others' opinions of earlier rounds stand.
 */
import { opinionDeadlines, toIsoLocal, subtractWorkingDays } from '../domain/calendar.ts';
import { checkOpinionRequestRecipients } from '../domain/rules/r10-opinions-gate.ts';
import { candidateGroup } from '../domain/access.ts';
import type { Policy } from '../config/policy.ts';
import type { Dossier } from '../store/entities/dossier.ts';
import { transition } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { earliestOpinionDue, requestOpinion } from '../store/opinions.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireInt } from './runtime/vars.ts';
import { DOSSIER_STEP_VARIABLES, rejectStep, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'request-opinions';

/** The engine has no JSON lists: the multi-instance reads a count and a comma-separated list. */
export function agenciesVariables(agencies: readonly string[]): { opinionCount: number; opinionAgenciesCsv: string } {
  for (const a of agencies) if (!/^[A-Z][A-Z0-9_]*$/.test(a)) throw new WorkerFault(`bad agency code "${a}"`);
  return { opinionCount: agencies.length, opinionAgenciesCsv: agencies.join(',') };
}

/**
 * the agencies an Office content return named for this round (reconsultRound,
 * reconsultAgenciesCsv, set by the office-check handler), or null when the round asks everyone.
 */
export function reconsultScope(vars: Record<string, unknown>, round: number): string[] | null {
  if (vars.reconsultRound !== round) return null;
  const csv = vars.reconsultAgenciesCsv;
  if (typeof csv !== 'string') throw new WorkerFault('process variable "reconsultAgenciesCsv" is missing for the re-consultation round');
  return csv.split(',').filter((a) => a !== '');
}

/** The pure decision: which agencies to ask (all consulted, or those a content return named), and by when. */
export function decideRequests(
  dossier: Pick<Dossier, 'consultedAgencyCodes'>,
  policy: Pick<Policy, 'calendar' | 'deadlines'>,
  now: Date,
  scope: readonly string[] | null = null,
): { agencies: string[]; opinionDueAt: string } {
  const agencies = [...new Set(dossier.consultedAgencyCodes)].filter((a) => scope === null || scope.includes(a)).sort();
  const { opinionDueAt } = opinionDeadlines(now, policy.calendar, policy.deadlines);
  return { agencies, opinionDueAt };
}

/** The reminder goes out before the deadline, and never in the past. */
export function reminderAt(due: Date, policy: Pick<Policy, 'calendar' | 'deadlines'>, now: Date): Date {
  const reminder = subtractWorkingDays(due, policy.deadlines.reminderBefore, policy.calendar);
  return reminder.getTime() > now.getTime() ? reminder : new Date(now.getTime() + 60_000);
}

export const requestOpinions: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: [...DOSSIER_STEP_VARIABLES, 'reconsultRound', 'reconsultAgenciesCsv'],
  async handle(ctx) {
    const { policy, now } = ctx;
    const round = requireInt(ctx.vars, 'round');
    return withDossierFacts(ctx, async (step) => {
      const { m, dossier, dossierId, key } = step;
      // nothing goes to UBND tỉnh, not even a copy, while opinions are being gathered.
      const toUbnd = checkOpinionRequestRecipients(step.facts.documents, policy.rules);
      if (toUbnd.length > 0) {
        return rejectStep(step, toUbnd, { round, to: 'REVISION_REQUIRED', action: 'OPINION_REQUEST_REFUSED', returnSource: 'GATE' });
      }
      const { agencies, opinionDueAt } = decideRequests(dossier, policy, now, reconsultScope(ctx.vars, round));
      for (const agency of agencies) {
        if (await requestOpinion(m, { dossierId, agencyCode: agency, round, dueAt: new Date(opinionDueAt) })) {
          await notify(m, {
            dossierId,
            kind: 'OPINION_REQUESTED',
            recipientGroup: candidateGroup(agency, 'chuyenvien'),
            message: `Đề nghị tham gia ý kiến hồ sơ ${dossierId} (lần ${round}), hạn ${opinionDueAt}.`,
            idempotencyKey: `opinion-requested:${dossierId}:${agency}:${round}`,
          });
        }
      }
      // A redelivery keeps the deadline set the first time.
      const due = (await earliestOpinionDue(m, dossierId, round)) ?? new Date(opinionDueAt);
      await transition(m, dossierId, 'CONSULTING', {
        action: 'OPINIONS_REQUESTED',
        actorRole: 'SYSTEM',
        ruleId: 'R-13',
        details: { agencies, round, dueAt: due.toISOString() },
        idempotencyKey: key,
      });
      return complete({ ...agenciesVariables(agencies), opinionDueAt: toIsoLocal(due), opinionReminderAt: toIsoLocal(reminderAt(due, policy, now)) });
    });
  },
};
