/**
 * The dossier as the domain rules see it: plain data, built by the server or a worker from the
 * store, with no behaviour. Dates are `Date` objects; parse ISO strings before building facts.
 */
import type {
  AppraisalConclusion,
  AppraisalStatus,
  Channel,
  DecisionAuthority,
  DocType,
  DocumentRole,
  Medium,
  OpinionPosition,
  OpinionRequestStatus,
  SecrecyLevel,
  SignerRole,
  SigningForm,
  Urgency,
  UserRole,
} from './model.ts';

export interface LeadAgencyFacts {
  code: string;
  /** Lĩnh vực of the agency. A field also covers its sub-categories (`cong-thuong` covers `cong-thuong/xuc-tien`). */
  fields: string[];
  headUserId: string;
  headIsUbndMember: boolean;
  /** Abbreviation used in document symbols (`STP`, `SKHĐT`); when given, R-18 checks the submission document's symbol against it. */
  symbolAbbr?: string;
}

export interface LegalRefFacts {
  /** Document type, e.g. 'LUAT', 'NGHI_DINH', 'QUYET_DINH' or a display name. */
  type: string;
  numberSymbol: string;
  issuedAt?: Date;
  issuer?: string;
  title?: string;
}

export interface OptionFacts {
  id: string;
  title: string;
  description?: string;
}

/** 'NO_OPINION' records "chưa có ý kiến" for a waived request. */
export type SummaryPosition = OpinionPosition | 'NO_OPINION';

export interface OpinionSummaryEntry {
  agencyCode: string;
  position: SummaryPosition;
  summary: string;
}

export interface DocumentFacts {
  id?: string;
  role: DocumentRole;
  docType: DocType;
  /** `123/TTr-STP`, `/TTr-STP`, `TTr-STP` or `/SCT-KT` (công văn); the number may be absent before registration. */
  symbol: string;
  number?: number | null;
  medium: Medium;
  subject?: string;
  kinhGui: string[];
  noiNhan: string[];
  stamped: boolean;
  initialed: boolean;
  hangingStamp: boolean;
  /** null: not applicable or not yet verified. */
  orgSignatureValid: boolean | null;
  personalSignatureValid: boolean | null;
  /** A file body is stored (never allowed for secret dossiers, R-19). */
  hasBody: boolean;
  signerUserId?: string;
  signingForm?: SigningForm;
  /** Issuing agency; R-17 matches opinion documents to the agencies that replied by this code. */
  issuerAgencyCode?: string;
}

export interface OpinionRequestFacts {
  agencyCode: string;
  round: number;
  status: OpinionRequestStatus;
  dueAt: Date;
}

export interface OpinionFacts {
  agencyCode: string;
  position: OpinionPosition;
  preferredOptionId?: string;
  receivedAt: Date;
  round: number;
  changeReason?: string;
  content?: string;
}

export interface AppraisalFacts {
  status: AppraisalStatus;
  conclusion?: AppraisalConclusion;
  lawful?: boolean;
  reasons?: string;
}

export interface SignatureFacts {
  signerUserId: string;
  signerRole: SignerRole;
  signerAgencyCode: string;
  authorizationId?: string;
  stamped: boolean;
  personalSigOk: boolean;
  orgSigOk: boolean;
  signedAt: Date;
  /** Result of the head-signature worker's checkSignature; ok == no error violations. */
  verification: { ok: boolean; errorCodes: string[] };
}

export interface DossierFacts {
  id: string;
  subject: string;
  matterCategory: string;
  decisionAuthority: DecisionAuthority;
  leadAgency: LeadAgencyFacts;
  isLegalNormative: boolean;
  requiresAppraisal: boolean;
  appraiserAgencyCode?: string;
  urgency: Urgency;
  urgentReason?: string;
  secrecyLevel: SecrecyLevel;
  channel: Channel;
  legalBasis: LegalRefFacts[];
  practicalBasis: string;
  proposal: string;
  options: OptionFacts[];
  consultedAgencyCodes: string[];
  opinionSummary: OpinionSummaryEntry[];
  chosenOptionId?: string;
  choiceRationale?: string;
  assignedToUbndMember: boolean;
  documents: DocumentFacts[];
  opinionRequests: OpinionRequestFacts[];
  opinions: OpinionFacts[];
  appraisal?: AppraisalFacts;
  signature?: SignatureFacts;
}

export interface SignerFacts {
  userId: string;
  role: UserRole;
  agencyCode: string;
}

/** Authorization (ủy quyền) from the head to a deputy. */
export interface AuthorizationFacts {
  grantorUserId: string;
  granteeUserId: string;
  agencyCode: string;
  matterCategories: string[];
  dossierIds: string[];
  validFrom: Date;
  validTo: Date;
  revokedAt?: Date | null;
}

export interface SignatureInput {
  dossier: DossierFacts;
  signer: SignerFacts;
  authorization?: AuthorizationFacts;
  stamped: boolean;
  personalSignatureValid: boolean;
  orgSignatureValid: boolean;
  signedAt: Date;
}
