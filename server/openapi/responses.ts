/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from them, the contract
 * test validates real answers against them, and the web app takes its types from them (z.infer).
 * Objects are strict: a field the server sends and this file does not declare fails the test.
 */
import { z } from 'zod';
import {
  AGENCY_TYPES,
  CHANNELS,
  DECISION_AUTHORITIES,
  DOC_TYPES,
  DOCUMENT_ROLES,
  DOSSIER_STATUSES,
  MEDIA,
  OPINION_POSITIONS,
  SECRECY_LEVELS,
  SIGNING_FORMS,
  URGENCIES,
  USER_ROLES,
} from '../../domain/model.ts';

/** A time we store (PostgreSQL timestamptz, sent as ISO 8601 in UTC). */
const time = z.iso.datetime({ offset: true });
/** A time the engine reports, in its own ISO 8601 spelling (offset without a colon). */
const engineTime = z.string().meta({ format: 'date-time' });
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const apiErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ description: 'Machine-readable code: INVALID_INPUT, NOT_FOUND, FORBIDDEN, a rule code such as ERR_SUBMISSION_DOC_TYPE…' }),
      message: z.string().meta({ description: 'For people, in Vietnamese.' }),
      rule: z.string().optional().meta({ description: 'The directive rule broken (R-15…), or the form constraint.' }),
      field: z.string().optional().meta({ description: 'The input field at fault, dotted for nested ones (legalBasis.0.type).' }),
      details: z.unknown().optional().meta({ description: 'More about the refusal: every input issue or broken rule (a list), or the state that refused it.' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every refusal and failure of the API has this shape.' });

export const sessionUser = z
  .strictObject({
    id: z.string(),
    username: z.string(),
    fullName: z.string(),
    agencyCode: z.string(),
    position: z.string(),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS),
    groups: z.array(z.string()).meta({ description: "The engine's candidate groups the user belongs to." }),
  })
  .meta({ id: 'SessionUser' });
export const session = z.strictObject({ user: sessionUser, csrfToken: z.string().meta({ description: 'Send it back in the x-csrf-token header of every change.' }) }).meta({ id: 'Session' });

const legalRef = z.strictObject({ type: z.string(), numberSymbol: z.string(), issuedAt: z.string().optional(), issuer: z.string().optional(), title: z.string().optional() });
const dossierOption = z.strictObject({ id: z.string(), title: z.string(), description: z.string().optional() });
const opinionSummaryEntry = z.strictObject({ agencyCode: z.string(), position: z.enum([...OPINION_POSITIONS, 'NO_OPINION']), summary: z.string() });

export const dossier = z
  .strictObject({
    id: z.string().meta({ example: 'HS-2026-000012' }),
    subject: z.string().meta({ description: 'The placeholder "Hồ sơ mật" for those not entitled to a secret dossier.' }),
    matterCategory: z.string(),
    decisionAuthority: z.enum(DECISION_AUTHORITIES),
    leadAgencyCode: z.string(),
    accountableUserId: nullable(z.string()),
    createdBy: nullable(z.string()),
    assignedTaskId: nullable(z.string()),
    assignedToUbndMember: z.boolean(),
    isLegalNormative: z.boolean(),
    requiresAppraisal: z.boolean(),
    appraiserAgencyCode: nullable(z.string()),
    urgency: z.enum(URGENCIES),
    urgentReason: nullable(z.string()),
    secrecyLevel: z.enum(SECRECY_LEVELS),
    channel: z.enum(CHANNELS),
    legalBasis: z.array(legalRef),
    practicalBasis: z.string(),
    proposal: z.string(),
    options: z.array(dossierOption),
    consultedAgencyCodes: z.array(z.string()),
    opinionSummary: z.array(opinionSummaryEntry),
    chosenOptionId: nullable(z.string()),
    choiceRationale: nullable(z.string()),
    ruleWarnings: z
      .array(z.strictObject({ rule: z.string(), code: z.string(), message: z.string() }))
      .meta({ description: 'Warnings of the latest intake check (R-03 vague proposal, R-04 outside the agency’s field): shown, never blocking. Empty for those not entitled to a secret dossier.' }),
    dueAt: nullable(time),
    status: z.enum(DOSSIER_STATUSES),
    overdue: z.boolean(),
    round: z.number().int(),
    processInstanceId: nullable(z.string()),
    externalRef: nullable(z.string()),
    createdAt: time,
    updatedAt: time,
    closedAt: nullable(time),
    confidentialHidden: z.boolean().meta({ description: 'True when the content was blanked for this viewer (a secret dossier, docs/RULES.md decision 5).' }),
  })
  .meta({ id: 'Dossier', description: 'A dossier as the viewer may see it.' });

/** A list page with a count capped for speed: past the cap, `total` is the cap and `totalCapped` is true. */
const cappedPage = <T extends z.ZodType>(item: T) =>
  z.strictObject({ total: z.number().int(), totalCapped: z.boolean(), page: z.number().int(), pageSize: z.number().int(), items: z.array(item) });

export const dossierPage = cappedPage(dossier).meta({ id: 'DossierPage' });
export const dossierAnswer = z.strictObject({ dossier });
export const dossierCreated = z.strictObject({
  dossier,
  pending: z.strictObject({ code: z.literal('ENGINE_UNAVAILABLE'), message: z.string() }).optional().meta({ description: 'Present with 202: stored, the process starts when the engine answers again.' }),
});

const signatureCheck = z.strictObject({
  kind: z.enum(['PERSON', 'ORGANISATION']),
  certSerial: z.string(),
  subjectId: z.string(),
  ok: z.boolean(),
  reason: z.string().optional(),
});
const documentRow = z
  .strictObject({
    id: z.uuid(),
    role: z.enum(DOCUMENT_ROLES),
    doc_type: z.enum(DOC_TYPES),
    symbol: nullable(z.string()),
    number: nullable(z.number().int()),
    year: nullable(z.number().int()),
    subject: z.string(),
    issuer_agency_code: nullable(z.string()),
    kinh_gui: z.array(z.string()).meta({ description: 'Kính gửi: whom the document is addressed to; empty for those who may not read a secret dossier.' }),
    noi_nhan: z.array(z.string()).meta({ description: 'Nơi nhận: the recipients listed at its foot; empty for those who may not read a secret dossier.' }),
    medium: z.enum(MEDIA),
    stamped: z.boolean(),
    initialed: z.boolean(),
    hanging_stamp: z.boolean(),
    file_name: nullable(z.string()),
    content_type: nullable(z.string()),
    size_bytes: nullable(z.number().int()),
    sha256: nullable(z.string()),
    version: z.number().int(),
    locked: z.boolean(),
    created_at: time,
    superseded_at: nullable(time),
    superseded_by: nullable(z.uuid()),
    current: z.boolean(),
    signatures: z.array(signatureCheck),
  })
  .meta({ id: 'DossierDocument' });
const opinionRequestRow = z.strictObject({
  agency_code: z.string(),
  round: z.number().int(),
  sent_at: time,
  due_at: time,
  status: z.string(),
  reminded_at: z.array(time),
  waived_by: nullable(z.string()),
  waived_at: nullable(time),
  waiver_reason: nullable(z.string()),
});
const opinionRow = z.strictObject({
  id: z.uuid(),
  agency_code: z.string(),
  round: z.number().int(),
  position: z.string(),
  preferred_option_id: nullable(z.string()),
  content: z.string(),
  received_at: time,
  late: z.boolean(),
  change_reason: nullable(z.string()),
  signed_by_user_id: nullable(z.string()),
  warnings: z.array(z.strictObject({ rule: z.string(), code: z.string(), message: z.string() })).meta({ description: 'R-14: a change of position without its reason, taken and flagged.' }),
  status: z.enum(['AWAITING_SIGN_OFF', 'SIGNED_OFF', 'SENT_BACK']).meta({ description: 'R-14: the opinion counts only once SIGNED_OFF by its agency\'s head or an authorised deputy.' }),
  signed_off_by_user_id: nullable(z.string()),
  signed_off_at: nullable(time),
  sign_off_capacity: nullable(z.enum(['HEAD', 'DEPUTY'])).meta({ description: 'HEAD, or DEPUTY signing KT. under the head\'s delegation.' }),
  sent_back_reason: nullable(z.string()),
});
const appraisalRow = z.strictObject({
  round: z.number().int(),
  appraiser_agency_code: z.string(),
  status: z.string(),
  conclusion: nullable(z.string()),
  lawful: nullable(z.boolean()),
  reasons: nullable(z.string()),
  created_at: time,
});
const signatureRow = z.strictObject({
  round: z.number().int(),
  document_id: z.uuid(),
  signer_user_id: z.string(),
  signer_name: z.string(),
  signer_role: z.string(),
  signing_form: z.enum(SIGNING_FORMS),
  signer_position: nullable(z.string()),
  signed_for_title: nullable(z.string()),
  collective_name: nullable(z.string()),
  signature_block: nullable(z.string()).meta({ description: 'The lines printed above the signature and the name, "\\n"-separated, e.g. "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\\nNguyễn Văn A".' }),
  authorization_id: nullable(z.uuid()),
  stamped: z.boolean(),
  personal_sig_ok: nullable(z.boolean()),
  org_sig_ok: nullable(z.boolean()),
  signed_at: time,
  accountable_user_id: nullable(z.string()),
  verification: nullable(z.record(z.string(), z.unknown())),
});
const submissionRow = z.strictObject({
  round: z.number().int(),
  submitted_at: time,
  channel: z.enum(CHANNELS),
  office_registration_no: nullable(z.string()),
  paper_reference: nullable(z.string()).meta({ description: 'R-19: the paper original\'s số, ký hiệu, as the lead agency\'s clerk recorded it.' }),
  paper_received_by: nullable(z.string()),
  paper_received_at: nullable(time),
  paper_stamped_by: nullable(z.string()).meta({ description: 'The clerk who stamped the paper original (R-05 on paper).' }),
  intake_status: z.string(),
  return_reason: nullable(z.string()),
  note: nullable(z.string()),
  leader_decision: nullable(z.string()),
});
const returnRow = z.strictObject({ round: z.number().int(), source: z.string(), reason: z.string(), note: nullable(z.string()), by_user_id: nullable(z.string()), at: time });
const auditRow = z.strictObject({
  id: z.string().meta({ description: 'bigint, as a string' }),
  at: time,
  actor_user_id: nullable(z.string()),
  actor_role: nullable(z.string()),
  on_behalf_of: nullable(z.string()),
  action: z.string(),
  from_status: nullable(z.string()),
  to_status: nullable(z.string()),
  rule_id: nullable(z.string()),
  error_code: nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
});
const processView = z.strictObject({
  processInstanceId: z.string(),
  processDefinitionId: z.string(),
  state: z.string(),
  startTime: time,
  endTime: nullable(time),
  active: z.array(z.string()).meta({ description: 'Activity ids where the instance waits now.' }),
  history: z.array(
    z.strictObject({ activityId: z.string(), activityName: nullable(z.string()), activityType: z.string(), startTime: time, endTime: nullable(time), canceled: z.boolean(), assignee: nullable(z.string()) }),
  ),
  incidents: z.array(z.strictObject({ id: z.string(), activityId: z.string(), type: z.string(), message: nullable(z.string()), at: time })),
});

export const dossierDetail = z
  .strictObject({
    dossier,
    documents: z.array(documentRow),
    opinionRequests: z.array(opinionRequestRow),
    opinions: z.array(opinionRow),
    appraisals: z.array(appraisalRow),
    signatures: z.array(signatureRow),
    submissions: z.array(submissionRow),
    returns: z.array(returnRow),
    audit: z.array(auditRow),
    process: nullable(processView).meta({ description: "The engine's view of the instance; null before it starts." }),
  })
  .meta({ id: 'DossierDetail', description: 'Rows keep their column names; on a secret dossier the content columns are null for those not entitled.' });

const taskBase = {
  id: z.string(),
  name: nullable(z.string()),
  assignee: nullable(z.string()),
  created: time,
  due: nullable(time),
  followUp: nullable(time),
  description: nullable(z.string()),
  executionId: z.string(),
  processDefinitionId: z.string(),
  processInstanceId: z.string(),
  taskDefinitionKey: z.string().meta({ description: 'The step of the diagram (Task_GiveOpinion…).' }),
  priority: z.number().int(),
  formKey: nullable(z.string()),
  dossierId: nullable(z.string()),
  overdue: z.boolean(),
  candidateGroups: z.array(z.string()),
};
/** What people tell tasks apart by, from the task's dossier (null for a task of no dossier). */
const taskDossierFacts = {
  subject: nullable(z.string()).meta({ description: "The dossier's subject as the viewer may see it." }),
  leadAgencyCode: nullable(z.string()),
  leadAgencyName: nullable(z.string()),
  requestedBy: nullable(z.string()).meta({ description: 'Who drew up the dossier.' }),
};

export const taskItem = z
  .strictObject({ ...taskBase, ...taskDossierFacts })
  .meta({ id: 'TaskItem' });
export const taskPage = cappedPage(taskItem)
  .extend({
    counts: z
      .strictObject({
        mine: z.number().int(),
        claimable: z.number().int(),
        overdue: z.number().int(),
        capped: z.strictObject({ mine: z.boolean(), claimable: z.boolean(), overdue: z.boolean() }),
      })
      .optional()
      .meta({ description: 'With counts=true only.' }),
  })
  .meta({ id: 'TaskPage' });
export const taskDetail = z
  .strictObject({
    task: z.strictObject({
      ...taskBase,
      ...taskDossierFacts,
      candidateUsers: z.array(z.string()),
      form: z.string().meta({ description: 'The form to fill in (processes/forms/<form>.form).' }),
      lastError: nullable(z.strictObject({ code: z.string(), message: z.string() })).meta({ description: 'Why the dossier came back to this step.' }),
    }),
  })
  .meta({ id: 'TaskDetail' });
export const taskForm = z
  .strictObject({
    formKey: z.string(),
    schema: z.record(z.string(), z.unknown()).meta({ description: 'The form-js schema the server validates the completion against.' }),
    data: z.record(z.string(), z.unknown()).optional().meta({ description: 'What the form reads: options, the facts its conditions test.' }),
  })
  .meta({ id: 'TaskForm' });
export const taskCompleted = z.strictObject({ dossierId: nullable(z.string()), dryRun: z.boolean().optional() });

export const documentCreated = z.strictObject({ documentId: z.uuid() });

const agencyFigures = z.strictObject({
  agencyCode: z.string(),
  agencyName: z.string(),
  parentCode: nullable(z.string()),
  assigned: z.number().int(),
  doneOnTime: z.number().int(),
  doneLate: z.number().int(),
  overdueOpen: z.number().int(),
  open: z.number().int(),
  onTimeRate: nullable(z.number()),
  opinionsGiven: z.number().int(),
  lateOpinions: z.number().int(),
  opinionsWaived: z.number().int().meta({ description: 'R-10/R-13: opinions the lead agency’s head decided, with a reason, not to wait for once past their deadline.' }),
  submitted: z.number().int(),
  submittedElectronicSigned: z.number().int(),
  returnsByReason: z.record(z.string(), z.number().int()),
  tasks: z
    .strictObject({ assigned: z.number().int(), doneOnTime: z.number().int(), doneLate: z.number().int(), overdueOpen: z.number().int(), open: z.number().int(), onTimeRate: nullable(z.number()) })
    .meta({ description: 'Tasks UBND assigned to the agency (R-22), by the year of their UBND document: not dossiers.' }),
});
export const agencyReport = z
  .strictObject({
    year: z.number().int(),
    generatedAt: time,
    agencies: z.array(agencyFigures),
    heads: z.array(
      z.strictObject({
        accountableUserId: z.string(),
        fullName: z.string(),
        agencyCode: z.string(),
        assigned: z.number().int(),
        doneLate: z.number().int(),
        overdueOpen: z.number().int(),
        returns: z.number().int(),
        tasksAssigned: z.number().int(),
        tasksDoneLate: z.number().int(),
        tasksOverdueOpen: z.number().int(),
        vagueProposals: z.number().int().meta({ description: 'R-26: returns of the head’s dossiers as vague proposals.' }),
        vagueProposalsFlagged: z.number().int().meta({ description: 'R-03/R-26: the head’s dossiers whose proposal the intake check found vague (at creation or an intake check), once each, even if reworded later.' }),
        outOfAuthority: z.number().int().meta({ description: 'R-02/R-26: refused out-of-authority submissions plus out-of-authority returns.' }),
      }),
    ),
    definitions: z.record(z.string(), z.string()).meta({ description: 'What each figure counts, by its field (tasks.* and heads.* for the nested ones).' }),
  })
  .meta({ id: 'AgencyReport', description: "The Office's on-time figures per agency and per accountable head (R-22, R-25, R-29)." });

const engineDefinition = z.strictObject({
  id: z.string(),
  key: z.string(),
  name: nullable(z.string()),
  version: z.number().int(),
  deploymentId: z.string(),
  resource: z.string(),
  versionTag: nullable(z.string()),
  suspended: z.boolean(),
  category: nullable(z.string()),
  description: nullable(z.string()),
  diagram: nullable(z.string()),
  tenantId: nullable(z.string()),
  historyTimeToLive: nullable(z.number().int()),
  startableInTasklist: z.boolean(),
}).meta({ description: "The engine's own record of a definition, as its REST API gives it." });
export const processList = z.strictObject({ definitions: z.array(engineDefinition) });
export const definitionList = z.strictObject({
  definitions: z.array(
    z.strictObject({
      id: z.string(),
      key: z.string(),
      name: nullable(z.string()),
      version: z.number().int(),
      versionTag: nullable(z.string()),
      resource: z.string(),
      deploymentId: z.string(),
      deploymentName: nullable(z.string()),
      deploymentTime: nullable(engineTime),
      source: nullable(z.string()),
    }),
  ),
});
export const definitionXml = z.strictObject({ id: z.string(), key: z.string(), version: z.number().int(), xml: z.string() });
export const definitionForms = z.strictObject({
  id: z.string(),
  forms: z.array(
    z.strictObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The form-js schema; null when the form is refused (see problems).' }),
      problems: z.array(z.strictObject({ code: z.string(), message: z.string() })),
    }),
  ),
});
export const deploymentProposal = z
  .strictObject({
    id: z.uuid(),
    fileName: z.string(),
    processKeys: z.array(z.string()),
    baseDefinitionId: nullable(z.string()),
    diff: z.strictObject({ added: z.number().int(), removed: z.number().int(), lines: z.array(z.string()).meta({ description: "Unified-diff lines: ' ' kept, '+' added, '-' removed, '@@' a gap." }) }),
    status: z.enum(['PROPOSED', 'APPROVED', 'REJECTED']),
    proposedBy: z.string(),
    proposedByName: nullable(z.string()),
    proposedAt: z.string().meta({ format: 'date-time' }),
    decidedBy: nullable(z.string()),
    decidedByName: nullable(z.string()),
    decidedAt: nullable(z.string().meta({ format: 'date-time' })),
    reason: nullable(z.string()),
    deploymentId: nullable(z.string()),
  })
  .meta({ id: 'DeploymentProposal', description: 'A new version of a diagram, deployed only once someone other than its designer approves it (four eyes).' });
