import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import { needsAppraisal } from './r20-appraisal-required.ts';

export type ComponentStage = 'INTAKE' | 'COMPLETE';

/** A missing component: a machine key and its Vietnamese label. */
export interface MissingComponent {
  key: string;
  label: string;
}

type ComponentFacts = Pick<DossierFacts, 'documents' | 'opinions' | 'isLegalNormative' | 'requiresAppraisal' | 'appraisal'>;

/**
 * what the dossier lacks, among its current documents (a superseded version of the submission
 * document is history, not a second one). INTAKE: exactly one submission document and at least one draft of
 * UBND's document (a draft báo cáo counts). COMPLETE adds an opinion document from each agency that
 * replied, the appraisal report when required, and the receipt/explanation report after an
 * ELIGIBLE_AFTER_REVISION conclusion.
 */
export function missingComponents(d: ComponentFacts, stage: ComponentStage): MissingComponent[] {
  const missing: MissingComponent[] = [];
  const count = (role: string) => d.documents.filter((doc) => doc.role === role).length;
  const submissions = count('SUBMISSION_DOC');
  if (submissions === 0) missing.push({ key: 'SUBMISSION_DOC', label: 'văn bản trình (tờ trình hoặc công văn đề trình)' });
  if (submissions > 1) missing.push({ key: 'SUBMISSION_DOC:ONLY_ONE', label: `chỉ được có một văn bản trình (hiện có ${submissions})` });
  if (count('DRAFT_DECISION') === 0) {
    missing.push({ key: 'DRAFT_DECISION', label: 'dự thảo văn bản hành chính của UBND tỉnh, Chủ tịch UBND tỉnh' });
  }
  if (stage === 'INTAKE') return missing;

  const replied = [...new Set(d.opinions.map((o) => o.agencyCode))].sort();
  for (const agency of replied) {
    const has = d.documents.some((doc) => doc.role === 'OPINION_DOC' && doc.issuerAgencyCode === agency);
    if (!has) missing.push({ key: `OPINION_DOC:${agency}`, label: `văn bản tham gia ý kiến của ${agency}` });
  }
  if (needsAppraisal(d) && count('APPRAISAL_REPORT') === 0) missing.push({ key: 'APPRAISAL_REPORT', label: 'báo cáo thẩm định' });
  if (d.appraisal?.conclusion === 'ELIGIBLE_AFTER_REVISION' && count('RECEIPT_EXPLANATION') === 0) {
    missing.push({ key: 'RECEIPT_EXPLANATION', label: 'báo cáo tiếp thu, giải trình ý kiến thẩm định' });
  }
  return missing;
}

/** the dossier has every required component for the stage, else ERR_DOSSIER_INCOMPLETE with the list. */
export function checkComponents(d: ComponentFacts, stage: ComponentStage): RuleViolation | null {
  const missing = missingComponents(d, stage);
  if (missing.length === 0) return null;
  return violation('ERR_DOSSIER_INCOMPLETE', { list: missing.map((m) => m.label), missing: missing.map((m) => m.key) });
}
