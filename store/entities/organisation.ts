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
    fields: { type: 'text', array: true },
    headUserId: { type: 'text', name: 'head_user_id', nullable: true },
    headIsUbndMember: { type: 'boolean', name: 'head_is_ubnd_member' },
    parentCode: { type: 'text', name: 'parent_code', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
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
    clearance: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash', nullable: true, select: false },
    active: { type: 'boolean' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
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
    matterCategories: { type: 'text', name: 'matter_categories', array: true },
    dossierIds: { type: 'text', name: 'dossier_ids', array: true },
    validFrom: { type: 'timestamptz', name: 'valid_from' },
    validTo: { type: 'timestamptz', name: 'valid_to' },
    reason: { type: 'text' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});

export type AuthorityRule = { matterCategory: string; competentAuthority: CompetentAuthority; description: string };

export const AuthorityRuleEntity = new EntitySchema<AuthorityRule>({
  name: 'AuthorityRule',
  tableName: 'authority_matrix',
  columns: {
    matterCategory: { type: 'text', name: 'matter_category', primary: true },
    competentAuthority: { type: 'text', name: 'competent_authority' },
    description: { type: 'text' },
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
};

export const AssignedTaskEntity = new EntitySchema<AssignedTask>({
  name: 'AssignedTask',
  tableName: 'assigned_task',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    sourceRef: { type: 'text', name: 'source_ref' },
    assignedBy: { type: 'text', name: 'assigned_by' },
    assignedByName: { type: 'text', name: 'assigned_by_name' },
    assigneeAgencyCode: { type: 'text', name: 'assignee_agency_code' },
    toUbndMemberHead: { type: 'boolean', name: 'to_ubnd_member_head' },
    content: { type: 'text' },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    status: { type: 'text' },
    completedAt: { type: 'timestamptz', name: 'completed_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});