export const proposalAnswer = z.strictObject({ proposal: deploymentProposal });
export const proposalList = z.strictObject({ proposals: z.array(deploymentProposal) });
export const proposalDetail = z.strictObject({ proposal: deploymentProposal, xml: z.string() });
export const proposalApproved = z.strictObject({
  proposal: deploymentProposal,
  deploymentId: z.string(),
  definitions: z.array(z.strictObject({ id: z.string(), key: z.string(), version: z.number().int() })),
});
export const definitionStatistics = z.strictObject({
  definition: z.strictObject({ id: z.string(), key: z.string(), version: z.number().int(), name: nullable(z.string()) }),
  activities: z.array(
    z.strictObject({ activityId: z.string(), instances: z.number().int(), incidents: z.number().int(), overdue: z.number().int(), avgDurationMs: nullable(z.number()), completed: z.number().int() }),
  ),
});
export const incidentList = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      type: z.string(),
      message: nullable(z.string()),
      at: engineTime,
      activityId: z.string(),
      processInstanceId: z.string(),
      processDefinitionId: nullable(z.string()),
      dossierId: nullable(z.string()),
    }),
  ),
});
export const dossierSteps = z.strictObject({ steps: z.array(z.strictObject({ activityId: z.string(), name: nullable(z.string()), dossierIds: z.array(z.string()) })) });

