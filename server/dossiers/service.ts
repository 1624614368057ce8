/** Dossiers: creation (rules checked before anything is stored), the process start, lists and detail. */
import type { EntityManager } from 'typeorm';
import { errorsOnly, warningsOnly, type RuleViolation } from '../../domain/errors.ts';
import { checkConsultedRemoval, checkSummaryMatchesOpinions, requiredChannel, validateIntake, type RulesConfig } from '../../domain/rules/index.ts';
import { loadDossierWithFacts } from '../../store/dossier-facts.ts';
import type { DossierFacts } from '../../domain/facts.ts';
import type { DossierStatus } from '../../domain/model.ts';
import { dossierDeadlines, nextDeadlines, vietnamYear } from '../../domain/calendar.ts';
import { canCreateDossierFor, canEditDossier, canSeeDossier, isOfficeStaff, isSystemRole, UBND_AGENCY, type DossierAccessFacts } from '../../domain/access.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import { recordAudit, recordStarted } from '../../store/audit.ts';
import type { SessionUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { ApiError, conflict, forbidden, notFound, ruleError } from '../errors.ts';
import type { CreateDossierInput, UpdateDossierInput } from '../schemas.ts';
import { assertMetadataOnly, assertNoSecretBodies, LEAD_AGENCY_DOOR, saveDocuments } from './documents.ts';
import { checkSignatures } from '../../store/signatures.ts';
import {
  dossierRecord,
  insertDossier,
  listDossierIds,
  loadDossier,
  loadDossiers,
  lockDossierStatus,
  nextDossierId,
  recordVagueProposalFlag,
  setProcessInstance,
  updateDossierFields,
} from '../../store/dossiers.ts';
import { agencyByCode, agencyExists, type AgencyProfile } from '../../store/organisation.ts';
import { loadAssignedTask } from '../../store/assigned-tasks.ts';
import { recordOutOfAuthorityAttempt } from '../../store/out-of-authority-attempts.ts';
import { activeLegalBasisTypeCodes, matterCategoryByCode, rulesWithStoredMatrix } from '../../store/reference-data.ts';
import { inTransaction } from '../../store/transaction.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { presentDossier, presentDossierDetail, presentDossierPage, type DossierView } from '../present/dossier.ts';

type LeadAgency = Pick<AgencyProfile, 'code' | 'fields' | 'headUserId' | 'headIsUbndMember' | 'symbolAbbr'>;

/** The facts of a dossier not yet stored, so the intake rules can refuse it before anything is saved. */
export function factsFromInput(input: CreateDossierInput, lead: LeadAgency, assignedToUbndMember: boolean, rules: RulesConfig): DossierFacts {
  return {
    id: 'NEW',
    subject: input.subject,
    matterCategory: input.matterCategory,
    decisionAuthority: input.decisionAuthority,
    leadAgency: { code: lead.code, fields: lead.fields, headUserId: lead.headUserId ?? '', headIsUbndMember: lead.headIsUbndMember, symbolAbbr: lead.symbolAbbr },
    isLegalNormative: input.isLegalNormative,
    requiresAppraisal: input.requiresAppraisal || input.isLegalNormative,
    appraiserAgencyCode: input.appraiserAgencyCode,
    urgency: input.urgency,
    urgentReason: input.urgentReason,
    secrecyLevel: input.secrecyLevel,
    channel: input.channel ?? requiredChannel({ secrecyLevel: input.secrecyLevel, channel: 'ELECTRONIC' }, rules),
    legalBasis: input.legalBasis.map((l) => ({ ...l, issuedAt: l.issuedAt ? new Date(l.issuedAt) : undefined })),
    practicalBasis: input.practicalBasis,
    proposal: input.proposal,
    options: input.options,
    consultedAgencyCodes: input.consultedAgencyCodes,
    opinionSummary: [],
    assignedToUbndMember,
    documents: input.documents.map((d) => ({
      role: d.role,
      docType: d.docType,
      symbol: d.symbol ?? '',
      medium: d.medium,
      subject: d.subject,
      kinhGui: d.kinhGui,
      noiNhan: d.noiNhan,
      stamped: d.stamped,
      initialed: d.initialed,
      hangingStamp: d.hangingStamp,
      orgSignatureValid: d.orgSign ? true : null,
      personalSignatureValid: null,
      hasBody: !!d.contentBase64,
      issuerAgencyCode: d.issuerAgencyCode,
    })),
    opinionRequests: [],
    opinions: [],
  };
}

/** Stores a dossier (the rules checked first), starts its process, and answers it as the creator may see it. */
export async function createDossier(deps: ServerDeps, actor: SessionUser, input: CreateDossierInput): Promise<DossierView> {
  if (!canCreateDossierFor(actor, input.leadAgencyCode)) throw forbidden('Chỉ cán bộ của cơ quan chủ trì được lập hồ sơ trình của cơ quan đó.');
  assertMetadataOnly(input.secrecyLevel, input);
  const now = deps.now?.() ?? new Date();
  const stored = await inTransaction(deps.ds, async (m) => {
    const lead = await agencyByCode(m, input.leadAgencyCode);
    if (!lead) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${input.leadAgencyCode}.`, { field: 'leadAgencyCode' });
    for (const code of [...input.consultedAgencyCodes, ...(input.appraiserAgencyCode ? [input.appraiserAgencyCode] : [])]) {
      if (!(await agencyExists(m, code))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${code}.`, { field: 'consultedAgencyCodes' });
    }
    if (input.consultedAgencyCodes.includes(input.leadAgencyCode)) {
      throw new ApiError(422, 'LEAD_CONSULTED', 'Cơ quan chủ trì không tự lấy ý kiến của chính mình.', { field: 'consultedAgencyCodes' });
    }
    let assignedToUbndMember = false;
    let dueAt: Date | null = input.dueAt ? new Date(input.dueAt) : null;
    if (input.assignedTaskId) {
      const t = await loadAssignedTask(m, input.assignedTaskId);
      if (!t || t.assigneeAgencyCode !== input.leadAgencyCode) {
        throw new ApiError(422, 'UNKNOWN_ASSIGNED_TASK', 'Nhiệm vụ được giao không tồn tại hoặc không giao cho cơ quan này.', { field: 'assignedTaskId' });
      }
      // the head personally signs what UBND assigned to a head who is a UBND member.
      assignedToUbndMember = t.toUbndMemberHead && lead.headIsUbndMember;
      dueAt = dueAt ?? t.dueAt;
    }
    assertNoSecretBodies(input.secrecyLevel, input.documents);
    await assertReferenceData(m, input);
    // R-01/02: the authority matrix as administrators keep it now.
    const rules = await rulesWithStoredMatrix(m, deps.policy.rules);
    const facts = factsFromInput(input, lead, assignedToUbndMember, rules);
    const intake = validateIntake(facts, rules);
    const errors = errorsOnly(intake);
    if (errors.length > 0) {
      // a refused out-of-authority submission is recorded outside this rolled-back transaction, so it counts against the head.
      if (errors.some((e) => e.code === 'ERR_OUT_OF_AUTHORITY')) {
        await recordOutOfAuthorityAttempt(deps.ds, {
          agencyCode: lead.code,
          accountableUserId: lead.headUserId,
          actorUserId: actor.id,
          matterCategory: input.matterCategory,
          decisionAuthority: input.decisionAuthority,
          codes: errors.map((e) => e.code),
          at: now,
        });
      }
      throw ruleError(errors);
    }

    const id = await nextDossierId(m, vietnamYear(now));
    const requiresAppraisal = input.requiresAppraisal || input.isLegalNormative;
    await insertDossier(m, {
      id,
      subject: input.subject,
      matterCategory: input.matterCategory,
      decisionAuthority: input.decisionAuthority,
      leadAgencyCode: input.leadAgencyCode,
      accountableUserId: lead.headUserId,
      createdBy: actor.id,
      assignedTaskId: input.assignedTaskId ?? null,
      assignedToUbndMember,
      isLegalNormative: input.isLegalNormative,
      requiresAppraisal,
      appraiserAgencyCode: requiresAppraisal ? (input.appraiserAgencyCode ?? 'STP') : null,
      urgency: input.urgency,
      urgentReason: input.urgentReason ?? null,
      secrecyLevel: input.secrecyLevel,
      channel: facts.channel,
      legalBasis: input.legalBasis,
      practicalBasis: input.practicalBasis,
      proposal: input.proposal,
      options: input.options,
      consultedAgencyCodes: [...new Set(input.consultedAgencyCodes)],
      opinionSummary: [],
      chosenOptionId: null,
      choiceRationale: null,
      ruleWarnings: warningsOnly(intake),
      dueAt: dueAt ?? new Date(dossierDeadlines(now, null, deps.policy.calendar, deps.policy.deadlines).dossierDueAt),
      status: 'DRAFT',
      overdue: false,
      round: 1,
      processInstanceId: null,
      externalRef: input.externalRef ?? null,
      closedAt: null,
    });
    await saveDocuments(m, { id, leadAgencyCode: input.leadAgencyCode, secrecyLevel: input.secrecyLevel }, actor, input.documents, now, LEAD_AGENCY_DOOR);
    await recordAudit(m, { dossierId: id, action: 'CREATED', actorUserId: actor.id, actorRole: actor.role, toStatus: 'DRAFT', idempotencyKey: `created:${id}` });
    await recordVagueProposalFlag(m, id, warningsOnly(intake));
    return id;
  });
  // Stored first, started second: if the engine is down the dossier is kept as DRAFT and can be started again.
  try {
    await startDossierProcess(deps, stored, actor);
  } catch (err) {
    // Stored, not started: the dossier is kept and started as soon as the engine answers again
    // (server/dossiers/reconcile.ts); the caller gets it as accepted, so a retry creates no twin.
    if (!(err instanceof EngineError && err.unreachable)) throw err;
    deps.log.warn(`dossier ${stored} stored; engine unreachable, it starts when the engine returns`);
  }
  return presentDossier(actor, (await loadDossier(deps.ds, stored))!);
}

