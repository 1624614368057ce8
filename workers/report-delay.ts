/**
 * Topic report-delay: the dossier is past its deadline. It is flagged overdue, the
 * Office is told, and the diagram opens the Office's follow-up task. The work goes on.
 */
import { recordAudit } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { addWorkingDays, toIsoLocal } from '../domain/calendar.ts';
import { requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'report-delay';

export const reportDelay: WorkerDefinition = {
  topic,
  // A side branch (event sub-process): it must not overwrite the main path's variables.
  refreshesDeadlines: false,
  variables: ['dossierId', 'leadAgency'],
  async handle({ vars, ds, now, policy }) {
    const dossierId = requireString(vars, 'dossierId');
    const leadAgency = requireString(vars, 'leadAgency');
    await ds.transaction(async (m) => {
      await m.query('UPDATE dossier SET overdue = true, updated_at = now() WHERE id = $1 AND NOT overdue', [dossierId]);
      const key = `report-delay:${dossierId}`;
      await recordAudit(m, { dossierId, action: 'DOSSIER_OVERDUE', actorRole: 'SYSTEM', ruleId: 'R-22', idempotencyKey: key });
      for (const group of ['VPUBND_theodoi', `${leadAgency}_lanhdao`]) {
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