export const incomingRegistered = z.strictObject({ id: z.uuid(), agencies: z.array(z.string()), dueAt: time });
export const incomingList = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.uuid(),
      issuer: z.string(),
      number_symbol: z.string(),
      subject: z.string(),
      received_at: time,
      ubnd_instruction_at: nullable(time),
      agency_code: nullable(z.string()),
      due_at: nullable(time),
      first_action_at: nullable(time),
      status: nullable(z.string()),
      reactiveOnly: z.boolean().meta({ description: 'R-23: the agency acted only after UBND’s own instruction.' }),
    }),
  ),
});
export const created = z.strictObject({ id: z.uuid() });
/** A task UBND assigned, as GET /assigned-tasks and its detail answer it. */
export const assignedTask = z.strictObject({
  id: z.uuid(),
  sourceRef: z.string(),
  sourceDate: nullable(z.string()),
  assignedBy: z.enum(['UBND_TINH', 'CHU_TICH', 'PHO_CHU_TICH']),
  assignedByName: z.string(),
  assigneeAgencyCode: z.string(),
  assigneeAgencyName: z.string().optional(),
  toUbndMemberHead: z.boolean(),
  content: z.string(),
  workingDays: nullable(z.number().int()),
  dueAt: time,
  reminderAt: nullable(time),
  status: z.enum(['OPEN', 'DONE', 'DONE_LATE']),
  overdue: z.boolean().meta({ description: 'Past its deadline and not completed, now.' }),
  escalatedAt: nullable(time).meta({ description: 'When the process escalated it to the Office as overdue.' }),
  completedAt: nullable(time),
  completionKind: nullable(z.enum(['DOSSIER', 'REPORT'])),
  completedByDossierId: nullable(z.string()),
  completionReport: nullable(z.string()),
  dossierIds: z.array(z.string()).optional(),
  lastProgress: nullable(z.strictObject({ content: z.string(), percent: nullable(z.number().int()), reportedAt: time })).optional(),
});

