/** A dossier input that passes intake: Sở Công Thương asks UBND tỉnh to approve a trade-promotion plan. */
import type { CreateDossierInput, DocumentInput } from '../../server/schemas.ts';

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function pdf(name: string, text: string): Pick<DocumentInput, 'fileName' | 'contentType' | 'contentBase64'> {
  return { fileName: name, contentType: 'application/pdf', contentBase64: b64(`%PDF-1.4\n% ${text}\n`) };
}

export type DossierInput = Omit<Partial<CreateDossierInput>, 'documents'> & { documents?: Partial<DocumentInput>[] };

export function submissionDocument(overrides: Partial<DocumentInput> = {}): Partial<DocumentInput> {
  return {
    role: 'SUBMISSION_DOC',
    docType: 'TO_TRINH',
    symbol: '/TTr-SCT',
    subject: 'Về việc phê duyệt Kế hoạch xúc tiến thương mại năm 2026',
    kinhGui: ['UBND tỉnh Long An'],
    noiNhan: ['Như trên', 'Lưu: VT, KT'],
    medium: 'ELECTRONIC',
    ...pdf('to-trinh.pdf', 'To trinh'),
    ...overrides,
  };
}

export function draftDecision(overrides: Partial<DocumentInput> = {}): Partial<DocumentInput> {
  return {
    role: 'DRAFT_DECISION',
    docType: 'QUYET_DINH',
    symbol: '/QĐ-UBND',
    subject: 'Dự thảo Quyết định phê duyệt Kế hoạch xúc tiến thương mại năm 2026',
    medium: 'ELECTRONIC',
    orgSign: true,
    ...pdf('du-thao-qd.pdf', 'Du thao quyet dinh'),
    ...overrides,
  };
}

export function validDossierInput(overrides: DossierInput = {}): DossierInput {
  // a secret dossier holds metadata only; its practical basis and proposal are on paper.
  const secret = overrides.secrecyLevel !== undefined && overrides.secrecyLevel !== 'NONE';
  return {
    subject: 'Phê duyệt Kế hoạch xúc tiến thương mại năm 2026',
    matterCategory: 'cong-thuong',
    decisionAuthority: 'UBND_TINH',
    leadAgencyCode: 'SCT',
    legalBasis: [{ type: 'LUAT', numberSymbol: '77/2015/QH13', issuedAt: '2015-06-19', issuer: 'Quốc hội', title: 'Luật Tổ chức chính quyền địa phương' }],
    practicalBasis: secret ? '' : 'Năm 2025 tỉnh tổ chức 12 hội chợ; kim ngạch xuất khẩu tăng 8%, cần kế hoạch cho năm 2026.',
    proposal: secret ? '' : 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt Kế hoạch xúc tiến thương mại năm 2026 theo dự thảo kèm theo.',
    options: [{ id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' }],
    consultedAgencyCodes: ['STC', 'SKHDT'],
    documents: [submissionDocument(), draftDecision()],
    ...overrides,
  };
}

/** The opinion form of a consulted agency, with its signed opinion document. */
export function opinionForm(agency: string, position = 'AGREE', extra: Record<string, unknown> = {}) {
  return {
    position,
    content: `${agency} thống nhất với dự thảo.`,
    document: { role: 'OPINION_DOC', docType: 'CONG_VAN', symbol: `/${agency}-VP`, subject: 'Góp ý dự thảo', ...pdf(`y-kien-${agency}.pdf`, agency) },
    ...extra,
  };
}