/** POST /api/dossiers/:id/start: the lead agency starts a stored dossier (again); the answer is the viewer's view. */
export async function startDossier(deps: ServerDeps, actor: SessionUser, id: string): Promise<DossierView> {
  const d = await visibleDossier(deps, actor, id);
  if (!canEditDossier(actor, d)) throw forbidden();
  await startDossierProcess(deps, d.id, actor);
  return presentDossier(actor, (await loadDossier(deps.ds, d.id))!);
}

/** Starts the dossier's process instance once (business key = dossier id); true when this call started it. */
export async function startDossierProcess(deps: ServerDeps, dossierId: string, actor: SessionUser | null): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  const started = await inTransaction(deps.ds, async (m) => {
    // The row stays locked while the engine starts the instance: two starters (a double click, two
    // server replicas reconciling) wait for each other, and the second finds the instance set. The
    // validate-dossier worker's first write waits for it too, so STARTED always comes first.
    const d = await loadDossier(m, dossierId, { forUpdate: true });
    if (!d) throw notFound(`hồ sơ ${dossierId}`);
    if (d.processInstanceId) return false;
    let instanceId = (await deps.engineDb.runningInstance(PROCESS_KEY, dossierId)) ?? undefined;
    if (!instanceId) {
      const lead = await agencyByCode(m, d.leadAgencyCode);
      const deadlines = dossierDeadlines(now, d.dueAt, deps.policy.calendar, deps.policy.deadlines);
      const instance = await deps.engine.startProcess(PROCESS_KEY, dossierId, {
        dossierId,
        leadAgency: d.leadAgencyCode,
        round: d.round,
        needsOpinions: d.consultedAgencyCodes.length > 0,
        requiresAppraisal: d.requiresAppraisal,
        appraiserAgency: d.appraiserAgencyCode ?? 'STP',
        channel: d.channel,
        urgent: d.urgency !== 'THUONG',
        assignedToUbndMember: d.assignedToUbndMember,
        leadHeadUserId: lead?.headUserId ?? '',
        secrecyLevel: d.secrecyLevel,
        ...deadlines,
        ...nextDeadlines(now, deps.policy.calendar, deps.policy.deadlines),
      });
      instanceId = instance.id;
    }
    await setProcessInstance(m, dossierId, instanceId);
    await recordStarted(m, dossierId, instanceId, { actorUserId: actor?.id ?? null, actorRole: actor?.role ?? 'SYSTEM' });
    return true;
  });
  if (started) deps.events.publish({ type: 'dossier', dossierId, action: 'STARTED' });
  return started;
}

