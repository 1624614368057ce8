/** Turning the server's error answers into messages next to fields. */
import { ApiError } from './api.ts';
import { getLang } from './i18n.ts';

/** Rule codes whose message belongs next to a known field. */
const FIELD_OF_CODE: Record<string, string> = {
  ERR_SUBMISSION_DOC_TYPE: 'sub.docType',
  ERR_MISSING_LEGAL_BASIS: 'legal.numberSymbol',
  ERR_MISSING_PRACTICAL_BASIS: 'practicalBasis',
  WARN_VAGUE_PROPOSAL: 'proposal',
  ERR_NO_PROPOSAL: 'proposal',
  ERR_OUT_OF_AUTHORITY: 'matterCategory',
  ERR_MATTER_CATEGORY_REQUIRED: 'matterCategory',
  ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE: 'draft.orgSign',
  ERR_DRAFT_NOT_INITIALED: 'draft.orgSign',
  ERR_NO_CHOSEN_OPTION: 'chosenOptionId',
  WARN_OPINION_INCONSISTENT: 'changeReason',
  ERR_APPRAISAL_NO_CONCLUSION: 'conclusion',
  ERR_APPRAISAL_VAGUE: 'conclusion',
  ERR_RETURN_REASON_REQUIRED: 'returnReason',
};

export type FieldError = { field: string; message: string };

/** Field errors (with rule ids in the message) and the ones that belong to no field. */
export function fieldErrors(e: unknown): FieldError[] {
  if (!(e instanceof ApiError)) return [{ field: '', message: e instanceof Error ? e.message : String(e) }];
  const en = getLang() === 'en';
  if (e.details.length > 0) {
    return e.details.map((d) => {
      const message = (en && d.messageEn ? d.messageEn : d.message) + (d.rule ? ` (${d.rule})` : '');
      return { field: d.field ?? (d.code ? FIELD_OF_CODE[d.code] ?? e.field ?? '' : e.field ?? ''), message };
    });
  }
  return [{ field: e.field ?? FIELD_OF_CODE[e.code] ?? '', message: e.message + (e.rule ? ` (${e.rule})` : '') }];
}
