/**
 * A valid dossier as the rules see it (passes intake, pre-sign, signature and forward checks), so each
 * test changes one thing. Sở Công Thương (SCT) submits a trade-promotion plan, consulting STC and SKHDT.
 */
import type {
  AuthorizationFacts,
  DocumentFacts,
  DossierFacts,
  OpinionFacts,
  OpinionRequestFacts,
  SignatureInput,
} from '../../../domain/facts.ts';
import type { DocumentRole } from '../../../domain/model.ts';

export const NOW = new Date('2026-03-10T09:00:00+07:00');
export const HEAD_ID = 'u-sct-head';
export const DEPUTY_ID = 'u-sct-deputy';
export const ACTING_HEAD_ID = 'u-sct-acting';

export function doc(role: DocumentRole, overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  const base: DocumentFacts = {
    id: `doc-${role.toLowerCase()}`,
    role,
    docType: 'CONG_VAN',
    symbol: '/SCT-KT',
    number: null,
    medium: 'ELECTRONIC',
    kinhGui: [],
    noiNhan: [],
    stamped: false,
    initialed: false,
    hangingStamp: false,
    orgSignatureValid: null,
    personalSignatureValid: null,
    hasBody: true,
    issuerAgencyCode: 'SCT',
  };
  return { ...base, ...overrides };
}

export function submissionDoc(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  return doc('SUBMISSION_DOC', {
    docType: 'TO_TRINH',
    symbol: '/TTr-SCT',
    subject: 'Về việc phê duyệt Kế hoạch xúc tiến thương mại năm 2026',
    kinhGui: ['UBND tỉnh Long An'],
    noiNhan: ['Như trên', 'Lưu: VT, KT'],
    ...overrides,
  });
}

export function draftDecision(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  return doc('DRAFT_DECISION', {
    docType: 'QUYET_DINH',
    symbol: '/QĐ-UBND',
    orgSignatureValid: true,
    issuerAgencyCode: 'UBNDTINH',
    ...overrides,
  });
}

export function opinionRequestDoc(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  return doc('OPINION_REQUEST', {
    symbol: '125/SCT-KT',
    number: 125,
    subject: 'V/v góp ý dự thảo Kế hoạch xúc tiến thương mại năm 2026',
    kinhGui: ['STC', 'SKHDT'],
    noiNhan: ['Như trên', 'Lưu: VT, KT'],
    ...overrides,
  });
}

export function opinionDoc(agencyCode: string, symbol: string): DocumentFacts {
  return doc('OPINION_DOC', { id: `doc-opinion-${agencyCode}`, symbol, issuerAgencyCode: agencyCode });
}

export function opinionRequest(agencyCode: string, overrides: Partial<OpinionRequestFacts> = {}): OpinionRequestFacts {
  return { agencyCode, round: 1, status: 'RECEIVED', dueAt: new Date('2026-03-05T17:00:00+07:00'), ...overrides };
}

export function opinion(agencyCode: string, overrides: Partial<OpinionFacts> = {}): OpinionFacts {
  return {
    agencyCode,
    position: 'AGREE',
    receivedAt: new Date('2026-03-04T10:00:00+07:00'),
    round: 1,
    content: 'Thống nhất với dự thảo.',
    ...overrides,
  };
}

