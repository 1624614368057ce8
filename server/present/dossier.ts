/**
 * The one door for a dossier's data leaving the server: every answer and live event that carries
 * it is built here, masked for whoever asks (domain/access.ts canSeeConfidentialSubject).
 *
 * Masking cannot be forgotten in three ways:
 * - what the presenter produces is `Presented`, a type only this module can make: the services
 *   routes call return it, and hand out no raw row (a start answers the view, not the dossier);
 * - hidden views are built from allow-lists (a dossier column, a document column…); a new column
 *   fails to compile until it is classified, and an unknown column of a raw row is blanked;
 * - `guardDossierAnswers` refuses, with a 500, any JSON answer that holds a dossier row the
 *   presenter did not make (a route that sends `visibleDossier(…)` as is).
 */
import type { NextFunction, Request, Response } from 'express';
import { canOperate, canSeeConfidentialSubject, CONFIDENTIAL_PLACEHOLDER_SUBJECT, type Actor } from '../../domain/access.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import type { SigningForm } from '../../domain/model.ts';
import { signatureBlock } from '../../domain/signature-block.ts';
import { ApiError } from '../errors.ts';
import type { ChangeEvent } from '../events.ts';

const PRESENTED: unique symbol = Symbol('presented');

/** Data the presenter built for one viewer; JSON never shows the brand (a symbol key). */
export type Presented<T> = T & { readonly [PRESENTED]: true };

function brand<T extends object>(value: T): Presented<T> {
  // Enumerable, so a spread of a view stays a view; JSON.stringify skips symbol keys.
  return Object.assign(value, { [PRESENTED]: true as const });
}

/** Whether this viewer may read the dossier's content, not only that it exists. */
export function mayReadContent(actor: Actor, d: Pick<Dossier, 'leadAgencyCode' | 'secrecyLevel'>): boolean {
  return canSeeConfidentialSubject(actor, d);
}

/** What a dossier says (hidden from those not entitled), with the value they see instead. */
const HIDDEN_DOSSIER = {
  subject: CONFIDENTIAL_PLACEHOLDER_SUBJECT,
  urgentReason: null,
  externalRef: null,
  legalBasis: [],
  practicalBasis: '',
  proposal: '',
  options: [],
  opinionSummary: [],
  chosenOptionId: null,
  choiceRationale: null,
  // warnings quote the proposal's phrases and fields.
  ruleWarnings: [],
} satisfies Partial<Dossier>;

/** That a dossier exists and how it moves: shown to everyone who may see the dossier. */
const PUBLIC_DOSSIER: Record<Exclude<keyof Dossier, keyof typeof HIDDEN_DOSSIER>, true> = {
  id: true,
  matterCategory: true,
  decisionAuthority: true,
  leadAgencyCode: true,
  accountableUserId: true,
  createdBy: true,
  assignedTaskId: true,
  assignedToUbndMember: true,
  isLegalNormative: true,
  requiresAppraisal: true,
  appraiserAgencyCode: true,
  urgency: true,
  secrecyLevel: true,
  channel: true,
  consultedAgencyCodes: true,
  dueAt: true,
  status: true,
  overdue: true,
  round: true,
  processInstanceId: true,
  createdAt: true,
  updatedAt: true,
  closedAt: true,
};

export type DossierView = Presented<Dossier & { confidentialHidden: boolean }>;

/** The dossier as this viewer may see it: whole, or its public fields with its content blanked. */
export function presentDossier(actor: Actor, d: Dossier): DossierView {
  if (mayReadContent(actor, d)) return brand({ ...d, confidentialHidden: false });
  const view: Record<string, unknown> = { ...HIDDEN_DOSSIER, confidentialHidden: true };
  for (const key of Object.keys(PUBLIC_DOSSIER) as (keyof typeof PUBLIC_DOSSIER)[]) view[key] = d[key];
  return brand(view as Dossier & { confidentialHidden: boolean });
}

/** A page of dossiers, each presented. */
export function presentDossierPage<P extends object>(actor: Actor, page: P, dossiers: readonly Dossier[]): Presented<P & { items: DossierView[] }> {
  return brand({ ...page, items: dossiers.map((d) => presentDossier(actor, d)) });
}

