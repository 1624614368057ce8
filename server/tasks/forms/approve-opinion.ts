/**
 * Form approve-opinion (Task_ApproveOpinion): the consulted agency's head, or a deputy under the
 * head's delegation signing KT., signs off the opinion its specialist drafted (it now counts) or
 * sends it back with a reason. The deadline covers this step too.
 */
import { isSignOffRefusal, opinionSignOff } from '../../../domain/rules/r14-opinion-sign-off.ts';
import { opinionAwaitingSignOff, sendBackOpinion, signOffOpinion } from '../../../store/opinions.ts';
import { agencyByCode, delegationsGrantedTo } from '../../../store/organisation.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { isBlank } from '../../../domain/rules/vague-text.ts';
import { violation } from '../../../domain/errors.ts';
import { ApiError, ruleErrorOn } from '../../errors.ts';
import { auditStep, dossierForm } from './step.ts';

export const approveOpinion = dossierForm('approve-opinion', async (s, data) => {
  const agencyCode = typeof s.vars.opinionAgency === 'string' ? s.vars.opinionAgency : null;
  if (!agencyCode) throw new ApiError(409, 'NO_OPINION_REQUEST', 'Không có yêu cầu tham gia ý kiến cho cơ quan này.');
  const opinion = await opinionAwaitingSignOff(s.m, s.dossier.id, agencyCode, s.round);
  if (!opinion) throw new ApiError(409, 'NO_OPINION_TO_SIGN_OFF', 'Không có ý kiến nào đang chờ lãnh đạo duyệt.');
  const agency = await agencyByCode(s.m, agencyCode);
  const decided = opinionSignOff({
    actor: s.actor,
    agency: { code: agencyCode, headUserId: agency?.headUserId ?? null },
    dossier: { id: s.dossier.id, matterCategory: s.dossier.matterCategory },
    draftedByUserId: opinion.draftedByUserId,
    delegations: s.actor.role === 'DEPUTY' && s.actor.agencyCode === agencyCode ? await delegationsGrantedTo(s.m, s.actor.id, agencyCode) : [],
    at: s.now,
  });
  if (isSignOffRefusal(decided)) throw new ApiError(403, decided.code, decided.message, { rule: decided.rule, details: decided.details });
  if (data.decision === 'SEND_BACK') {
    // a send-back says why, except on a secret dossier, where the reason goes with the paper.
    if (isBlank(data.reason) && !isConfidential(s.dossier.secrecyLevel)) throw ruleErrorOn('reason', [violation('ERR_OPINION_SEND_BACK_REASON')]);
    await sendBackOpinion(s.m, { id: opinion.id, byUserId: s.actor.id, at: s.now, reason: data.reason ?? '' });
    await auditStep(s, 'OPINION_SENT_BACK', { ruleId: 'R-14', details: { agency: agencyCode, opinionId: opinion.id, reason: data.reason } });
  } else {
    const late = s.now.getTime() > opinion.dueAt.getTime();
    await signOffOpinion(s.m, { id: opinion.id, requestId: opinion.requestId, byUserId: s.actor.id, at: s.now, capacity: decided.capacity, delegationId: decided.delegationId, late });
    await auditStep(s, late ? 'OPINION_SIGNED_OFF_LATE' : 'OPINION_SIGNED_OFF', {
      ruleId: 'R-14',
      details: { agency: agencyCode, opinionId: opinion.id, capacity: decided.capacity, signingForm: decided.capacity === 'DEPUTY' ? 'KT' : 'NONE', delegationId: decided.delegationId, late },
    });
  }
  // opinionDecision is local to this agency's Sub_OpinionSignOff: parallel agencies do not share it.
  return { variables: { opinionDecision: data.decision }, refreshDeadlines: false };
});
