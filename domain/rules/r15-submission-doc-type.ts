import { violation, type RuleViolation } from '../errors.ts';
import type { DocumentFacts } from '../facts.ts';
import type { DocType } from '../model.ts';
import { readSymbol } from './symbols.ts';

const SUBMISSION_DOC_TYPES: readonly DocType[] = ['TO_TRINH', 'CONG_VAN'];

/**
 * R-15: the submitting agency's own cover document is a tờ trình (`/TTr-`) or a công văn đề trình
 * (no type part), never a báo cáo. Only role SUBMISSION_DOC is checked: a draft báo cáo of UBND
 * (role DRAFT_DECISION) is allowed. A symbol that does not parse at all is R-18's error.
 */
export function checkSubmissionDocType(documents: readonly DocumentFacts[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const doc of documents) {
    if (doc.role !== 'SUBMISSION_DOC') continue;
    const reasons: string[] = [];
    if (!SUBMISSION_DOC_TYPES.includes(doc.docType)) reasons.push('DOC_TYPE');
    const typeAbbr = readSymbol(doc.symbol)?.typeAbbr;
    if (typeAbbr !== undefined && typeAbbr !== null && typeAbbr !== 'TTr') reasons.push('SYMBOL_TYPE');
    if (reasons.length > 0) {
      out.push(violation('ERR_SUBMISSION_DOC_TYPE', { reasons, documentId: doc.id, docType: doc.docType, symbol: doc.symbol }));
    }
  }
  return out;
}
