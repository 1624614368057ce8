/** Shared vocabulary of the dossier domain. Pure types and enum values, no I/O. */

export const SECRECY_LEVELS = ['NONE', 'MAT', 'TOI_MAT', 'TUYET_MAT'] as const;
export type SecrecyLevel = (typeof SECRECY_LEVELS)[number];

export const DECISION_AUTHORITIES = ['UBND_TINH', 'CHU_TICH_UBND_TINH'] as const;
export type DecisionAuthority = (typeof DECISION_AUTHORITIES)[number];

/** Who the authority matrix says is competent for a matter category (R-01/02). */
export const COMPETENT_AUTHORITIES = ['UBND_TINH', 'CHU_TICH_UBND_TINH', 'SO_NGANH', 'UBND_HUYEN'] as const;
export type CompetentAuthority = (typeof COMPETENT_AUTHORITIES)[number];

export const AGENCY_TYPES = ['SO_NGANH', 'NGANH_DOC', 'UBND_HUYEN', 'UBND_XA', 'VP_UBND', 'UBND_TINH', 'OTHER'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export const USER_ROLES = [
  'HEAD',
  'ACTING_HEAD',
  'DEPUTY',
  'SPECIALIST',
  'CLERK',
  'OFFICE_REVIEWER',
  'OFFICE_MONITOR',
  'APPRAISER',
  'UBND_LEADER',
  'ADMIN',
  'DESIGNER',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const URGENCIES = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CHANNELS = ['ELECTRONIC', 'PAPER'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DOCUMENT_ROLES = [
  'SUBMISSION_DOC',
  'OPINION_REQUEST',
  'OPINION_DOC',
  'APPRAISAL_REQUEST',
  'APPRAISAL_REPORT',
  'RECEIPT_EXPLANATION',
  'DRAFT_DECISION',
  'OTHER',
] as const;
export type DocumentRole = (typeof DOCUMENT_ROLES)[number];

export const DOC_TYPES = [
  'TO_TRINH',
  'CONG_VAN',
  'BAO_CAO',
  'QUYET_DINH',
  'KE_HOACH',
  'CHUONG_TRINH',
  'CHI_THI',
  'THONG_BAO',
  'HUONG_DAN',
  'NGHI_QUYET',
  'DE_AN',
  'PHUONG_AN',
  'BIEN_BAN',
  'GIAY_MOI',
  'KHAC',
] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** How a document is signed: own name, KT. (ký thay), TM. (thay mặt a collective), Q. (quyền: acting head), TL. (thừa lệnh), TUQ. (thừa ủy quyền). */
export const SIGNING_FORMS = ['NONE', 'KT', 'TM', 'Q', 'TL', 'TUQ'] as const;
export type SigningForm = (typeof SIGNING_FORMS)[number];

export const MEDIA = ['ELECTRONIC', 'PAPER'] as const;
export type Medium = (typeof MEDIA)[number];

export const OPINION_REQUEST_STATUSES = ['PENDING', 'OVERDUE', 'RECEIVED', 'RECEIVED_LATE', 'WAIVED', 'CANCELLED'] as const;
export type OpinionRequestStatus = (typeof OPINION_REQUEST_STATUSES)[number];

export const OPINION_POSITIONS = ['AGREE', 'AGREE_WITH_COMMENTS', 'DISAGREE', 'PROPOSE_OTHER_OPTION'] as const;
export type OpinionPosition = (typeof OPINION_POSITIONS)[number];

/** an opinion counts only once its agency's head (or an authorised deputy) signed it off. */
export const OPINION_STATUSES = ['AWAITING_SIGN_OFF', 'SIGNED_OFF', 'SENT_BACK'] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];
/** Who signed an opinion off: the head, or a deputy signing KT. (ký thay) under the head's delegation. */
export type OpinionSignOffCapacity = 'HEAD' | 'DEPUTY';

export const APPRAISAL_CONCLUSIONS = ['ELIGIBLE', 'ELIGIBLE_AFTER_REVISION', 'NOT_ELIGIBLE'] as const;
export type AppraisalConclusion = (typeof APPRAISAL_CONCLUSIONS)[number];

export const APPRAISAL_STATUSES = ['REQUESTED', 'IN_PROGRESS', 'COMPLETED', 'RETURNED_INCOMPLETE'] as const;
export type AppraisalStatus = (typeof APPRAISAL_STATUSES)[number];

export const SIGNER_ROLES = ['HEAD', 'ACTING_HEAD', 'DEPUTY'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

export const RETURN_REASONS = [
  'OUT_OF_AUTHORITY',
  'OPINIONS_PENDING',
  'WRONG_DOC_TYPE',
  'MISSING_COMPONENT',
  'MISSING_LEGAL_BASIS',
  'MISSING_PRACTICAL_BASIS',
  'INVALID_SIGNATURE',
  'CONFIDENTIAL_CHANNEL',
  'APPRAISAL_MISSING',
  'APPRAISAL_VAGUE',
  'NO_CHOSEN_OPTION',
  'VAGUE_PROPOSAL',
  'FORMAT',
  'LATE',
  'APPRAISAL_NOT_ELIGIBLE',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const DOSSIER_STATUSES = [
  'DRAFT',
  'VALIDATING',
  'REVISION_REQUIRED',
  'CONSULTING',
  'CONSOLIDATING',
  'CHOOSING_OPTION',
  'APPRAISING',
  'REVISING_AFTER_APPRAISAL',
  'DRAFTING_SUBMISSION',
  'AWAITING_SIGNATURE',
  'SIGNED',
  'PAPER_PENDING',
  'SUBMITTED',
  'ACCEPTED',
  'RETURNED',
  'DECIDED_APPROVED',
  'DECIDED_NOT_APPROVED',
  'WITHDRAWN',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const TERMINAL_DOSSIER_STATUSES: readonly DossierStatus[] = ['DECIDED_APPROVED', 'DECIDED_NOT_APPROVED', 'WITHDRAWN'];

/** Order of secrecy levels, for clearance checks (Law 29/2018/QH14: Mật < Tối mật < Tuyệt mật). */
export function secrecyRank(level: SecrecyLevel): number {
  return SECRECY_LEVELS.indexOf(level);
}
