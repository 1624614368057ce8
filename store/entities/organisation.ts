/** Agencies, people, delegations and the authority matrix. */
import { EntitySchema } from 'typeorm';
import type { AgencyType, CompetentAuthority, SecrecyLevel, UserRole } from '../../domain/model.ts';

export type Agency = {
  code: string;
  symbolAbbr: string;
  name: string;
  type: AgencyType;
  fields: string[];
  headUserId: string | null;
  headIsUbndMember: boolean;
  parentCode: string | null;
  createdAt: Date;
};

export const AgencyEntity = new EntitySchema<Agency>({
  name: 'Agency',
  tableName: 'agency',
  columns: {
    code: { type: 'text', primary: true },
    symbolAbbr: { type: 'text', name: 'symbol_abbr' },
    name: { type: 'text' },
    type: { type: 'text' },
    fields: { type: 'text', array: true, default: () => "'{}'" },
    headUserId: { type: 'text', name: 'head_user_id', nullable: true },
    headIsUbndMember: { type: 'boolean', name: 'head_is_ubnd_member', default: false },
    parentCode: { type: 'text', name: 'parent_code', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
  foreignKeys: [
    { name: 'agency_head_fk', target: 'app_user', columnNames: ['headUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'agency_parent_code_fkey', target: 'agency', columnNames: ['parentCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
  ],
  checks: [
    { name: 'agency_code_check', expression: "(code ~ '^[A-Z][A-Z0-9_]*$'::text)" },
  ],
});

export type User = {
  id: string;
  username: string;
  fullName: string;
  agencyCode: string;
  position: string;
  role: UserRole;
  clearance: SecrecyLevel;
  passwordHash: string | null;
  active: boolean;
  createdAt: Date;
};

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'app_user',
  columns: {
    id: { type: 'text', primary: true },
    username: { type: 'text', unique: true },
    fullName: { type: 'text', name: 'full_name' },
    agencyCode: { type: 'text', name: 'agency_code' },
    position: { type: 'text' },
    role: { type: 'text' },
    clearance: { type: 'text', default: 'NONE' },
    passwordHash: { type: 'text', name: 'password_hash', nullable: true, select: false },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
  foreignKeys: [
    { name: 'app_user_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'app_user_username_key', columns: ['username'] },
  ],
  indices: [
    { name: 'app_user_agency', columns: ['agencyCode'] },
  ],
});

/** a head's written delegation of signing to a deputy. */
export type Delegation = {
  id: string;
  agencyCode: string;
  grantorUserId: string;
  granteeUserId: string;
  matterCategories: string[];
  dossierIds: string[];
  validFrom: Date;
  validTo: Date;
  reason: string;
  revokedAt: Date | null;
  createdAt: Date;
};

export const DelegationEntity = new EntitySchema<Delegation>({
  name: 'Delegation',
  tableName: 'delegation',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    agencyCode: { type: 'text', name: 'agency_code' },
    grantorUserId: { type: 'text', name: 'grantor_user_id' },
    granteeUserId: { type: 'text', name: 'grantee_user_id' },
    matterCategories: { type: 'text', name: 'matter_categories', array: true, default: () => "'{}'" },
    dossierIds: { type: 'text', name: 'dossier_ids', array: true, default: () => "'{}'" },
    validFrom: { type: 'timestamptz', name: 'valid_from' },
    validTo: { type: 'timestamptz', name: 'valid_to' },
    reason: { type: 'text' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
  foreignKeys: [
    { name: 'delegation_agency_code_fkey', target: 'agency', columnNames: ['agencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'delegation_grantee_user_id_fkey', target: 'app_user', columnNames: ['granteeUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'delegation_grantor_user_id_fkey', target: 'app_user', columnNames: ['grantorUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  checks: [
    { name: 'delegation_check', expression: "(valid_to > valid_from)" },
  ],
  indices: [
    { name: 'delegation_grantee', columns: ['granteeUserId'] },
  ],
});

/** R-01/02: a matter category of the authority matrix, kept by administrators; a retired one (active false) stays for its dossiers. */
export type AuthorityRule = { matterCategory: string; competentAuthority: CompetentAuthority; description: string; nameVi: string; nameEn: string; active: boolean };

export const AuthorityRuleEntity = new EntitySchema<AuthorityRule>({
  name: 'AuthorityRule',
  tableName: 'authority_matrix',
  columns: {
    matterCategory: { type: 'text', name: 'matter_category', primary: true },
    competentAuthority: { type: 'text', name: 'competent_authority' },
    description: { type: 'text', default: '' },
    nameVi: { type: 'text', name: 'name_vi', default: '' },
    nameEn: { type: 'text', name: 'name_en', default: '' },
    active: { type: 'boolean', default: true },
  },
});

/** a kind of legal document a dossier's legal basis cites (Luật, Nghị định…), ranked as the law orders them. */
export type LegalBasisType = { code: string; nameVi: string; nameEn: string; rank: number; active: boolean };

export const LegalBasisTypeEntity = new EntitySchema<LegalBasisType>({
  name: 'LegalBasisType',
  tableName: 'legal_basis_type',
  columns: {
    code: { type: 'text', primary: true },
    nameVi: { type: 'text', name: 'name_vi' },
    nameEn: { type: 'text', name: 'name_en', default: '' },
    rank: { type: 'integer' },
    active: { type: 'boolean', default: true },
  },
});

/** A task assigned by UBND or its Chairman. */
export type AssignedTask = {
  id: string;
  sourceRef: string;
  assignedBy: 'UBND_TINH' | 'CHU_TICH' | 'PHO_CHU_TICH';
  assignedByName: string;
  assigneeAgencyCode: string;
  toUbndMemberHead: boolean;
  content: string;
  dueAt: Date;
  status: 'OPEN' | 'DONE' | 'DONE_LATE';
  completedAt: Date | null;
  createdAt: Date;
  sourceDate: string | null;
  workingDays: number | null;
  reminderAt: Date | null;
  remindedAt: Date | null;
  overdue: boolean;
  overdueAt: Date | null;
  registeredBy: string | null;
  accountableUserId: string | null;
  processInstanceId: string | null;
  completionKind: 'DOSSIER' | 'REPORT' | null;
  completedByDossierId: string | null;
  completionReport: string | null;
  completedBy: string | null;
};

export const AssignedTaskEntity = new EntitySchema<AssignedTask>({
  name: 'AssignedTask',
  tableName: 'assigned_task',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    sourceRef: { type: 'text', name: 'source_ref' },
    assignedBy: { type: 'text', name: 'assigned_by' },
    assignedByName: { type: 'text', name: 'assigned_by_name', default: '' },
    assigneeAgencyCode: { type: 'text', name: 'assignee_agency_code' },
    toUbndMemberHead: { type: 'boolean', name: 'to_ubnd_member_head', default: false },
    content: { type: 'text' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    status: { type: 'text', default: 'OPEN' },
    completedAt: { type: 'timestamptz', name: 'completed_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    sourceDate: { type: 'date', name: 'source_date', nullable: true },
    workingDays: { type: 'integer', name: 'working_days', nullable: true },
    reminderAt: { type: 'timestamptz', name: 'reminder_at', nullable: true },
    remindedAt: { type: 'timestamptz', name: 'reminded_at', nullable: true },
    overdue: { type: 'boolean', default: false },
    overdueAt: { type: 'timestamptz', name: 'overdue_at', nullable: true },
    registeredBy: { type: 'text', name: 'registered_by', nullable: true },
    accountableUserId: { type: 'text', name: 'accountable_user_id', nullable: true },
    processInstanceId: { type: 'text', name: 'process_instance_id', nullable: true },
    completionKind: { type: 'text', name: 'completion_kind', nullable: true },
    completedByDossierId: { type: 'text', name: 'completed_by_dossier_id', nullable: true },
    completionReport: { type: 'text', name: 'completion_report', nullable: true },
    completedBy: { type: 'text', name: 'completed_by', nullable: true },
  },
  foreignKeys: [
    { name: 'assigned_task_accountable_user_id_fkey', target: 'app_user', columnNames: ['accountableUserId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'assigned_task_assignee_agency_code_fkey', target: 'agency', columnNames: ['assigneeAgencyCode'], referencedColumnNames: ['code'], onDelete: 'NO ACTION' },
    { name: 'assigned_task_completed_by_dossier_id_fkey', target: 'dossier', columnNames: ['completedByDossierId'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'assigned_task_completed_by_fkey', target: 'app_user', columnNames: ['completedBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
    { name: 'assigned_task_registered_by_fkey', target: 'app_user', columnNames: ['registeredBy'], referencedColumnNames: ['id'], onDelete: 'NO ACTION' },
  ],
  uniques: [
    { name: 'assigned_task_process_instance_id_key', columns: ['processInstanceId'] },
  ],
  checks: [
    { name: 'assigned_task_completion', expression: "((completed_at IS NULL) = (status = 'OPEN'::text))" },
    { name: 'assigned_task_completion_kind_check', expression: "(completion_kind = ANY (ARRAY['DOSSIER'::text, 'REPORT'::text]))" },
    { name: 'assigned_task_status', expression: "(status = ANY (ARRAY['OPEN'::text, 'DONE'::text, 'DONE_LATE'::text]))" },
    { name: 'assigned_task_working_days_check', expression: "((working_days IS NULL) OR ((working_days >= 1) AND (working_days <= 365)))" },
  ],
  indices: [
    // Partial, descending, GIN and operator-class (trigram, text_pattern_ops) indexes are beyond typeorm: the migrations make them, the schema diff leaves them alone.
    { name: 'assigned_task_agency_due', columns: ['assigneeAgencyCode', 'dueAt'] },
    { name: 'assigned_task_created', columns: ['createdAt'] },
    { name: 'assigned_task_registration', columns: ['sourceRef', 'assigneeAgencyCode'], unique: true, synchronize: false },
  ],
});