type Row = Record<string, unknown>;

/** A raw row with only the listed columns kept; every other one is null (a new column stays hidden until listed). */
function keepOnly<T extends Row>(row: T, publicColumns: ReadonlySet<string>, blanks: Readonly<Row> = {}): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, publicColumns.has(k) ? v : k in blanks ? blanks[k] : null])) as T;
}

// The columns of the detail's rows (server/dossiers/service.ts dossierDetail) that say nothing of the content.
const PUBLIC_DOCUMENT = new Set(['id', 'role', 'doc_type', 'number', 'year', 'issuer_agency_code', 'medium', 'stamped', 'initialed', 'hanging_stamp', 'content_type', 'size_bytes', 'sha256', 'version', 'locked', 'created_at', 'superseded_at', 'superseded_by', 'current', 'signatures']);
const PUBLIC_OPINION_REQUEST = new Set(['agency_code', 'round', 'sent_at', 'due_at', 'status', 'reminded_at', 'waived_by', 'waived_at']);
// Who signed and in what capacity is what any reader of the signed paper sees; it says nothing of the content.
const PUBLIC_SIGNATURE = new Set(['round', 'document_id', 'signer_user_id', 'signer_name', 'signer_role', 'signing_form', 'signer_position', 'signed_for_title', 'collective_name', 'signature_block', 'authorization_id', 'stamped', 'personal_sig_ok', 'org_sig_ok', 'signed_at', 'accountable_user_id', 'verification']);
const PUBLIC_SUBMISSION = new Set(['round', 'submitted_at', 'channel', 'paper_received_by', 'paper_received_at', 'paper_stamped_by', 'intake_status', 'return_reason', 'leader_decision']);
const PUBLIC_RETURN = new Set(['round', 'source', 'reason', 'by_user_id', 'at']);
const PUBLIC_AUDIT = new Set(['id', 'at', 'actor_user_id', 'actor_role', 'on_behalf_of', 'action', 'from_status', 'to_status', 'rule_id', 'error_code']);

export type ProcessViewData = {
  incidents: { message: string | null }[];
} & Row;

/** Everything the detail page shows, as read by the service, before it is presented. */
export type DossierDetailData<P extends ProcessViewData | null = ProcessViewData | null> = {
  dossier: Dossier;
  documents: Row[];
  opinionRequests: Row[];
  opinions: Row[];
  appraisals: Row[];
  signatures: Row[];
  submissions: Row[];
  returns: Row[];
  audit: Row[];
  process: P;
};

/** A signing row with the block printed above the signature (domain/signature-block.ts); null when the row lacks what it needs. */
function withSignatureBlock(row: Row): Row {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  let block: string | null;
  try {
    block = signatureBlock({
      signingForm: row['signing_form'] as SigningForm,
      signerPosition: text(row['signer_position']) ?? '',
      signedForTitle: text(row['signed_for_title']),
      collectiveName: text(row['collective_name']),
      signerName: text(row['signer_name']) ?? '',
    });
  } catch {
    block = null;
  }
  return { ...row, signature_block: block };
}

/** docs/RULES.md decision 5: those not entitled learn that a secret dossier moves, not what it says. */
export function presentDossierDetail<P extends ProcessViewData | null>(actor: Actor, data: DossierDetailData<P>) {
  const open = mayReadContent(actor, data.dossier);
  const rows = (list: Row[], columns: ReadonlySet<string>, blanks?: Row) => (open ? list : list.map((r) => keepOnly(r, columns, blanks)));
  const process = data.process;
  return brand({
    dossier: presentDossier(actor, data.dossier),
    // Whom a secret document is addressed to is part of what it says: empty for those not entitled.
    documents: rows(data.documents, PUBLIC_DOCUMENT, { subject: '', kinh_gui: [], noi_nhan: [] }),
    opinionRequests: rows(data.opinionRequests, PUBLIC_OPINION_REQUEST),
    opinions: open ? data.opinions : [],
    appraisals: open ? data.appraisals : [],
    signatures: rows(data.signatures.map(withSignatureBlock), PUBLIC_SIGNATURE),
    submissions: rows(data.submissions, PUBLIC_SUBMISSION),
    returns: rows(data.returns, PUBLIC_RETURN),
    audit: rows(data.audit, PUBLIC_AUDIT, { details: {} }),
    // Engine incident texts are internals, for the people who operate the system, and may quote the content.
    process: process && (!canOperate(actor) || !open) ? { ...process, incidents: process.incidents.map((i) => ({ ...i, message: null })) } : process,
  });
}

