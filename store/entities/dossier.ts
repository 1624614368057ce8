/** The dossier, its documents and their signatures. */
import { EntitySchema } from 'typeorm';
import type {
  Channel,
  DecisionAuthority,
  DocType,
  DocumentRole,
  DossierStatus,
  Medium,
  OpinionPosition,
  SecrecyLevel,
  SigningForm,
  Urgency,
} from '../../domain/model.ts';

export type LegalRef = { type: string; numberSymbol: string; issuedAt?: string; issuer?: string; title?: string };
export type DossierOption = { id: string; title: string; description?: string };
export type OpinionSummaryEntry = { agencyCode: string; position: OpinionPosition | 'NO_OPINION'; summary: string };
/** A warning a rule raised on the dossier, kept so that the drafter, the head and the Office see it. */
export type RuleWarning = { rule: string; code: string; message: string };

export type Dossier = {
  id: string;
  subject: string;
  matterCategory: string;
  decisionAuthority: DecisionAuthority;
  leadAgencyCode: string;
  accountableUserId: string | null;
  createdBy: string | null;
  assignedTaskId: string | null;
  assignedToUbndMember: boolean;
  isLegalNormative: boolean;
  requiresAppraisal: boolean;
  appraiserAgencyCode: string | null;
  urgency: Urgency;
  urgentReason: string | null;
  secrecyLevel: SecrecyLevel;
  channel: Channel;
  legalBasis: LegalRef[];
  practicalBasis: string;
  proposal: string;
  options: DossierOption[];
  consultedAgencyCodes: string[];
  opinionSummary: OpinionSummaryEntry[];
  chosenOptionId: string | null;
  choiceRationale: string | null;
  ruleWarnings: RuleWarning[];
  dueAt: Date | null;
  status: DossierStatus;
  overdue: boolean;
  round: number;
  processInstanceId: string | null;
  externalRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
};