/** A rule's 422 on the field of the change it refuses. */
/**
 * a dossier names a matter category administrators keep and have not retired; R-16: each
 * legal basis is of a known type. Refused with the field named, before any rule runs.
 */
async function assertReferenceData(m: EntityManager, input: Pick<UpdateDossierInput, 'matterCategory' | 'legalBasis'>): Promise<void> {
  if (input.matterCategory !== undefined) {
    const category = await matterCategoryByCode(m, input.matterCategory);
    if (!category?.active) {
      throw new ApiError(422, 'ERR_UNKNOWN_MATTER_CATEGORY', `Lĩnh vực "${input.matterCategory}" không có trong danh mục lĩnh vực đang dùng; chọn một lĩnh vực trong danh mục.`, { rule: 'R-01', field: 'matterCategory' });
    }
  }
  if (input.legalBasis !== undefined && input.legalBasis.length > 0) {
    const known = await activeLegalBasisTypeCodes(m);
    const index = input.legalBasis.findIndex((b) => !known.has(b.type));
    if (index >= 0) {
      throw new ApiError(422, 'ERR_UNKNOWN_LEGAL_BASIS_TYPE', `Loại văn bản "${input.legalBasis[index]!.type}" của căn cứ pháp lý ${index + 1} không có trong danh mục.`, { rule: 'R-16', field: `legalBasis.${index}.type` });
    }
  }
}

