import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import type { SecrecyLevel } from '../model.ts';
import type { RulesConfig } from './config.ts';
import { isMetadataSummary } from './r11-opinion-summary.ts';
import { isBlank } from './vague-text.ts';

/** whether a secrecy level makes the dossier confidential (Mật, Tối mật, Tuyệt mật). */
export function isConfidential(level: SecrecyLevel): boolean {
  return level !== 'NONE';
}

/** What a dossier's own text says, as a request or a stored row gives it. */
export type DossierContent = {
  practicalBasis?: string | null;
  proposal?: string | null;
  options?: readonly { id: string; description?: string | null }[] | null;
  /** R-11's summary: on a secret dossier each line may only state the agency's position, as the consolidation writes it. */
  opinionSummary?: readonly { summary?: string | null }[] | null;
};

/**
 * R-19 (Law 29/2018/QH14 on Protection of State Secrets: secret content stays off networked
 * computers): the content fields a secret dossier carries and must not, each named as its field
 * path (`practicalBasis`, `proposal`, `options.<i>.description`). A secret dossier keeps its
 * metadata only: subject (trích yếu), category, agencies, deadlines, status, who holds the paper,
 * option ids and titles (what the choice of R-12 names), and its legal bases, which cite published
 * documents by type, number, date, issuer and title. Blank text is no content.
 */
export function confidentialContentFields(secrecyLevel: SecrecyLevel, c: DossierContent): string[] {
  if (!isConfidential(secrecyLevel)) return [];
  const filled = (v: string | null | undefined) => !isBlank(v);
  const fields: string[] = [];
  if (filled(c.practicalBasis)) fields.push('practicalBasis');
  if (filled(c.proposal)) fields.push('proposal');
  (c.options ?? []).forEach((o, i) => {
    if (filled(o.description)) fields.push(`options.${i}.description`);
  });
  (c.opinionSummary ?? []).forEach((e, i) => {
    if (filled(e.summary) && !isMetadataSummary(e.summary!)) fields.push(`opinionSummary.${i}.summary`);
  });
  return fields;
}

/**
 * the free text of each dossier task form that says what the matter is about (an opinion, its
 * reasons, an appraisal's reasons, the rationale of a choice, what was revised, why the Office returned
 * it or the leader decided): on a secret dossier it is on paper, so it is refused. The form's other
 * free text is about the handling, not the matter, and stays: the reason a deputy signs (R-06: the
 * head's absence), the clerk's note on delivering the paper, the Office's note chasing a delay.
 * test/unit/domain/rules/r19-confidential-paper.test.ts holds every text field of processes/forms to one list or the other.
 */
export const CONFIDENTIAL_FORM_TEXT: Readonly<Record<string, readonly string[]>> = Object.freeze({
  appraise: ['reasons'],
  'approve-opinion': ['reason'],
  'choose-option': ['rationale'],
  'draft-submission': ['note', 'rationale'],
  'give-opinion': ['content', 'changeReason'],
  'leader-decision': ['note'],
  'office-check': ['note'],
  'respond-appraisal': ['note'],
  revise: ['note'],
});

/** The free text of the task forms that is about the handling (kept on a secret dossier), and that of tasks outside any dossier. */
export const HANDLING_FORM_TEXT: Readonly<Record<string, readonly string[]>> = Object.freeze({
  sign: ['urgentReason'],
  'send-paper': ['officeRegistrationNo', 'paperReference', 'note'],
  'follow-up-delay': ['note'],
  'follow-up-assigned-task': ['note'],
  'proactive-handling': ['action'],
});

/** the content fields a task form's submission fills on a secret dossier, by field key. */
export function confidentialFormTextFields(secrecyLevel: SecrecyLevel, formKey: string, data: Readonly<Record<string, unknown>>): string[] {
  if (!isConfidential(secrecyLevel)) return [];
  return (CONFIDENTIAL_FORM_TEXT[formKey] ?? []).filter((key) => typeof data[key] === 'string' && !isBlank(data[key]));
}

/** the channel a dossier must use. */
export function requiredChannel(d: Pick<DossierFacts, 'secrecyLevel' | 'channel'>, config: RulesConfig): DossierFacts['channel'] {
  return isConfidential(d.secrecyLevel) && config.confidential.paperOnly ? 'PAPER' : d.channel;
}

/**
 * a secret dossier travels on paper only (channel and every document), when confidential.paperOnly;
 * and, whatever the configuration, no file body of a secret dossier is stored.
 */
export function checkConfidentialPaper(d: Pick<DossierFacts, 'secrecyLevel' | 'channel' | 'documents'>, config: RulesConfig): RuleViolation | null {
  if (!isConfidential(d.secrecyLevel)) return null;
  const reasons: string[] = [];
  const electronicDocuments: (string | undefined)[] = [];
  const documentsWithBody: (string | undefined)[] = [];
  if (config.confidential.paperOnly) {
    if (d.channel !== 'PAPER') reasons.push('ELECTRONIC_CHANNEL');
    for (const doc of d.documents) if (doc.medium !== 'PAPER') electronicDocuments.push(doc.id ?? doc.symbol);
    if (electronicDocuments.length > 0) reasons.push('ELECTRONIC_DOCUMENT');
  }
  for (const doc of d.documents) if (doc.hasBody) documentsWithBody.push(doc.id ?? doc.symbol);
  if (documentsWithBody.length > 0) reasons.push('FILE_BODY_STORED');
  if (reasons.length === 0) return null;
  return violation('ERR_CONFIDENTIAL_ELECTRONIC', { reasons, secrecyLevel: d.secrecyLevel, electronicDocuments, documentsWithBody });
}
