/**
 * after an opinion deadline has passed, the lead agency's head may decide to go on without
 * that agency's opinion ("chưa có ý kiến"). Recorded, then the engine's waiting task is ended by
 * the OpinionWaived message for that agency only.
 */
import { checkWaiver } from '../../domain/rules/r13-opinion-deadline.ts';
import { recordAudit } from '../../store/audit.ts';
import { opinionRequestForWaiver, waiveOpinionRequest } from '../../store/opinions.ts';
import { inTransaction } from '../../store/transaction.ts';
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError, ruleError } from '../errors.ts';
import { visibleDossier } from './service.ts';
import { toEngineVariables } from '../../platform/engine/variables.ts';
import { EngineError } from '../../platform/engine/client.ts';

export async function waiveOpinion(deps: ServerDeps, actor: SessionUser, dossierId: string, agency: string, reason: string): Promise<void> {
  const d = await visibleDossier(deps, actor, dossierId);
  const now = deps.now?.() ?? new Date();
  const req = await opinionRequestForWaiver(deps.ds, dossierId, agency, d.round);
  if (!req) throw new ApiError(404, 'NOT_FOUND', `Không có yêu cầu lấy ý kiến ${agency} cho hồ sơ này.`);
  // The overdue timer may not have fired yet at the very deadline: the clock decides.
  const status = req.status === 'PENDING' && req.dueAt.getTime() < now.getTime() ? 'OVERDUE' : req.status;
  // Who may waive is checked first, so a repeat by someone else is refused, not silently accepted.
  const v = checkWaiver({ requestStatus: status === 'WAIVED' ? 'OVERDUE' : status, actor, leadAgencyCode: d.leadAgencyCode, silenceMeansConsent: deps.policy.rules.silenceMeansConsent });
  if (v) throw ruleError([v]);
  if (req.status !== 'WAIVED') {
    const changed = await inTransaction(deps.ds, async (m) => {
      // Only a request still waiting can be waived: an opinion that arrived meanwhile wins.
      if (!(await waiveOpinionRequest(m, req.id, { byUserId: actor.id, at: now, reason }))) return false;
      await recordAudit(m, { dossierId, action: 'OPINION_WAIVED', actorUserId: actor.id, actorRole: actor.role, ruleId: 'R-13', details: { agency, reason }, idempotencyKey: `waive:${req.id}` });
      return true;
    });
    if (!changed) throw new ApiError(409, 'OPINION_ALREADY_RECEIVED', `${agency} đã gửi ý kiến; không cần miễn.`);
  }
  // Always (re)sent, so a waiver recorded while the engine was away still ends the waiting task.
  if (d.processInstanceId) {
    try {
      await deps.engine.correlateMessage({
        messageName: 'OpinionWaived',
        processInstanceId: d.processInstanceId,
        localCorrelationKeys: toEngineVariables({ opinionAgency: agency }),
      });
    } catch (err) {
      // No waiting task matches: an earlier attempt already ended it.
      if (!(err instanceof EngineError && err.status === 400 && /No process definition or execution matches/i.test(err.message))) throw err;
    }
  }
  deps.events.publish({ type: 'dossier', dossierId, action: 'OPINION_WAIVED' });
}
