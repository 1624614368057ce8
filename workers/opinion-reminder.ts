/** Topic opinion-reminder: the reminder (đôn đốc) to a consulted agency before its deadline. */
import { notify } from '../store/notifications.ts';
import { complete } from './runtime/outcome.ts';
import { requireInt, requireString } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'opinion-reminder';

export const opinionReminder: WorkerDefinition = {
  topic,
  refreshesDeadlines: false,
  variables: ['dossierId', 'opinionAgency', 'round'],
  async handle({ vars, ds, now }) {
    const dossierId = requireString(vars, 'dossierId');
    const agency = requireString(vars, 'opinionAgency');
    const round = requireInt(vars, 'round');
    await ds.transaction(async (m) => {
      const fresh = await notify(m, {
        dossierId,
        kind: 'OPINION_REMINDER',
        recipientGroup: `${agency}_chuyenvien`,
        message: `Nhắc: sắp đến hạn tham gia ý kiến hồ sơ ${dossierId} (lần ${round}).`,
        idempotencyKey: `opinion-reminder:${dossierId}:${agency}:${round}`,
      });
      if (fresh) {
        await m.query(
          `UPDATE opinion_request SET reminded_at = array_append(reminded_at, $4) WHERE dossier_id = $1 AND agency_code = $2 AND round = $3`,
          [dossierId, agency, round, now],
        );
      }
    });
    return complete();
  },
};