export const assignedTaskList = z.strictObject({ items: z.array(assignedTask) });

export const assignedTaskDetail = z.strictObject({
  task: assignedTask,
  progress: z.array(z.strictObject({ id: z.uuid(), agencyCode: z.string(), reportedBy: z.string(), content: z.string(), percent: nullable(z.number().int()), reportedAt: time })),
});

export const assignedTaskAnswer = z.strictObject({ task: assignedTask });

export const agency = z
  .strictObject({
    code: z.string(),
    symbolAbbr: z.string(),
    name: z.string(),
    type: z.enum(AGENCY_TYPES),
    fields: z.array(z.string()),
    headUserId: nullable(z.string()),
    headIsUbndMember: z.boolean(),
    parentCode: nullable(z.string()),
  })
  .meta({ id: 'Agency' });
export const agencyList = z.strictObject({ items: z.array(agency) });
export const agencyAnswer = z.strictObject({ agency });
export const user = z
  .strictObject({
    id: z.string(),
    username: z.string(),
    fullName: z.string(),
    agencyCode: z.string(),
    position: z.string(),
    role: z.enum(USER_ROLES),
    clearance: z.enum(SECRECY_LEVELS),
    active: z.boolean(),
    createdAt: time,
  })
  .meta({ id: 'User' });
