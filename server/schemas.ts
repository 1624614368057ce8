/** Input schemas of the API: every body and query is parsed here before it reaches a service. */
import { z } from 'zod';
import {
  CHANNELS,
  DECISION_AUTHORITIES,
  DOC_TYPES,
  DOCUMENT_ROLES,
  MEDIA,
  OPINION_POSITIONS,
  SECRECY_LEVELS,
  URGENCIES,
  DOSSIER_STATUSES,
} from '../domain/model.ts';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const ALLOWED_CONTENT_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
  'image/png',
  'image/jpeg',
] as const;

const agencyCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'mã cơ quan không hợp lệ');
const shortText = (max: number) => z.string().trim().max(max);
const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/** A file name without any path: directory parts and control characters are refused. */
export const fileName = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((n) => !/[\\/\u0000-\u001f]/.test(n) && n !== '.' && n !== '..', 'tên tệp không được chứa đường dẫn');

export const documentInput = z
  .object({
    role: z.enum(DOCUMENT_ROLES),
    docType: z.enum(DOC_TYPES),
    symbol: shortText(60).optional(),
    subject: shortText(500).default(''),
    medium: z.enum(MEDIA).default('ELECTRONIC'),
    kinhGui: z.array(shortText(200)).max(50).default([]),
    noiNhan: z.array(shortText(200)).max(50).default([]),
    stamped: z.boolean().default(false),
    initialed: z.boolean().default(false),
    hangingStamp: z.boolean().default(false),
    /** Apply the organisation's digital signature on upload (the agency's clerk or leaders). */
    orgSign: z.boolean().default(false),
    issuerAgencyCode: agencyCode.optional(),
    fileName: fileName.optional(),
    contentType: z.enum(ALLOWED_CONTENT_TYPES).optional(),
    contentBase64: z
      .string()
      .max(Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4, 'tệp vượt quá 10 MB')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'nội dung phải mã hóa base64')
      .optional(),
  })
  .strict()
  .refine((d) => !d.contentBase64 || (d.fileName && d.contentType), { message: 'tệp cần có tên và loại (fileName, contentType)', path: ['fileName'] });
export type DocumentInput = z.infer<typeof documentInput>;

export const legalRef = z
  .object({
    type: text(1, 60),
    numberSymbol: text(1, 80),
    issuedAt: z.string().date().optional(),
    issuer: shortText(200).optional(),
    title: shortText(500).optional(),
  })
  .strict();

export const createDossierInput = z
  .object({
    subject: text(5, 500),
    matterCategory: text(2, 120),
    decisionAuthority: z.enum(DECISION_AUTHORITIES),
    leadAgencyCode: agencyCode,
    isLegalNormative: z.boolean().default(false),
    requiresAppraisal: z.boolean().default(false),
    appraiserAgencyCode: agencyCode.optional(),
    urgency: z.enum(URGENCIES).default('THUONG'),
    urgentReason: shortText(1000).optional(),
    secrecyLevel: z.enum(SECRECY_LEVELS).default('NONE'),
    /** Left out: paper for a secret dossier, else electronic; an explicit ELECTRONIC on a secret one is refused. */
    channel: z.enum(CHANNELS).optional(),
    assignedTaskId: z.string().uuid().optional(),
    legalBasis: z.array(legalRef).max(50).default([]),
    practicalBasis: shortText(20_000).default(''),
    proposal: shortText(20_000).default(''),
    options: z.array(z.object({ id: text(1, 40), title: text(1, 300), description: shortText(5000).optional() }).strict()).max(10).default([]),
    consultedAgencyCodes: z.array(agencyCode).max(40).default([]),
    dueAt: z.string().datetime({ offset: true }).optional(),
    documents: z.array(documentInput).max(30).default([]),
    externalRef: shortText(100).optional(),
  })
  .strict();
export type CreateDossierInput = z.infer<typeof createDossierInput>;

type WithoutDefault<T> = T extends z.ZodDefault<infer I> ? I : T;

/**
 * The fields of a PATCH: each optional and none defaulted. zod 4's `partial()` keeps the defaults,
 * which would write the create defaults over what is stored for every field the request left out.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<{ [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> }> {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional()]));
  return z.object(shape) as unknown as z.ZodObject<{ [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> }>;
}

export const updateDossierInput = patchOf(createDossierInput.omit({ leadAgencyCode: true, documents: true, assignedTaskId: true }))
  .extend({
    opinionSummary: z
      .array(z.object({ agencyCode, position: z.enum([...OPINION_POSITIONS, 'NO_OPINION']), summary: text(1, 5000) }).strict())
      .max(40)
      .optional(),
  })
  .strict();
export type UpdateDossierInput = z.infer<typeof updateDossierInput>;

export const dossierListQuery = z
  .object({
    agency: agencyCode.optional(),
    status: z.enum(DOSSIER_STATUSES).optional(),
    step: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    q: shortText(200).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const taskListQuery = z
  .object({
    scope: z.enum(['mine', 'group', 'all']).default('all'),
    dossier: shortText(40).optional(),
    step: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/).optional(),
    dueBefore: z.string().datetime({ offset: true }).optional(),
    dueAfter: z.string().datetime({ offset: true }).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    group: z.string().regex(/^[A-Z][A-Za-z0-9_]{1,63}$/).optional(),
    agency: agencyCode.optional(),
    /** The per-scope counts (mine, claimable, overdue) cost three more engine queries: on request only. */
    counts: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const loginInput = z.object({ username: text(1, 100), password: z.string().min(1).max(200) }).strict();

// The forms of the user tasks are defined once, in processes/forms/<formKey>.form (server/forms/).

/** Ids in paths: a dossier (HS-2026-000012) or an engine task. */
export const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'mã không hợp lệ');
export const uuidParam = z.string().uuid('mã không hợp lệ');
export const agencyParam = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/);

export const waiveInput = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const reportQuery = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional(), agency: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/).optional(), format: z.enum(['json', 'csv']).default('json') })
  .strict();
