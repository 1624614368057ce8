/** What happens to a dossier on its way: opinions, appraisal, signature, submission, returns, audit. */
import { EntitySchema } from 'typeorm';
import type {
  AppraisalConclusion,
  AppraisalStatus,
  Channel,
  OpinionPosition,
  OpinionRequestStatus,
  OpinionSignOffCapacity,
  OpinionStatus,
  ReturnReason,
  SignerRole,
  SigningForm,
} from '../../domain/model.ts';

export type OpinionRequest = {
  id: string;
  dossierId: string;
  agencyCode: string;
  round: number;
  requestDocId: string | null;
  sentAt: Date;
  dueAt: Date;
  remindedAt: Date[];
  status: OpinionRequestStatus;
  waivedBy: string | null;
  waivedAt: Date | null;
  waiverReason: string | null;
};

export const OpinionRequestEntity = new EntitySchema<OpinionRequest>({
  name: 'OpinionRequest',
  tableName: 'opinion_request',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    agencyCode: { type: 'text', name: 'agency_code' },
    round: { type: 'integer' },
    requestDocId: { type: 'uuid', name: 'request_doc_id', nullable: true },
    sentAt: { type: 'timestamptz', name: 'sent_at', default: () => 'now()' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    remindedAt: { type: 'timestamptz', name: 'reminded_at', array: true, default: () => "'{}'" },
    status: { type: 'text', default: 'PENDING' },
    waivedBy: { type: 'text', name: 'waived_by', nullable: true },
    waivedAt: { type: 'timestamptz', name: 'waived_at', nullable: true },
    waiverReason: { type: 'text', name: 'waiver_reason', nullable: true },
  },
  foreignKeys: [
    { name: 'opinion_request_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'opinion_request_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_request_request_doc_id_fkey', target: 'document', columnNames: ['requestDocId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_request_waived_by_fkey', target: 'app_user', columnNames: ['waivedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'opinion_request_dossier_id_agency_code_round_key', columns: ['dossierId', 'agencyCode', 'round'] },
  ],
  indices: [
    { name: 'opinion_request_agency_status', columns: ['agencyCode', 'status'] },
  ],
});

export type Opinion = {
  id: string;
  requestId: string;
  dossierId: string;
  agencyCode: string;
  round: number;
  position: OpinionPosition;
  preferredOptionId: string | null;
  content: string;
  docId: string | null;
  signedByUserId: string | null;
  signerRole: string | null;
  receivedAt: Date;
  late: boolean;
  changeReason: string | null;
  taskId: string | null;
  /** Warnings a rule raised on the opinion. */
  warnings: { rule: string; code: string; message: string }[];
  /** the opinion counts only once SIGNED_OFF by its agency's head or an authorised deputy. */
  status: OpinionStatus;
  signedOffByUserId: string | null;
  signedOffAt: Date | null;
  /** HEAD, or DEPUTY signing KT. (for the head) under `signOffDelegationId`. */
  signOffCapacity: OpinionSignOffCapacity | null;
  signOffDelegationId: string | null;
  sentBackReason: string | null;
};