function onField(v: RuleViolation, field: string): ApiError {
  return new ApiError(422, v.code, v.message, { rule: v.rule, field, details: v.details });
}

/** Fields the diagram routes on or that change who may see what: fixed once the process runs. */
const ROUTING_FIELDS = ['isLegalNormative', 'requiresAppraisal', 'appraiserAgencyCode', 'secrecyLevel', 'channel', 'dueAt'] as const;

/**
 * The dossier's content fields a drafter may change while revising or finalising it. R-11: an agency
 * that already replied stays consulted, and the summary states what each agency actually answered.
 */
export async function applyDossierChanges(
  m: EntityManager,
  dossier: Pick<Dossier, 'id' | 'secrecyLevel'>,
  changes: UpdateDossierInput,
  rules: Pick<RulesConfig, 'silenceMeansConsent'> = { silenceMeansConsent: false },
): Promise<string[]> {
  if (changes.consultedAgencyCodes !== undefined || changes.opinionSummary !== undefined) {
    const facts = (await loadDossierWithFacts(m, dossier.id, new Date(), { signatures: false }))?.facts;
    const removed = facts && changes.consultedAgencyCodes && checkConsultedRemoval(facts.consultedAgencyCodes, changes.consultedAgencyCodes, facts.opinions.map((o) => o.agencyCode));
    if (removed) throw onField(removed, 'consultedAgencyCodes');
    const misstated = facts && changes.opinionSummary && checkSummaryMatchesOpinions({ opinionSummary: changes.opinionSummary, opinions: facts.opinions }, rules);
    if (misstated) throw onField(misstated, 'opinionSummary');
  }
  await assertReferenceData(m, changes);
  // The caller's secrecy level is current: it is a routing field, fixed once the process runs.
  assertMetadataOnly(dossier.secrecyLevel, changes);
  const patch: Partial<Dossier> = {};
  if (changes.subject !== undefined) patch.subject = changes.subject;
  if (changes.matterCategory !== undefined) patch.matterCategory = changes.matterCategory;
  if (changes.decisionAuthority !== undefined) patch.decisionAuthority = changes.decisionAuthority;
  if (changes.practicalBasis !== undefined) patch.practicalBasis = changes.practicalBasis;
  if (changes.proposal !== undefined) patch.proposal = changes.proposal;
  if (changes.legalBasis !== undefined) patch.legalBasis = changes.legalBasis;
  if (changes.options !== undefined) patch.options = changes.options;
  if (changes.consultedAgencyCodes !== undefined) patch.consultedAgencyCodes = [...new Set(changes.consultedAgencyCodes)];
  if (changes.opinionSummary !== undefined) patch.opinionSummary = changes.opinionSummary;
  if (changes.urgency !== undefined) patch.urgency = changes.urgency;
  if (changes.urgentReason !== undefined) patch.urgentReason = changes.urgentReason;
  if (changes.externalRef !== undefined) patch.externalRef = changes.externalRef;
  await updateDossierFields(m, dossier.id, patch);
  return Object.keys(patch);
}

