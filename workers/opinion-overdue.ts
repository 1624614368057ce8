/**
 * Topic opinion-overdue: an agency missed its opinion deadline. The request becomes
 * OVERDUE and the lead agency and the Office are told; the task stays open, a late opinion is
 * still accepted.
 */
import { recordAudit } from '../store/audit.ts';
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { requireInt, requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'opinion-overdue';

export const opinionOverdue: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'opinionAgency', 'leadAgency', 'round'],
  async handle({ vars, ds }) {
    const dossierId = requireString(vars, 'dossierId');
    const agency = requireString(vars, 'opinionAgency');
    const leadAgency = requireString(vars, 'leadAgency');
    const round = requireInt(vars, 'round');
    await ds.transaction(async (m) => {
      await m.query(`UPDATE opinion_request SET status = 'OVERDUE' WHERE dossier_id = $1 AND agency_code = $2 AND round = $3 AND status = 'PENDING'`, [
        dossierId,
        agency,
        round,
      ]);
      const key = `opinion-overdue:${dossierId}:${agency}:${round}`;
      await recordAudit(m, { dossierId, action: 'OPINION_OVERDUE', actorRole: 'SYSTEM', ruleId: 'R-13', details: { agency, round }, idempotencyKey: key });
      for (const group of [`${leadAgency}_lanhdao`, `${leadAgency}_chuyenvien`, 'VPUBND_theodoi']) {
        await notify(m, {
          dossierId,
          kind: 'OPINION_OVERDUE',
          recipientGroup: group,
          message: `${agency} chưa gửi ý kiến về hồ sơ ${dossierId} (lần ${round}) đúng hạn.`,
          idempotencyKey: `${key}:${group}`,
        });
      }
    });
    return complete();
  },
};
