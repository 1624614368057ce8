/** What happens to a dossier on its way: opinions, appraisal, signature, submission, returns, audit. */
import { EntitySchema } from 'typeorm';
import type {
  AppraisalConclusion,
  AppraisalStatus,
  Channel,
  OpinionPosition,
  OpinionRequestStatus,
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
    sentAt: { type: 'timestamptz', name: 'sent_at' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    remindedAt: { type: 'timestamptz', name: 'reminded_at', array: true },
    status: { type: 'text' },
    waivedBy: { type: 'text', name: 'waived_by', nullable: true },
    waivedAt: { type: 'timestamptz', name: 'waived_at', nullable: true },
    waiverReason: { type: 'text', name: 'waiver_reason', nullable: true },
  },
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
    receivedAt: { type: 'timestamptz', name: 'received_at' },
    late: { type: 'boolean' },
    changeReason: { type: 'text', name: 'change_reason', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
  },
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
    kind: { type: 'text' },
    requestedAt: { type: 'timestamptz', name: 'requested_at' },
    dueAt: { type: 'timestamptz', name: 'due_at', nullable: true },
    status: { type: 'text' },
    conclusion: { type: 'text', nullable: true },
    lawful: { type: 'boolean', nullable: true },
    reasons: { type: 'text', nullable: true },
    reportDocId: { type: 'uuid', name: 'report_doc_id', nullable: true },
    responseDocId: { type: 'uuid', name: 'response_doc_id', nullable: true },
    appraisedBy: { type: 'text', name: 'appraised_by', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});

export type Signature = {
  id: string;
  dossierId: string;
  documentId: string;
  round: number;
  signerUserId: string;
  signerRole: SignerRole;
  signingForm: SigningForm;
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
    signingForm: { type: 'text', name: 'signing_form' },
    authorizationId: { type: 'uuid', name: 'authorization_id', nullable: true },
    urgentReason: { type: 'text', name: 'urgent_reason', nullable: true },
    stamped: { type: 'boolean' },
    personalSigOk: { type: 'boolean', name: 'personal_sig_ok', nullable: true },
    orgSigOk: { type: 'boolean', name: 'org_sig_ok', nullable: true },
    signedAt: { type: 'timestamptz', name: 'signed_at' },
    accountableUserId: { type: 'text', name: 'accountable_user_id', nullable: true },
    verification: { type: 'jsonb', nullable: true },
    taskId: { type: 'text', name: 'task_id', nullable: true, unique: true },
  },
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
};

export const SubmissionEntity = new EntitySchema<Submission>({
  name: 'Submission',
  tableName: 'submission',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    dossierId: { type: 'text', name: 'dossier_id' },
    round: { type: 'integer' },
    idempotencyKey: { type: 'text', name: 'idempotency_key', unique: true },
    submittedAt: { type: 'timestamptz', name: 'submitted_at' },
    channel: { type: 'text' },
    officeRegistrationNo: { type: 'text', name: 'office_registration_no', nullable: true },
    intakeStatus: { type: 'text', name: 'intake_status' },
    returnReason: { type: 'text', name: 'return_reason', nullable: true },
    note: { type: 'text', nullable: true },
    leaderDecision: { type: 'text', name: 'leader_decision', nullable: true },
  },
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
    at: { type: 'timestamptz' },
    idempotencyKey: { type: 'text', name: 'idempotency_key', unique: true },
  },
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
};

export const IncomingDocumentEntity = new EntitySchema<IncomingDocument>({
  name: 'IncomingDocument',
  tableName: 'incoming_document',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    issuer: { type: 'text' },
    numberSymbol: { type: 'text', name: 'number_symbol' },
    subject: { type: 'text' },
    receivedAt: { type: 'timestamptz', name: 'received_at' },
    kinhGui: { type: 'text', name: 'kinh_gui', array: true },
    noiNhan: { type: 'text', name: 'noi_nhan', array: true },
    requestsAction: { type: 'boolean', name: 'requests_action' },
    coAddressedAgencyCodes: { type: 'text', name: 'co_addressed_agency_codes', array: true },
    processInstanceId: { type: 'text', name: 'process_instance_id', nullable: true },
    registeredBy: { type: 'text', name: 'registered_by', nullable: true },
  },
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
    startedAt: { type: 'timestamptz', name: 'started_at' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    firstActionAt: { type: 'timestamptz', name: 'first_action_at', nullable: true },
    status: { type: 'text' },
    reactiveOnly: { type: 'boolean', name: 'reactive_only' },
  },
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
    details: { type: 'jsonb' },
    idempotencyKey: { type: 'text', name: 'idempotency_key', nullable: true, unique: true },
  },
});