export function validDossier(overrides: Partial<DossierFacts> = {}): DossierFacts {
  const base: DossierFacts = {
    id: 'HS-2026-000123',
    subject: 'Phê duyệt Kế hoạch xúc tiến thương mại năm 2026',
    matterCategory: 'cong-thuong/xuc-tien-thuong-mai',
    decisionAuthority: 'UBND_TINH',
    leadAgency: { code: 'SCT', fields: ['cong-thuong'], headUserId: HEAD_ID, headIsUbndMember: false, symbolAbbr: 'SCT' },
    isLegalNormative: false,
    requiresAppraisal: false,
    urgency: 'THUONG',
    secrecyLevel: 'NONE',
    channel: 'ELECTRONIC',
    legalBasis: [
      {
        type: 'LUAT',
        numberSymbol: '77/2015/QH13',
        issuedAt: new Date('2015-06-19T00:00:00+07:00'),
        issuer: 'Quốc hội',
        title: 'Luật Tổ chức chính quyền địa phương',
      },
    ],
    practicalBasis: 'Năm 2025 tỉnh tổ chức 12 hội chợ; kim ngạch xuất khẩu tăng 8%, cần kế hoạch cho năm 2026.',
    proposal: 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt Kế hoạch xúc tiến thương mại năm 2026 theo dự thảo kèm theo.',
    options: [{ id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' }],
    consultedAgencyCodes: ['SKHDT', 'STC'],
    opinionSummary: [
      { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất với dự thảo.' },
      { agencyCode: 'STC', position: 'AGREE', summary: 'Thống nhất với dự thảo.' },
    ],
    assignedToUbndMember: false,
    documents: [
      submissionDoc(),
      draftDecision(),
      opinionRequestDoc(),
      opinionDoc('STC', '45/STC-QLNS'),
      opinionDoc('SKHDT', '12/SKHĐT-TH'),
    ],
    opinionRequests: [opinionRequest('SKHDT'), opinionRequest('STC')],
    opinions: [opinion('SKHDT'), opinion('STC')],
    signature: {
      signerUserId: HEAD_ID,
      signerRole: 'HEAD',
      signerAgencyCode: 'SCT',
      stamped: false,
      personalSigOk: true,
      orgSigOk: true,
      signedAt: NOW,
      verification: { ok: true, errorCodes: [] },
    },
  };
  return { ...base, ...overrides };
}

/** A legal-normative dossier with a completed, eligible appraisal by Sở Tư pháp. */
export function normativeDossier(overrides: Partial<DossierFacts> = {}): DossierFacts {
  const d = validDossier();
  return {
    ...d,
    isLegalNormative: true,
    requiresAppraisal: true,
    appraiserAgencyCode: 'STP',
    appraisal: { status: 'COMPLETED', conclusion: 'ELIGIBLE', lawful: true, reasons: 'Dự thảo phù hợp thẩm quyền và quy định.' },
    documents: [...d.documents, doc('APPRAISAL_REPORT', { id: 'doc-appraisal', symbol: '30/BC-STP', docType: 'BAO_CAO', issuerAgencyCode: 'STP' })],
    ...overrides,
  };
}

export function authorization(overrides: Partial<AuthorizationFacts> = {}): AuthorizationFacts {
  return {
    grantorUserId: HEAD_ID,
    granteeUserId: DEPUTY_ID,
    agencyCode: 'SCT',
    matterCategories: ['cong-thuong'],
    dossierIds: [],
    validFrom: new Date('2026-03-01T00:00:00+07:00'),
    validTo: new Date('2026-03-31T23:59:59+07:00'),
    revokedAt: null,
    ...overrides,
  };
}

/** The head of SCT signs the valid dossier electronically with both digital signatures. */
export function signatureInput(overrides: Partial<SignatureInput> = {}): SignatureInput {
  return {
    dossier: validDossier(),
    signer: { userId: HEAD_ID, role: 'HEAD', agencyCode: 'SCT' },
    stamped: false,
    personalSignatureValid: true,
    orgSignatureValid: true,
    signedAt: NOW,
    ...overrides,
  };
}

/** A deputy signs an urgent dossier under a valid authorization. */
export function deputySignatureInput(overrides: Partial<SignatureInput> = {}): SignatureInput {
  return signatureInput({
    dossier: validDossier({ urgency: 'KHAN', urgentReason: 'Giám đốc đi công tác nước ngoài; hội chợ khai mạc 15/3' }),
    signer: { userId: DEPUTY_ID, role: 'DEPUTY', agencyCode: 'SCT' },
    authorization: authorization(),
    ...overrides,
  });
}