export const userPage = z.strictObject({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(user) });
export const userAnswer = z.strictObject({ user });
export const delegation = z
  .strictObject({
    id: z.uuid(),
    agencyCode: z.string(),
    grantorUserId: z.string(),
    granteeUserId: z.string(),
    matterCategories: z.array(z.string()),
    dossierIds: z.array(z.string()),
    validFrom: time,
    validTo: time,
    reason: z.string(),
    revokedAt: nullable(time),
    createdAt: time,
  })
  .meta({ id: 'Delegation', description: 'R-06: a head lets a deputy of the same agency sign, for matters or dossiers, for a period.' });
export const delegationList = z.strictObject({ items: z.array(delegation) });
export const delegationAnswer = z.strictObject({ delegation });

export type SessionAnswer = z.infer<typeof session>;
export type Dossier = z.infer<typeof dossier>;
export type DossierPage = z.infer<typeof dossierPage>;
export type DossierDetail = z.infer<typeof dossierDetail>;
export type TaskItem = z.infer<typeof taskItem>;
export type TaskPage = z.infer<typeof taskPage>;
export type TaskDetail = z.infer<typeof taskDetail>['task'];
export type TaskFormAnswer = z.infer<typeof taskForm>;
export type AgencyReport = z.infer<typeof agencyReport>;
export type Agency = z.infer<typeof agency>;
export type User = z.infer<typeof user>;
export type Delegation = z.infer<typeof delegation>;
export type DefinitionList = z.infer<typeof definitionList>;
export type IncidentList = z.infer<typeof incidentList>;
export type DefinitionStatistics = z.infer<typeof definitionStatistics>;
export type DossierSteps = z.infer<typeof dossierSteps>;
export type DossierCreated = z.infer<typeof dossierCreated>;
export type DeploymentProposal = z.infer<typeof deploymentProposal>;
