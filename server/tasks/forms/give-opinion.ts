/** Form give-opinion (Task_GiveOpinion): a consulted agency's opinion, late or not. */
import { errorsOnly, warningsOnly } from '../../../domain/errors.ts';
import { checkOpinionInput } from '../../../domain/rules/r14-opinion-consistency.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { earlierOpinionsOf, opinionRequestOf, recordOpinion } from '../../../store/opinions.ts';
import { ApiError, ruleError, ruleErrorOn } from '../../errors.ts';
import { isBlank } from '../../../domain/rules/vague-text.ts';
import { OPINION_POSITIONS } from '../../../domain/model.ts';

const isPosition = (p: unknown) => (OPINION_POSITIONS as readonly unknown[]).includes(p);
import { saveDocuments } from '../../dossiers/documents.ts';
import { auditStep, dossierForm } from './step.ts';

export const giveOpinion = dossierForm('give-opinion', async (s, data) => {
  const agency = typeof s.vars.opinionAgency === 'string' ? s.vars.opinionAgency : s.actor.agencyCode;
  if (agency !== s.actor.agencyCode) throw new ApiError(403, 'FORBIDDEN', 'Chỉ cơ quan được lấy ý kiến mới cho ý kiến.');
  const round = s.round;
  const earlier = await earlierOpinionsOf(s.m, s.dossier.id, agency, s.taskId);
  // on a secret dossier the opinion's text is the agency's paper reply; its position is recorded.
  const violations = checkOpinionInput(data, earlier, { secret: isConfidential(s.dossier.secrecyLevel) });
  // an incomplete opinion is refused; a change of position without its reason is taken, with the warning kept and shown.
  const errors = errorsOnly(violations);
  if (errors.length > 0) throw isBlank(data.content) && isPosition(data.position) ? ruleErrorOn('content', errors) : ruleError(errors);
  const req = await opinionRequestOf(s.m, s.dossier.id, agency, round);
  if (!req) throw new ApiError(409, 'NO_OPINION_REQUEST', 'Không có yêu cầu tham gia ý kiến cho cơ quan này.');
  const late = s.now.getTime() > req.dueAt.getTime();
  let docId: string | null = null;
  if (data.document) {
    docId = (await saveDocuments(s.m, s.dossier, s.actor, [{ ...data.document, role: 'OPINION_DOC', issuerAgencyCode: agency }], s.now))[0] ?? null;
  }
  await recordOpinion(s.m, {
    requestId: req.id,
    dossierId: s.dossier.id,
    agencyCode: agency,
    round,
    position: data.position,
    preferredOptionId: data.preferredOptionId ?? null,
    content: data.content ?? '',
    docId,
    signedByUserId: s.actor.id,
    signerRole: s.actor.role,
    receivedAt: s.now,
    late,
    changeReason: data.changeReason ?? null,
    warnings: warningsOnly(violations),
    taskId: s.taskId,
  });
  await auditStep(s, late ? 'OPINION_RECEIVED_LATE' : 'OPINION_RECEIVED', {
    ruleId: 'R-13',
    details: { agency, position: data.position, late, warnings: violations.map((v) => v.code) },
  });
  // Parallel opinions of one instance: writing shared variables would only collide.
  return { variables: {}, refreshDeadlines: false };
});
