import { isValidSymbolFor, TYPE_ABBREVIATIONS } from '../document-number.ts';
import { violation, type RuleViolation } from '../errors.ts';
import type { DocumentFacts, DossierFacts } from '../facts.ts';
import type { DocumentRole } from '../model.ts';
import { readSymbol, withSlash } from './symbols.ts';
import { isBlank } from './vague-text.ts';

/** Documents the lead agency issues or drafts; other agencies' documents are theirs to get right. */
const CHECKED_ROLES: readonly DocumentRole[] = ['SUBMISSION_DOC', 'OPINION_REQUEST', 'APPRAISAL_REQUEST', 'RECEIPT_EXPLANATION', 'DRAFT_DECISION'];

const ROLE_LABELS: Readonly<Record<DocumentRole, string>> = {
  SUBMISSION_DOC: 'văn bản trình',
  OPINION_REQUEST: 'văn bản lấy ý kiến',
  OPINION_DOC: 'văn bản tham gia ý kiến',
  APPRAISAL_REQUEST: 'văn bản đề nghị thẩm định',
  APPRAISAL_REPORT: 'báo cáo thẩm định',
  RECEIPT_EXPLANATION: 'báo cáo tiếp thu, giải trình',
  DRAFT_DECISION: 'dự thảo văn bản',
  OTHER: 'tài liệu khác',
};

function sameAbbr(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toUpperCase() === b.normalize('NFC').trim().toUpperCase();
}

/** problems with one document's số, ký hiệu under Decree 30 (empty when fine), in Vietnamese. */
export function symbolProblems(doc: DocumentFacts, leadAgency?: Pick<DossierFacts['leadAgency'], 'symbolAbbr'>): string[] {
  if (isBlank(doc.symbol)) return ['thiếu số, ký hiệu'];
  const parsed = readSymbol(doc.symbol);
  if (parsed === null) {
    const first = withSlash(doc.symbol).split('/').at(-1)?.split('-')[0] ?? '';
    return sameAbbr(first, 'CV')
      ? [`"${doc.symbol}": "CV" không phải ký hiệu chính thức; công văn không có phần viết tắt tên loại (ví dụ 15/UBND-VP)`]
      : [`"${doc.symbol}": ký hiệu không đúng mẫu (ví dụ 123/TTr-STP, 15/UBND-VP, 17/2017/QĐ-UBND)`];
  }
  const problems: string[] = [];
  const submissionWithForeignType = doc.role === 'SUBMISSION_DOC' && parsed.typeAbbr !== null && parsed.typeAbbr !== 'TTr';
  if (doc.docType !== 'KHAC' && !submissionWithForeignType && !isValidSymbolFor(doc.docType, withSlash(doc.symbol))) {
    const expected = TYPE_ABBREVIATIONS[doc.docType];
    problems.push(
      expected === null
        ? `"${doc.symbol}": công văn không có phần viết tắt tên loại`
        : `"${doc.symbol}": ký hiệu không phù hợp với loại văn bản (cần "${expected}")`,
    );
  }
  if (doc.number !== undefined && doc.number !== null && parsed.number !== null && parsed.number !== doc.number) {
    problems.push(`"${doc.symbol}": số ${parsed.number} khác số đã đăng ký ${doc.number}`);
  }
  if (doc.role === 'SUBMISSION_DOC' && leadAgency?.symbolAbbr !== undefined && !sameAbbr(parsed.issuer, leadAgency.symbolAbbr)) {
    problems.push(`"${doc.symbol}": viết tắt tên cơ quan ban hành phải là "${leadAgency.symbolAbbr}"`);
  }
  return problems;
}

/** số, ký hiệu of every document the lead agency issues or drafts follows Decree 30 (typed, công văn, normative). */
export function checkDocumentFormat(d: Pick<DossierFacts, 'documents' | 'leadAgency'>): RuleViolation | null {
  const list: string[] = [];
  const documents: { documentId: string | undefined; role: DocumentRole; problems: string[] }[] = [];
  for (const doc of d.documents) {
    if (!CHECKED_ROLES.includes(doc.role)) continue;
    const problems = symbolProblems(doc, d.leadAgency);
    if (problems.length === 0) continue;
    documents.push({ documentId: doc.id, role: doc.role, problems });
    list.push(...problems.map((p) => `${ROLE_LABELS[doc.role]} ${p}`));
  }
  return list.length === 0 ? null : violation('ERR_DOCUMENT_FORMAT', { list, documents });
}
