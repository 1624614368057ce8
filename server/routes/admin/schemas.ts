/** The organisation's inputs (agencies, users, delegations, reference data): what the admin routes accept and the API document declares. */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../domain/password-policy.ts';
import { AGENCY_TYPES, COMPETENT_AUTHORITIES, SECRECY_LEVELS, USER_ROLES } from '../../../domain/model.ts';
import { patchOf } from '../../schemas.ts';

export const agencyCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'mã cơ quan không hợp lệ');
export const userId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'tên đăng nhập chỉ gồm chữ thường, số, dấu chấm, gạch');
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/** Length here; the rest of the policy (domain/password-policy.ts) where the user's names are known. The demo password predates it. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự`)
  .max(MAX_PASSWORD_LENGTH);
const category = text(1, 120);

export const agencyInput = z
  .object({
    code: agencyCode,
    symbolAbbr: text(1, 20),
    name: text(2, 200),
    type: z.enum(AGENCY_TYPES),
    fields: z.array(category).max(100).default([]),
    headIsUbndMember: z.boolean().default(false),
    parentCode: agencyCode.nullable().optional(),
  })
  .strict();
export const agencyUpdate = patchOf(agencyInput.omit({ code: true })).extend({ headUserId: userId.nullable().optional() }).strict();

export const userInput = z
  .object({
    username: userId,
    fullName: text(2, 200),
    agencyCode,
    position: text(1, 100),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS).default('NONE'),
    password: newPassword,
  })
  .strict();
export const userUpdate = z
  .object({
    fullName: text(2, 200),
    agencyCode,
    position: text(1, 100),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS),
    active: z.boolean(),
  })
  .partial()
  .strict();
export const userListQuery = z
  .object({
    agency: agencyCode.optional(),
    role: z.enum(USER_ROLES).optional(),
    q: z.string().trim().max(100).optional(),
    active: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const delegationInput = z
  .object({
    granteeUserId: userId,
    matterCategories: z.array(category).max(50).default([]),
    dossierIds: z.array(z.string().regex(/^HS-\d{4}-\d{6}$/, 'mã hồ sơ không hợp lệ')).max(50).default([]),
    validFrom: z.string().datetime({ offset: true }),
    validTo: z.string().datetime({ offset: true }),
    reason: text(5, 1000),
  })
  .strict()
  .refine((d) => Date.parse(d.validTo) > Date.parse(d.validFrom), { message: 'thời hạn ủy quyền phải kết thúc sau khi bắt đầu', path: ['validTo'] });
export const delegationListQuery = z
  .object({ agency: agencyCode.optional(), active: z.enum(['true', 'false']).optional() })
  .strict();
export const uuid = z.string().uuid('mã không hợp lệ');

/** A matter category's code: lower-case words joined by hyphens, a sub-category after a slash (cong-thuong/xuc-tien-thuong-mai). */
export const matterCategoryCode = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/, 'mã lĩnh vực gồm chữ thường không dấu, số, gạch nối (lĩnh vực con sau dấu /)');
export const matterCategoryInput = z
  .object({
    code: matterCategoryCode,
    nameVi: text(2, 200),
    nameEn: text(0, 200).default(''),
    competentAuthority: z.enum(COMPETENT_AUTHORITIES),
    active: z.boolean().default(true),
  })
  .strict();
export const matterCategoryUpdate = patchOf(matterCategoryInput.omit({ code: true })).strict();

export const legalBasisTypeCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'mã loại văn bản gồm chữ in hoa không dấu, số, gạch dưới');
export const legalBasisTypeInput = z
  .object({
    code: legalBasisTypeCode,
    nameVi: text(2, 200),
    nameEn: text(0, 200).default(''),
    rank: z.number().int().min(1).max(100_000),
    active: z.boolean().default(true),
  })
  .strict();
export const legalBasisTypeUpdate = patchOf(legalBasisTypeInput.omit({ code: true })).strict();