export const DossierEntity = new EntitySchema<Dossier>({
  name: 'Dossier',
  tableName: 'dossier',
  columns: {
    id: { type: 'text', primary: true },
    subject: { type: 'text' },
    matterCategory: { type: 'text', name: 'matter_category' },
    decisionAuthority: { type: 'text', name: 'decision_authority' },
    leadAgencyCode: { type: 'text', name: 'lead_agency_code' },
    accountableUserId: { type: 'text', name: 'accountable_user_id', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    assignedTaskId: { type: 'uuid', name: 'assigned_task_id', nullable: true },
    assignedToUbndMember: { type: 'boolean', name: 'assigned_to_ubnd_member', default: false },
    isLegalNormative: { type: 'boolean', name: 'is_legal_normative', default: false },
    requiresAppraisal: { type: 'boolean', name: 'requires_appraisal', default: false },
    appraiserAgencyCode: { type: 'text', name: 'appraiser_agency_code', nullable: true },
    urgency: { type: 'text', default: 'THUONG' },
    urgentReason: { type: 'text', name: 'urgent_reason', nullable: true },
    secrecyLevel: { type: 'text', name: 'secrecy_level', default: 'NONE' },
    channel: { type: 'text', default: 'ELECTRONIC' },
    legalBasis: { type: 'jsonb', name: 'legal_basis', default: () => "'[]'" },
    practicalBasis: { type: 'text', name: 'practical_basis', default: '' },
    proposal: { type: 'text', default: '' },
    options: { type: 'jsonb', default: () => "'[]'" },
    consultedAgencyCodes: { type: 'text', name: 'consulted_agency_codes', array: true, default: () => "'{}'" },
    opinionSummary: { type: 'jsonb', name: 'opinion_summary', default: () => "'[]'" },
    chosenOptionId: { type: 'text', name: 'chosen_option_id', nullable: true },
    choiceRationale: { type: 'text', name: 'choice_rationale', nullable: true },
    ruleWarnings: { type: 'jsonb', name: 'rule_warnings', default: () => "'[]'" },
    dueAt: { type: 'timestamptz', name: 'due_at', nullable: true },
    status: { type: 'text', default: 'DRAFT' },
    overdue: { type: 'boolean', default: false },
    round: { type: 'integer', default: 1 },
    processInstanceId: { type: 'text', name: 'process_instance_id', nullable: true },
    externalRef: { type: 'text', name: 'external_ref', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true, default: () => 'now()' },
    closedAt: { type: 'timestamptz', name: 'closed_at', nullable: true },
  },
  foreignKeys: [
    { name: 'dossier_accountable_user_id_fkey', target: 'app_user', columnNames: ['accountableUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'dossier_appraiser_agency_code_fkey', target: 'agency', columnNames: ['appraiserAgencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'dossier_assigned_task_id_fkey', target: 'assigned_task', columnNames: ['assignedTaskId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'dossier_created_by_fkey', target: 'app_user', columnNames: ['createdBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'dossier_lead_agency_code_fkey', target: 'agency', columnNames: ['leadAgencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'dossier_process_instance_id_key', columns: ['processInstanceId'] },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'dossier_appraiser', columns: ['appraiserAgencyCode'], synchronize: false },
    { name: 'dossier_assigned_task', columns: ['assignedTaskId'], synchronize: false },
    { name: 'dossier_consulted_agencies', columns: ['consultedAgencyCodes'], synchronize: false },
    { name: 'dossier_created', columns: ['createdAt'], synchronize: false },
    { name: 'dossier_created_id', columns: ['createdAt', 'id'], synchronize: false },
    { name: 'dossier_id_prefix', columns: ['id'], synchronize: false },
    { name: 'dossier_id_trgm', columns: ['id'], synchronize: false },
    { name: 'dossier_lead_status_created', columns: ['leadAgencyCode', 'status', 'createdAt', 'id'], synchronize: false },
    { name: 'dossier_overdue_created_id', columns: ['createdAt', 'id'], synchronize: false },
    { name: 'dossier_status_created_id', columns: ['status', 'createdAt', 'id'], synchronize: false },
    { name: 'dossier_subject_trgm', columns: ['subject'], synchronize: false },
  ],
});

export type DocumentRecord = {
  id: string;
  dossierId: string;
  role: DocumentRole;
  docType: DocType;
  symbol: string | null;
  number: number | null;
  year: number | null;
  issuedAt: Date | null;
  place: string | null;
  subject: string;
  issuerAgencyCode: string | null;
  signerUserId: string | null;
  signerPosition: string | null;
  signingForm: SigningForm;
  kinhGui: string[];
  noiNhan: string[];
  medium: Medium;
  stamped: boolean;
  initialed: boolean;
  hangingStamp: boolean;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  version: number;
  locked: boolean;
  /** Set when a later version of the same role replaced this one (migration …030). */
  supersededAt: Date | null;
  supersededBy: string | null;
  createdBy: string | null;
  createdAt: Date;
};

export const DocumentEntity = new EntitySchema<DocumentRecord>({
  name: 'Document',
  tableName: 'document',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    role: { type: 'text' },
    docType: { type: 'text', name: 'doc_type' },
    symbol: { type: 'text', nullable: true },
    number: { type: 'integer', nullable: true },
    year: { type: 'integer', nullable: true },
    issuedAt: { type: 'timestamptz', name: 'issued_at', nullable: true },
    place: { type: 'text', nullable: true },
    subject: { type: 'text', default: '' },
    issuerAgencyCode: { type: 'text', name: 'issuer_agency_code', nullable: true },
    signerUserId: { type: 'text', name: 'signer_user_id', nullable: true },
    signerPosition: { type: 'text', name: 'signer_position', nullable: true },
    signingForm: { type: 'text', name: 'signing_form', default: 'NONE' },
    kinhGui: { type: 'text', name: 'kinh_gui', array: true, default: () => "'{}'" },
    noiNhan: { type: 'text', name: 'noi_nhan', array: true, default: () => "'{}'" },
    medium: { type: 'text', default: 'ELECTRONIC' },
    stamped: { type: 'boolean', default: false },
    initialed: { type: 'boolean', default: false },
    hangingStamp: { type: 'boolean', name: 'hanging_stamp', default: false },
    fileName: { type: 'text', name: 'file_name', nullable: true },
    contentType: { type: 'text', name: 'content_type', nullable: true },
    sizeBytes: { type: 'integer', name: 'size_bytes', nullable: true },
    sha256: { type: 'text', nullable: true },
    version: { type: 'integer', default: 1 },
    locked: { type: 'boolean', default: false },
    supersededAt: { type: 'timestamptz', name: 'superseded_at', nullable: true },
    supersededBy: { type: 'uuid', name: 'superseded_by', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
  foreignKeys: [
    { name: 'document_created_by_fkey', target: 'app_user', columnNames: ['createdBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'document_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'document_issuer_agency_code_fkey', target: 'agency', columnNames: ['issuerAgencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'document_signer_user_id_fkey', target: 'app_user', columnNames: ['signerUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'document_superseded_by_fkey', target: 'document', columnNames: ['supersededBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'document_current', columns: ['dossierId', 'role'], synchronize: false },
    { name: 'document_dossier', columns: ['dossierId'] },
    { name: 'document_registered_number', columns: ['issuerAgencyCode', 'year', 'docType', 'number'], unique: true, synchronize: false },
  ],
});

export type DocumentBody = { documentId: string; bytes: Buffer };

export const DocumentBodyEntity = new EntitySchema<DocumentBody>({
  name: 'DocumentBody',
  tableName: 'document_body',
  columns: {
    documentId: { type: 'uuid', name: 'document_id', primary: true },
    bytes: { type: 'bytea' },
  },
  foreignKeys: [
    { name: 'document_body_document_id_fkey', target: 'document', columnNames: ['documentId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
});

export type Certificate = {
  serial: string;
  subjectKind: 'PERSON' | 'ORGANISATION';
  subjectId: string;
  agencyCode: string;
  publicKeyPem: string;
  validFrom: Date;
  validTo: Date;
  record: Record<string, unknown>;
  revokedAt: Date | null;
};

export const CertificateEntity = new EntitySchema<Certificate>({
  name: 'Certificate',
  tableName: 'certificate',
  columns: {
    serial: { type: 'text', primary: true },
    subjectKind: { type: 'text', name: 'subject_kind' },
    subjectId: { type: 'text', name: 'subject_id' },
    agencyCode: { type: 'text', name: 'agency_code' },
    publicKeyPem: { type: 'text', name: 'public_key_pem' },
    validFrom: { type: 'timestamptz', name: 'valid_from' },
    validTo: { type: 'timestamptz', name: 'valid_to' },
    record: { type: 'jsonb' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
  },
  foreignKeys: [
    { name: 'certificate_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
  ],
  indices: [
    { name: 'certificate_subject', columns: ['subjectKind', 'subjectId'] },
  ],
});

export type SigningKey = { certSerial: string; privateKeyPem: string };

export const SigningKeyEntity = new EntitySchema<SigningKey>({
  name: 'SigningKey',
  tableName: 'signing_key',
  columns: {
    certSerial: { type: 'text', name: 'cert_serial', primary: true },
    privateKeyPem: { type: 'text', name: 'private_key_pem', select: false },
  },
  foreignKeys: [
    { name: 'signing_key_cert_serial_fkey', target: 'certificate', columnNames: ['certSerial'], referencedColumnNames: ['serial'], onDelete: 'NO ACTION' },
  ],
});

export type DocumentSignature = {
  id: string;
  documentId: string;
  kind: 'PERSON' | 'ORGANISATION';
  certSerial: string;
  sha256: string;
  signedAt: Date;
  record: Record<string, unknown>;
};

export const DocumentSignatureEntity = new EntitySchema<DocumentSignature>({
  name: 'DocumentSignature',
  tableName: 'document_signature',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    documentId: { type: 'uuid', name: 'document_id' },
    kind: { type: 'text' },
    certSerial: { type: 'text', name: 'cert_serial' },
    sha256: { type: 'text' },
    signedAt: { type: 'timestamptz', name: 'signed_at' },
    record: { type: 'jsonb' },
  },
  foreignKeys: [
    { name: 'document_signature_cert_serial_fkey', target: 'certificate', columnNames: ['certSerial'], referencedColumnNames: ['serial'], onDelete: 'NO ACTION' },
    { name: 'document_signature_document_id_fkey', target: 'document', columnNames: ['documentId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'document_signature_per_signer', columns: ['documentId', 'kind', 'certSerial', 'sha256'] },
  ],
  checks: [
    { name: 'document_signature_kind_check', expression: "(kind = ANY (ARRAY['PERSON'::text, 'ORGANISATION'::text]))" },
  ],
});
