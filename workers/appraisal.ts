/**
 * Topic appraisal: the appraising agency's report must state a clear conclusion and whether
 * issuing is lawful; a vague one goes back to the appraiser. NOT_ELIGIBLE returns the
 * dossier to the drafter (R-20 routing in the diagram).
 */
import { checkAppraisalResult } from '../domain/rules/index.ts';
import { errorsOnly, returnReasonOf, violation } from '../domain/errors.ts';
import { recordReturn } from '../store/returns.ts';
import { transition } from '../store/audit.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { requireInt, requireString, violationsError } from './runtime/vars.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'appraisal';

export const appraisal: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: ['dossierId', 'round'],
  async handle({ task, vars, ds, policy }) {
    const dossierId = requireString(vars, 'dossierId');
    const round = requireInt(vars, 'round');
    return ds.transaction(async (m) => {
      const rows = (await m.query(
        'SELECT id, conclusion, lawful, reasons FROM appraisal WHERE dossier_id = $1 AND round = $2 ORDER BY created_at DESC LIMIT 1',
        [dossierId, round],
      )) as { id: string; conclusion: string | null; lawful: boolean | null; reasons: string | null }[];
      const row = rows[0];
      if (!row) throw new WorkerFault(`no appraisal recorded for dossier ${dossierId} round ${round}`);
      const errors = errorsOnly(
        checkAppraisalResult(
          {
            conclusion: (row.conclusion ?? undefined) as Parameters<typeof checkAppraisalResult>[0]['conclusion'],
            lawful: row.lawful ?? undefined,
            reasons: row.reasons ?? undefined,
          },
          policy.rules,
        ),
      );
      const key = `${topic}:${task.id}`;
      if (errors.length > 0) {
        await m.query(`UPDATE appraisal SET status = 'RETURNED_INCOMPLETE' WHERE id = $1`, [row.id]);
        await transition(m, dossierId, 'APPRAISING', {
          action: 'APPRAISAL_REJECTED',
          actorRole: 'SYSTEM',
          ruleId: errors[0]!.rule,
          errorCode: errors[0]!.code,
          idempotencyKey: key,
        });
        return violationsError(errors);
      }
      await m.query(`UPDATE appraisal SET status = 'COMPLETED' WHERE id = $1`, [row.id]);
      const next =
        row.conclusion === 'NOT_ELIGIBLE' ? 'REVISION_REQUIRED' : row.conclusion === 'ELIGIBLE_AFTER_REVISION' ? 'REVISING_AFTER_APPRAISAL' : 'DRAFTING_SUBMISSION';
      await transition(m, dossierId, next, {
        action: 'APPRAISAL_ACCEPTED',
        actorRole: 'SYSTEM',
        ruleId: 'R-21',
        details: { conclusion: row.conclusion, lawful: row.lawful },
        idempotencyKey: key,
      });
      if (row.conclusion !== 'NOT_ELIGIBLE') return complete({ appraisalConclusion: row.conclusion });
      // the appraisal sends the dossier back to the drafter; that return is counted like any other.
      const notEligible = violation('ERR_APPRAISAL_NOT_ELIGIBLE', { conclusion: row.conclusion });
      const message = `${notEligible.message} ${row.reasons ?? ''}`.trim();
      const reason = returnReasonOf(notEligible.code);
      if (reason) await recordReturn(m, { dossierId, round, source: 'APPRAISAL', reason, note: row.reasons, idempotencyKey: key });
      return complete({ appraisalConclusion: row.conclusion, lastErrorCode: notEligible.code, lastErrorMessage: message });
    });
  },
};