/** Statuses in which the drafter may change the dossier: sent back for revision, or finalising the tờ trình. */
const EDITABLE_STATUSES: readonly DossierStatus[] = ['REVISION_REQUIRED', 'DRAFTING_SUBMISSION'];

/** PATCH /api/dossiers/:id: the lead agency's drafter fixes the dossier; the workers check it again on resubmission. */
export async function updateDossier(deps: ServerDeps, actor: SessionUser, id: string, changes: UpdateDossierInput): Promise<DossierView> {
  const d = await visibleDossier(deps, actor, id);
  if (!canEditDossier(actor, d)) throw forbidden('Chỉ cán bộ của cơ quan chủ trì được sửa hồ sơ trình.');
  const fixed = ROUTING_FIELDS.filter((f) => changes[f] !== undefined);
  if (fixed.length > 0) {
    throw new ApiError(422, 'FIELD_NOT_EDITABLE', `Không sửa được ${fixed.join(', ')} khi hồ sơ đang xử lý; hãy rút hồ sơ và lập hồ sơ mới.`, { field: fixed[0] });
  }
  if (changes.consultedAgencyCodes?.includes(d.leadAgencyCode)) {
    throw new ApiError(422, 'LEAD_CONSULTED', 'Cơ quan chủ trì không tự lấy ý kiến của chính mình.', { field: 'consultedAgencyCodes' });
  }
  await inTransaction(deps.ds, async (m) => {
    const status = (await lockDossierStatus(m, id)) ?? '';
    if (!(EDITABLE_STATUSES as readonly string[]).includes(status)) throw conflict('DOSSIER_NOT_EDITABLE', `Hồ sơ đang ở trạng thái ${status}, không sửa được.`);
    for (const code of changes.consultedAgencyCodes ?? []) {
      if (!(await agencyExists(m, code))) throw new ApiError(422, 'UNKNOWN_AGENCY', `Không có cơ quan ${code}.`, { field: 'consultedAgencyCodes' });
    }
    const fields = await applyDossierChanges(m, d, changes, deps.policy.rules);
    await recordAudit(m, { dossierId: id, action: 'DOSSIER_UPDATED', actorUserId: actor.id, actorRole: actor.role, details: { fields } });
  });
  deps.events.publish({ type: 'dossier', dossierId: id, action: 'UPDATED' });
  return presentDossier(actor, (await loadDossier(deps.ds, id))!);
}

export function accessFacts(d: Dossier): DossierAccessFacts {
  return {
    leadAgencyCode: d.leadAgencyCode,
    secrecyLevel: d.secrecyLevel,
    consultedAgencyCodes: d.consultedAgencyCodes,
    appraiserAgencyCode: d.appraiserAgencyCode,
  };
}

/** Loads a dossier the user may see, or answers 404 (never telling whether it exists). */
export async function visibleDossier(deps: ServerDeps, actor: SessionUser, id: string): Promise<Dossier> {
  const d = await loadDossier(deps.ds, id);
  if (!d || !canSeeDossier(actor, accessFacts(d))) throw notFound(`hồ sơ ${id}`);
  return d;
}