export const OpinionEntity = new EntitySchema<Opinion>({
  name: 'Opinion',
  tableName: 'opinion',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    requestId: { type: 'uuid', name: 'request_id' },
    dossierId: { type: 'text', name: 'dossier_id' },
    agencyCode: { type: 'text', name: 'agency_code' },
    round: { type: 'integer' },
    position: { type: 'text' },
    preferredOptionId: { type: 'text', name: 'preferred_option_id', nullable: true },
    content: { type: 'text' },
    docId: { type: 'uuid', name: 'doc_id', nullable: true },
    signedByUserId: { type: 'text', name: 'signed_by_user_id', nullable: true },
    signerRole: { type: 'text', name: 'signer_role', nullable: true },
    receivedAt: { type: 'timestamptz', name: 'received_at', default: () => 'now()' },
    late: { type: 'boolean', default: false },
    changeReason: { type: 'text', name: 'change_reason', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
    warnings: { type: 'jsonb', default: () => "'[]'" },
    status: { type: 'text', default: 'AWAITING_SIGN_OFF' },
    signedOffByUserId: { type: 'text', name: 'signed_off_by_user_id', nullable: true },
    signedOffAt: { type: 'timestamptz', name: 'signed_off_at', nullable: true },
    signOffCapacity: { type: 'text', name: 'sign_off_capacity', nullable: true },
    signOffDelegationId: { type: 'uuid', name: 'sign_off_delegation_id', nullable: true },
    sentBackReason: { type: 'text', name: 'sent_back_reason', nullable: true },
  },
  foreignKeys: [
    { name: 'opinion_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'opinion_doc_id_fkey', target: 'document', columnNames: ['docId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_request_id_fkey', target: 'opinion_request', columnNames: ['requestId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_signed_by_user_id_fkey', target: 'app_user', columnNames: ['signedByUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_signed_off_by_user_id_fkey', target: 'app_user', columnNames: ['signedOffByUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'opinion_sign_off_delegation_id_fkey', target: 'delegation', columnNames: ['signOffDelegationId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'opinion_task_id_key', columns: ['taskId'] },
  ],
  indices: [
    { name: 'opinion_dossier', columns: ['dossierId'] },
  ],
});

export type Appraisal = {
  id: string;
  dossierId: string;
  round: number;
  appraiserAgencyCode: string;
  kind: 'LEGAL_NORMATIVE' | 'OTHER';
  requestedAt: Date;
  dueAt: Date | null;
  status: AppraisalStatus;
  conclusion: AppraisalConclusion | null;
  lawful: boolean | null;
  reasons: string | null;
  reportDocId: string | null;
  responseDocId: string | null;
  appraisedBy: string | null;
  taskId: string | null;
  createdAt: Date;
};

export const AppraisalEntity = new EntitySchema<Appraisal>({
  name: 'Appraisal',
  tableName: 'appraisal',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    round: { type: 'integer' },
    appraiserAgencyCode: { type: 'text', name: 'appraiser_agency_code' },
    kind: { type: 'text', default: 'LEGAL_NORMATIVE' },
    requestedAt: { type: 'timestamptz', name: 'requested_at', default: () => 'now()' },
    dueAt: { type: 'timestamptz', name: 'due_at', nullable: true },
    status: { type: 'text', default: 'REQUESTED' },
    conclusion: { type: 'text', nullable: true },
    lawful: { type: 'boolean', nullable: true },
    reasons: { type: 'text', nullable: true },
    reportDocId: { type: 'uuid', name: 'report_doc_id', nullable: true },
    responseDocId: { type: 'uuid', name: 'response_doc_id', nullable: true },
    appraisedBy: { type: 'text', name: 'appraised_by', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
  foreignKeys: [
    { name: 'appraisal_appraised_by_fkey', target: 'app_user', columnNames: ['appraisedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'appraisal_appraiser_agency_code_fkey', target: 'agency', columnNames: ['appraiserAgencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'appraisal_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'appraisal_report_doc_id_fkey', target: 'document', columnNames: ['reportDocId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'appraisal_response_doc_id_fkey', target: 'document', columnNames: ['responseDocId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'appraisal_task_id_key', columns: ['taskId'] },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'appraisal_dossier', columns: ['dossierId', 'createdAt'], synchronize: false },
  ],
});

export type Signature = {
  id: string;
  dossierId: string;
  documentId: string;
  round: number;
  signerUserId: string;
  signerRole: SignerRole;
  signingForm: SigningForm;
  /** The capacity signed in, as printed (domain/signature-block.ts): own position at signing time, head's title for KT./Q., collective for TM. */
  signerPosition: string;
  signedForTitle: string | null;
  collectiveName: string | null;
  authorizationId: string | null;
  urgentReason: string | null;
  stamped: boolean;
  personalSigOk: boolean | null;
  orgSigOk: boolean | null;
  signedAt: Date;
  accountableUserId: string | null;
  verification: { ok: boolean; errorCodes: string[] } | null;
  taskId: string | null;
};

export const SignatureEntity = new EntitySchema<Signature>({
  name: 'Signature',
  tableName: 'signature',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    documentId: { type: 'uuid', name: 'document_id' },
    round: { type: 'integer' },
    signerUserId: { type: 'text', name: 'signer_user_id' },
    signerRole: { type: 'text', name: 'signer_role' },
    signingForm: { type: 'text', name: 'signing_form', default: 'NONE' },
    signerPosition: { type: 'text', name: 'signer_position' },
    signedForTitle: { type: 'text', name: 'signed_for_title', nullable: true },
    collectiveName: { type: 'text', name: 'collective_name', nullable: true },
    authorizationId: { type: 'uuid', name: 'authorization_id', nullable: true },
    urgentReason: { type: 'text', name: 'urgent_reason', nullable: true },
    stamped: { type: 'boolean', default: false },
    personalSigOk: { type: 'boolean', name: 'personal_sig_ok', nullable: true },
    orgSigOk: { type: 'boolean', name: 'org_sig_ok', nullable: true },
    signedAt: { type: 'timestamptz', name: 'signed_at', default: () => 'now()' },
    accountableUserId: { type: 'text', name: 'accountable_user_id', nullable: true },
    verification: { type: 'jsonb', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
  },
  foreignKeys: [
    { name: 'signature_accountable_user_id_fkey', target: 'app_user', columnNames: ['accountableUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'signature_authorization_id_fkey', target: 'delegation', columnNames: ['authorizationId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'signature_document_id_fkey', target: 'document', columnNames: ['documentId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'signature_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'signature_signer_user_id_fkey', target: 'app_user', columnNames: ['signerUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'signature_task_id_key', columns: ['taskId'] },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'signature_dossier', columns: ['dossierId', 'signedAt'], synchronize: false },
  ],
});

export type Submission = {
  id: string;
  dossierId: string;
  round: number;
  idempotencyKey: string;
  submittedAt: Date;
  channel: Channel;
  officeRegistrationNo: string | null;
  intakeStatus: 'RECEIVED' | 'ACCEPTED' | 'RETURNED';
  returnReason: ReturnReason | null;
  note: string | null;
  leaderDecision: 'APPROVED' | 'NOT_APPROVED' | null;
  /** on paper: the clerk's record of the paper original (its số, ký hiệu), who received and stamped it, when. */
  paperReference: string | null;
  paperReceivedBy: string | null;
  paperReceivedAt: Date | null;
  paperStampedBy: string | null;
};

export const SubmissionEntity = new EntitySchema<Submission>({
  name: 'Submission',
  tableName: 'submission',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    round: { type: 'integer' },
    idempotencyKey: { type: 'text', name: 'idempotency_key', unique: true },
    submittedAt: { type: 'timestamptz', name: 'submitted_at', default: () => 'now()' },
    channel: { type: 'text' },
    officeRegistrationNo: { type: 'text', name: 'office_registration_no', nullable: true },
    intakeStatus: { type: 'text', name: 'intake_status', default: 'RECEIVED' },
    returnReason: { type: 'text', name: 'return_reason', nullable: true },
    note: { type: 'text', nullable: true },
    leaderDecision: { type: 'text', name: 'leader_decision', nullable: true },
    paperReference: { type: 'text', name: 'paper_reference', nullable: true },
    paperReceivedBy: { type: 'text', name: 'paper_received_by', nullable: true },
    paperReceivedAt: { type: 'timestamptz', name: 'paper_received_at', nullable: true },
    paperStampedBy: { type: 'text', name: 'paper_stamped_by', nullable: true },
  },
  foreignKeys: [
    { name: 'submission_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'submission_paper_received_by_fkey', target: 'app_user', columnNames: ['paperReceivedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'submission_paper_stamped_by_fkey', target: 'app_user', columnNames: ['paperStampedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'submission_dossier_id_round_key', columns: ['dossierId', 'round'] },
    { name: 'submission_idempotency_key_key', columns: ['idempotencyKey'] },
  ],
});

export type DossierReturn = {
  id: string;
  dossierId: string;
  round: number;
  source: 'OFFICE' | 'GATE' | 'APPRAISAL';
  reason: ReturnReason;
  note: string | null;
  byUserId: string | null;
  at: Date;
  idempotencyKey: string;
};

export const DossierReturnEntity = new EntitySchema<DossierReturn>({
  name: 'DossierReturn',
  tableName: 'dossier_return',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    round: { type: 'integer' },
    source: { type: 'text' },
    reason: { type: 'text' },
    note: { type: 'text', nullable: true },
    byUserId: { type: 'text', name: 'by_user_id', nullable: true },
    at: { type: 'timestamptz', default: () => 'now()' },
    idempotencyKey: { type: 'text', name: 'idempotency_key', unique: true },
  },
  foreignKeys: [
    { name: 'dossier_return_by_user_id_fkey', target: 'app_user', columnNames: ['byUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'dossier_return_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'dossier_return_idempotency_key_key', columns: ['idempotencyKey'] },
  ],
  indices: [
    { name: 'dossier_return_dossier', columns: ['dossierId'] },
  ],
});

export type IncomingDocument = {
  id: string;
  issuer: string;
  numberSymbol: string;
  subject: string;
  receivedAt: Date;
  kinhGui: string[];
  noiNhan: string[];
  requestsAction: boolean;
  coAddressedAgencyCodes: string[];
  processInstanceId: string | null;
  registeredBy: string | null;
  ubndInstructionAt: Date | null;
  registeredForAgency: string | null;
};

export const IncomingDocumentEntity = new EntitySchema<IncomingDocument>({
  name: 'IncomingDocument',
  tableName: 'incoming_document',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    issuer: { type: 'text' },
    numberSymbol: { type: 'text', name: 'number_symbol' },
    subject: { type: 'text', default: '' },
    receivedAt: { type: 'timestamptz', name: 'received_at', default: () => 'now()' },
    kinhGui: { type: 'text', name: 'kinh_gui', array: true, default: () => "'{}'" },
    noiNhan: { type: 'text', name: 'noi_nhan', array: true, default: () => "'{}'" },
    requestsAction: { type: 'boolean', name: 'requests_action', default: true },
    coAddressedAgencyCodes: { type: 'text', name: 'co_addressed_agency_codes', array: true, default: () => "'{}'" },
    processInstanceId: { type: 'text', name: 'process_instance_id', nullable: true },
    registeredBy: { type: 'text', name: 'registered_by', nullable: true },
    ubndInstructionAt: { type: 'timestamptz', name: 'ubnd_instruction_at', nullable: true },
    registeredForAgency: { type: 'text', name: 'registered_for_agency', nullable: true },
  },
  foreignKeys: [
    { name: 'incoming_document_registered_by_fkey', target: 'app_user', columnNames: ['registeredBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'incoming_document_registered_for_agency_fkey', target: 'agency', columnNames: ['registeredForAgency'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'incoming_document_registration', columns: ['issuer', 'numberSymbol'], unique: true, synchronize: false },
  ],
});

export type ProactiveHandling = {
  id: string;
  incomingDocumentId: string;
  agencyCode: string;
  startedAt: Date;
  dueAt: Date;
  firstActionAt: Date | null;
  status: 'OPEN' | 'DONE' | 'OVERDUE';
  reactiveOnly: boolean;
};

export const ProactiveHandlingEntity = new EntitySchema<ProactiveHandling>({
  name: 'ProactiveHandling',
  tableName: 'proactive_handling',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    incomingDocumentId: { type: 'uuid', name: 'incoming_document_id' },
    agencyCode: { type: 'text', name: 'agency_code' },
    startedAt: { type: 'timestamptz', name: 'started_at', default: () => 'now()' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    firstActionAt: { type: 'timestamptz', name: 'first_action_at', nullable: true },
    status: { type: 'text', default: 'OPEN' },
    reactiveOnly: { type: 'boolean', name: 'reactive_only', default: false },
  },
  foreignKeys: [
    { name: 'proactive_handling_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'proactive_handling_incoming_document_id_fkey', target: 'incoming_document', columnNames: ['incomingDocumentId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'proactive_handling_incoming_document_id_agency_code_key', columns: ['incomingDocumentId', 'agencyCode'] },
  ],
});

export type Notification = {
  id: string;
  dossierId: string | null;
  kind: string;
  recipientGroup: string;
  message: string;
  createdAt: Date;
  idempotencyKey: string;
};

export const NotificationEntity = new EntitySchema<Notification>({
  name: 'Notification',
  tableName: 'notification',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id', nullable: true },
    kind: { type: 'text' },
    recipientGroup: { type: 'text', name: 'recipient_group' },
    message: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    idempotencyKey: { type: 'text', name: 'idempotency_key', unique: true },
  },
  foreignKeys: [
    { name: 'notification_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'notification_idempotency_key_key', columns: ['idempotencyKey'] },
  ],
});

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE (see the initial migration). */
export type AuditEvent = {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorRole: string | null;
  onBehalfOf: string | null;
  dossierId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  ruleId: string | null;
  errorCode: string | null;
  details: Record<string, unknown>;
  idempotencyKey: string | null;
};

export const AuditEventEntity = new EntitySchema<AuditEvent>({
  name: 'AuditEvent',
  tableName: 'audit_event',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    at: { type: 'timestamptz', createDate: true },
    actorUserId: { type: 'text', name: 'actor_user_id', nullable: true },
    actorRole: { type: 'text', name: 'actor_role', nullable: true },
    onBehalfOf: { type: 'text', name: 'on_behalf_of', nullable: true },
    dossierId: { type: 'text', name: 'dossier_id', nullable: true },
    action: { type: 'text' },
    fromStatus: { type: 'text', name: 'from_status', nullable: true },
    toStatus: { type: 'text', name: 'to_status', nullable: true },
    ruleId: { type: 'text', name: 'rule_id', nullable: true },
    errorCode: { type: 'text', name: 'error_code', nullable: true },
    details: { type: 'jsonb', default: () => "'{}'" },
    idempotencyKey: { type: 'text', name: 'idempotency_key', nullable: true, unique: true },
  },
  foreignKeys: [
    { name: 'audit_event_dossier_id_fkey', target: 'dossier', columnNames: ['dossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'audit_event_idempotency_key_key', columns: ['idempotencyKey'] },
  ],
  indices: [
    { name: 'audit_event_dossier', columns: ['dossierId', 'id'] },
  ],
});
