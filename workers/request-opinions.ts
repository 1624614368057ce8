/**
 * Topic request-opinions: one opinion request per consulted agency and round, created
 * once however often the task is delivered; hands the diagram the agencies and the deadline.
 */
import { opinionDeadlines, toIsoLocal, subtractWorkingDays } from '../domain/calendar.ts';
import { loadDossier } from '../store/dossier-row.ts';
import { transition } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireInt, requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'request-opinions';

/** The engine has no JSON lists: the multi-instance reads a count and a comma-separated list. */
export function agenciesVariables(agencies: readonly string[]): { opinionCount: number; opinionAgenciesCsv: string } {
  for (const a of agencies) if (!/^[A-Z][A-Z0-9_]*$/.test(a)) throw new WorkerFault(`bad agency code "${a}"`);
  return { opinionCount: agencies.length, opinionAgenciesCsv: agencies.join(',') };
}

export const requestOpinions: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: ['dossierId', 'round'],
  async handle({ task, vars, ds, policy, now }) {
    const dossierId = requireString(vars, 'dossierId');
    const round = requireInt(vars, 'round');
    return ds.transaction(async (m) => {
      const dossier = await loadDossier(m, dossierId);
      if (!dossier) throw new WorkerFault(`dossier ${dossierId} does not exist`);
      const agencies = [...new Set(dossier.consultedAgencyCodes)].sort();
      const { opinionDueAt } = opinionDeadlines(now, policy.calendar, policy.deadlines);
      for (const agency of agencies) {
        const inserted = (await m.query(
          `INSERT INTO opinion_request (dossier_id, agency_code, round, due_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (dossier_id, agency_code, round) DO NOTHING RETURNING id`,
          [dossierId, agency, round, new Date(opinionDueAt)],
        )) as unknown[];
        if (inserted.length > 0) {
          await notify(m, {
            dossierId,
            kind: 'OPINION_REQUESTED',
            recipientGroup: `${agency}_chuyenvien`,
            message: `Đề nghị tham gia ý kiến hồ sơ ${dossierId} (lần ${round}), hạn ${opinionDueAt}.`,
            idempotencyKey: `opinion-requested:${dossierId}:${agency}:${round}`,
          });
        }
      }
      // A redelivery keeps the deadline set the first time.
      const rows = (await m.query('SELECT min(due_at) AS due FROM opinion_request WHERE dossier_id = $1 AND round = $2', [dossierId, round])) as {
        due: Date | null;
      }[];
      const due = rows[0]?.due ?? new Date(opinionDueAt);
      const reminder = subtractWorkingDays(due, policy.deadlines.reminderBefore, policy.calendar);
      await transition(m, dossierId, 'CONSULTING', {
        action: 'OPINIONS_REQUESTED',
        actorRole: 'SYSTEM',
        ruleId: 'R-13',
        details: { agencies, round, dueAt: due.toISOString() },
        idempotencyKey: `${topic}:${task.id}`,
      });
      return complete({
        ...agenciesVariables(agencies),
        opinionDueAt: toIsoLocal(due),
        opinionReminderAt: toIsoLocal(reminder.getTime() > now.getTime() ? reminder : new Date(now.getTime() + 60_000)),
      });
    });
  },
};