/** The error a task's form shows (why the dossier came back), quoting notes: on a secret dossier, for those entitled only. */
export function presentTask<T extends { description?: string | null }>(
  actor: Actor,
  task: T,
  dossier: Pick<Dossier, 'leadAgencyCode' | 'secrecyLevel'> | null,
  lastError: { code: string; message: string } | null,
) {
  const open = !dossier || mayReadContent(actor, dossier);
  return brand({ ...task, description: open ? (task.description ?? null) : null, lastError: lastError && { code: lastError.code, message: open ? lastError.message : '' } });
}

/**
 * A page of tasks. Our diagrams give tasks no description; one a designer writes may quote the
 * dossier's variables, so on a secret dossier it is kept from those not entitled.
 */
export function presentTaskPage<P extends object, T extends { dossierId: string | null; description?: string | null }>(
  actor: Actor,
  page: P,
  tasks: readonly T[],
  dossiers: ReadonlyMap<string, Pick<Dossier, 'leadAgencyCode' | 'secrecyLevel'>>,
): Presented<P & { items: T[] }> {
  const hidden = (t: T) => {
    const d = t.dossierId ? dossiers.get(t.dossierId) : undefined;
    return !!d && !mayReadContent(actor, d);
  };
  return brand({ ...page, items: tasks.map((t) => (t.description && hidden(t) ? { ...t, description: null } : t)) });
}

/**
 * A live event: its kind, the action and the ids it concerns, nothing else, whatever a publisher
 * adds; one without a dossier says only that something changed.
 */
export function presentEvent(e: ChangeEvent): Presented<Pick<ChangeEvent, 'type' | 'action' | 'dossierId' | 'taskId'>> {
  if (!e.dossierId) return brand({ type: e.type, action: e.action });
  return brand({ type: e.type, action: e.action, dossierId: e.dossierId, ...(e.taskId ? { taskId: e.taskId } : {}) });
}

/** Keys that together make an object a dossier row (or a spread of one), in the entity's and the SQL's spelling. */
const DOSSIER_ROW_KEYS = [
  ['secrecyLevel', 'leadAgencyCode'],
  ['secrecy_level', 'lead_agency_code'],
];

/** A dossier row somewhere in the answer that the presenter did not make, with where it sits. */
export function unpresentedDossier(body: unknown, at = '$', depth = 0): string | null {
  if (body === null || typeof body !== 'object' || depth > 8) return null;
  if ((body as { [PRESENTED]?: true })[PRESENTED]) return null;
  if (Array.isArray(body)) {
    for (let i = 0; i < body.length; i++) {
      const found = unpresentedDossier(body[i], `${at}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (body instanceof Date || Buffer.isBuffer(body)) return null;
  if (DOSSIER_ROW_KEYS.some((keys) => keys.every((k) => Object.prototype.hasOwnProperty.call(body, k)))) return at;
  for (const [k, v] of Object.entries(body)) {
    const found = unpresentedDossier(v, `${at}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Express middleware: a JSON answer holding a dossier row the presenter did not make is refused, never sent. */
export function guardDossierAnswers(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    const at = unpresentedDossier(body);
    if (!at) return json(body);
    const refused = new ApiError(500, 'UNPRESENTED_DOSSIER', `Lỗi hệ thống: dữ liệu hồ sơ chưa qua lớp trình bày (${at}).`);
    // Thrown, the error handler logs it and answers in our shape; an error answer is already the
    // error handler's, where a throw would end in express's own HTML page: it gets the refusal as is.
    if (res.statusCode < 400) throw refused;
    res.status(500);
    return json({ error: { code: refused.code, message: refused.message } });
  };
  next();
}
