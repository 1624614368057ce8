/** Form appraise (Task_Appraise): the appraising agency's report, with a conclusion and whether issuing is lawful. */
import { errorsOnly } from '../../../domain/errors.ts';
import { checkAppraisalResult } from '../../../domain/rules/r21-appraisal-explicit.ts';
import { isConfidential } from '../../../domain/rules/r19-confidential-paper.ts';
import { recordAppraisal } from '../../../store/appraisals.ts';
import { ruleError } from '../../errors.ts';
import { saveDocuments } from '../../dossiers/documents.ts';
import { auditStep, dossierForm } from './step.ts';

export const appraise = dossierForm('appraise', async (s, data) => {
  // a secret dossier's appraisal reasons are in the paper report; conclusion and lawfulness are recorded.
  const errors = errorsOnly(checkAppraisalResult(data, s.deps.policy.rules, { secret: isConfidential(s.dossier.secrecyLevel) }));
  if (errors.length > 0) throw ruleError(errors);
  let reportId: string | null = null;
  if (data.report) {
    reportId = (await saveDocuments(s.m, s.dossier, s.actor, [{ ...data.report, role: 'APPRAISAL_REPORT', issuerAgencyCode: s.actor.agencyCode }], s.now))[0] ?? null;
  }
  await recordAppraisal(s.m, {
    dossierId: s.dossier.id,
    round: s.round,
    appraiserAgencyCode: s.actor.agencyCode,
    conclusion: data.conclusion,
    lawful: data.lawful,
    reasons: data.reasons ?? '',
    reportDocId: reportId,
    appraisedBy: s.actor.id,
    taskId: s.taskId,
  });
  await auditStep(s, 'APPRAISED', { ruleId: 'R-21', details: { conclusion: data.conclusion, lawful: data.lawful } });
  return { variables: {}, refreshDeadlines: true };
});