export type DossierListQuery = { agency?: string; status?: string; step?: string; overdue?: 'true' | 'false'; q?: string; page: number; pageSize: number };

/** "HS-2024-00012", "hs-2024-", "HS-2024": the beginning of a dossier number (HS-<year>-<6 digits>). */
const DOSSIER_NUMBER_PREFIX = /^HS-\d{4}(-\d{0,6})?$/i;

/** Beyond this many matching dossiers a list says "more than" instead of counting them all. */
export const LIST_COUNT_CAP = 500;

/** Dossiers the user may see, newest first, with the total (capped) for paging. */
export async function listDossiers(deps: ServerDeps, actor: SessionUser, q: DossierListQuery) {
  const numberSearch = !!q.q && DOSSIER_NUMBER_PREFIX.test(q.q);
  // Who sees what, as canSeeDossier (domain/access.ts) says: system roles none, the Office's staff and UBND all,
  // an agency's staff the dossiers their agency takes part in.
  const visible = isSystemRole(actor.role) ? 'none' : isOfficeStaff(actor) || actor.agencyCode === UBND_AGENCY ? 'all' : { partyOf: actor.agencyCode };
  // Where a dossier waits is the engine's knowledge: ask it which instances are at that step.
  const processInstanceIds = q.step ? (await deps.engine.listProcessInstances({ processDefinitionKey: PROCESS_KEY, activityIdIn: q.step })).map((i) => i.id) : undefined;
  const { ids, count: n } = await listDossierIds(deps.ds, {
    visible,
    numberPrefix: numberSearch ? q.q : undefined,
    text: q.q && !numberSearch ? q.q : undefined,
    leadAgencyCode: q.agency,
    status: q.status,
    overdue: q.overdue ? q.overdue === 'true' : undefined,
    processInstanceIds,
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
    countCap: LIST_COUNT_CAP,
  });
  const dossiers = await loadDossiers(deps.ds, ids);
  const byId = new Map(dossiers.map((d) => [d.id, d]));
  return presentDossierPage(
    actor,
    {
      /** Exact up to LIST_COUNT_CAP; past it `total` is the cap and `totalCapped` is true ("more than"). */
      total: Math.min(n, LIST_COUNT_CAP),
      totalCapped: n > LIST_COUNT_CAP,
      page: q.page,
      pageSize: q.pageSize,
    },
    ids.map((id) => byId.get(id)).filter((d): d is Dossier => !!d),
  );
}

/** Everything a person may know about one dossier: record, documents, steps, audit and the engine's view. */
export async function dossierDetail(deps: ServerDeps, actor: SessionUser, id: string) {
  const d = await visibleDossier(deps, actor, id);
  const now = deps.now?.() ?? new Date();
  // The engine's view in parallel with ours: it only needs the instance id.
  const viewing = d.processInstanceId ? processView(deps, d.processInstanceId) : Promise.resolve(null);
  // The id was read from our own row.
  const { documents, opinionRequests: requests, opinions, appraisals, signatures, submissions, returns, audit, signatureRows } = await dossierRecord(deps.ds, id);
  const checks = await checkSignatures(deps.ds, documents.map((doc) => doc.id as string), signatureRows, now);
  const docsWithSignatures = documents.map((doc) => ({ ...doc, signatures: checks.get(doc.id as string) ?? [] }));
  return presentDossierDetail(actor, { dossier: d, documents: docsWithSignatures, opinionRequests: requests, opinions, appraisals, signatures, submissions, returns, audit, process: await viewing });
}

/** The engine's view of an instance: active activities, history in order, incidents. */
export async function processView(deps: ServerDeps, processInstanceId: string) {
  const p = await deps.engineDb.progress(processInstanceId);
  if (!p) return null;
  return {
    processInstanceId,
    processDefinitionId: p.processDefinitionId,
    state: p.state,
    startTime: p.startTime,
    endTime: p.endTime,
    active: p.active,
    history: p.history,
    incidents: p.incidents.map((i) => ({ id: i.id, activityId: i.activityId, type: i.incidentType, message: i.incidentMessage, at: i.incidentTimestamp })),
  };
}
