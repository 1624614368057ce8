/**
 * Topic report-delay: the dossier is past its deadline. It is flagged overdue, the
 * Office is told, and the diagram opens the Office's follow-up task. The work goes on.
 */
import { candidateGroup, OFFICE_AGENCY } from '../domain/access.ts';
import { addWorkingDays, toIsoLocal } from '../domain/calendar.ts';
import { recordAudit } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { flagOverdue } from '../store/dossiers.ts';
import { complete } from './runtime/outcome.ts';
import { requireString } from './runtime/vars.ts';
import { withDossier } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'report-delay';

export const reportDelay: WorkerDefinition = {
  topic,
  // A side branch (event sub-process): it must not overwrite the main path's variables.
  refreshesDeadlines: false,
  variables: ['dossierId', 'leadAgency'],
  async handle(ctx) {
    const { now, policy } = ctx;
    const leadAgency = requireString(ctx.vars, 'leadAgency');
    await withDossier(ctx, async ({ m, dossierId }) => {
      await flagOverdue(m, dossierId);
      const key = `report-delay:${dossierId}`;
      await recordAudit(m, { dossierId, action: 'DOSSIER_OVERDUE', actorRole: 'SYSTEM', ruleId: 'R-22', idempotencyKey: key });
      for (const group of [candidateGroup(OFFICE_AGENCY, 'theodoi'), candidateGroup(leadAgency, 'lanhdao')]) {
        await notify(m, {
          dossierId,
          kind: 'DOSSIER_OVERDUE',
          recipientGroup: group,
          message: `Hồ sơ ${dossierId} của ${leadAgency} đã quá hạn xử lý.`,
          idempotencyKey: `${key}:${group}`,
        });
      }
    });
    return complete({ overdue: true, followUpDueAt: toIsoLocal(addWorkingDays(now, policy.deadlines.followUp, policy.calendar)) });
  },
};
