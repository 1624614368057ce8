/**
 * Deployment proposals (four eyes on a deployment): the table's one owner. A designer proposes,
 * someone else decides; the decision is taken under a row lock so two approvers cannot both act.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from './audit.ts';

export type ProposalStatus = 'PROPOSED' | 'APPROVED' | 'REJECTED';

/** A line-level difference of the proposed XML from the deployed one (what the approver reads). */
export type XmlDiff = {
  added: number;
  removed: number;
  /** Unified-diff style lines: ' ' kept (context), '+' added, '-' removed; '@@' marks a gap. */
  lines: string[];
};

export type DeploymentProposal = {
  id: string;
  fileName: string;
  processKeys: string[];
  baseDefinitionId: string | null;
  diff: XmlDiff;
  status: ProposalStatus;
  proposedBy: string;
  proposedByName: string | null;
  proposedAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  reason: string | null;
  deploymentId: string | null;
};

type Row = {
  id: string;
  file_name: string;
  process_keys: string[];
  base_definition_id: string | null;
  diff: XmlDiff;
  status: ProposalStatus;
  proposed_by: string;
  proposed_by_name: string | null;
  proposed_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  reason: string | null;
  deployment_id: string | null;
};

const COLUMNS = `p.id, p.file_name, p.process_keys, p.base_definition_id, p.diff, p.status, p.proposed_by, pu.full_name AS proposed_by_name,
  p.proposed_at, p.decided_by, du.full_name AS decided_by_name, p.decided_at, p.reason, p.deployment_id`;
const FROM = 'deployment_proposal p LEFT JOIN app_user pu ON pu.id = p.proposed_by LEFT JOIN app_user du ON du.id = p.decided_by';

const toProposal = (r: Row): DeploymentProposal => ({
  id: r.id,
  fileName: r.file_name,
  processKeys: r.process_keys,
  baseDefinitionId: r.base_definition_id,
  diff: r.diff,
  status: r.status,
  proposedBy: r.proposed_by,
  proposedByName: r.proposed_by_name,
  proposedAt: r.proposed_at.toISOString(),
  decidedBy: r.decided_by,
  decidedByName: r.decided_by_name,
  decidedAt: r.decided_at?.toISOString() ?? null,
  reason: r.reason,
  deploymentId: r.deployment_id,
});

/** A form proposed with its diagram: its file name and text. */
export type ProposedForm = { name: string; content: string };

/** Stores a new proposal and returns it. */
export async function createProposal(
  m: EntityManager,
  p: { fileName: string; processKeys: string[]; xml: string; forms: ProposedForm[]; baseDefinitionId: string | null; diff: XmlDiff; proposedBy: string },
): Promise<DeploymentProposal> {
  const rows = (await m.query(
    `INSERT INTO deployment_proposal (file_name, process_keys, xml, forms, base_definition_id, diff, proposed_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [p.fileName, p.processKeys, p.xml, JSON.stringify(p.forms), p.baseDefinitionId, JSON.stringify(p.diff), p.proposedBy],
  )) as { id: string }[];
  return (await getProposal(m, rows[0]!.id))!;
}

/** Proposals, open ones first, newest first within each group. */
export async function listProposals(m: DataSource | EntityManager, limit = 100): Promise<DeploymentProposal[]> {
  const rows = (await m.query(`SELECT ${COLUMNS} FROM ${FROM} ORDER BY (p.status = 'PROPOSED') DESC, p.proposed_at DESC LIMIT $1`, [limit])) as Row[];
  return rows.map(toProposal);
}

export async function getProposal(m: DataSource | EntityManager, id: string): Promise<DeploymentProposal | null> {
  const rows = (await m.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1`, [id])) as Row[];
  return rows[0] ? toProposal(rows[0]) : null;
}

/** What a decision weighs: the proposal's XML and forms, status, proposer and file name. */
export type LockedProposal = { xml: string; forms: ProposedForm[]; status: ProposalStatus; proposedBy: string; fileName: string };

/** The proposal's XML, forms and status under a row lock, for the decision taken in the same transaction. */
export async function lockProposal(m: EntityManager, id: string): Promise<LockedProposal | null> {
  const rows = (await m.query('SELECT xml, forms, status, proposed_by, file_name FROM deployment_proposal WHERE id = $1 FOR UPDATE', [id])) as {
    xml: string;
    forms: ProposedForm[];
    status: ProposalStatus;
    proposed_by: string;
    file_name: string;
  }[];
  const r = rows[0];
  return r ? { xml: r.xml, forms: r.forms, status: r.status, proposedBy: r.proposed_by, fileName: r.file_name } : null;
}

export async function proposalXml(m: DataSource | EntityManager, id: string): Promise<string | null> {
  const rows = (await m.query('SELECT xml FROM deployment_proposal WHERE id = $1', [id])) as { xml: string }[];
  return rows[0]?.xml ?? null;
}

/** Records the decision on an open proposal (the caller holds its lock). */
export async function decideProposal(
  m: EntityManager,
  id: string,
  d: { status: 'APPROVED' | 'REJECTED'; decidedBy: string; reason: string | null; deploymentId: string | null },
): Promise<void> {
  await m.query(
    `UPDATE deployment_proposal SET status = $2, decided_by = $3, decided_at = now(), reason = $4, deployment_id = $5 WHERE id = $1 AND status = 'PROPOSED'`,
    [id, d.status, d.decidedBy, d.reason, d.deploymentId],
  );
}

/** Who proposes or decides, for the audit trail. */
export type Decider = { userId: string; role: string };

/** Stores a proposal with its audit event, in one transaction. */
export async function proposeDeployment(
  ds: DataSource,
  p: { fileName: string; processKeys: string[]; xml: string; forms: ProposedForm[]; baseDefinitionId: string | null; diff: XmlDiff },
  by: Decider,
): Promise<DeploymentProposal> {
  return ds.transaction(async (m) => {
    const created = await createProposal(m, { ...p, proposedBy: by.userId });
    await recordAudit(m, {
      dossierId: null,
      action: 'PROCESS_DEPLOYMENT_PROPOSED',
      actorUserId: by.userId,
      actorRole: by.role,
      details: {
        proposalId: created.id,
        processKeys: p.processKeys,
        forms: p.forms.map((f) => f.name),
        baseDefinitionId: created.baseDefinitionId,
        added: created.diff.added,
        removed: created.diff.removed,
      },
    });
    return created;
  });
}

/** What an approval deployed. */
export type Deployed = { deploymentId: string; definitions: { id: string; key: string; version: number }[] };

/**
 * Approves a proposal: under its row lock, `deploy` checks it (throwing refuses, nothing recorded)
 * and deploys it; the decision and its audit events are written in the same transaction, so the
 * proposal, the decision and the deployment are one record.
 */
export async function approveProposal(ds: DataSource, id: string, by: Decider, deploy: (p: LockedProposal | null) => Promise<Deployed>): Promise<Deployed> {
  return ds.transaction(async (m) => {
    const p = await lockProposal(m, id);
    const deployed = await deploy(p);
    const proposedBy = p!.proposedBy;
    await decideProposal(m, id, { status: 'APPROVED', decidedBy: by.userId, reason: null, deploymentId: deployed.deploymentId });
    await recordAudit(m, { dossierId: null, action: 'PROCESS_DEPLOYMENT_APPROVED', actorUserId: by.userId, actorRole: by.role, details: { proposalId: id, proposedBy } });
    await recordAudit(m, {
      dossierId: null,
      action: 'PROCESS_DEPLOYED',
      actorUserId: by.userId,
      actorRole: by.role,
      details: { proposalId: id, proposedBy, deploymentId: deployed.deploymentId, definitions: deployed.definitions },
    });
    return deployed;
  });
}

/** Rejects a proposal with a reason: under its row lock, `check` refuses by throwing. */
export async function rejectProposal(ds: DataSource, id: string, by: Decider, reason: string, check: (p: LockedProposal | null) => LockedProposal): Promise<void> {
  await ds.transaction(async (m) => {
    const p = check(await lockProposal(m, id));
    await decideProposal(m, id, { status: 'REJECTED', decidedBy: by.userId, reason, deploymentId: null });
    await recordAudit(m, { dossierId: null, action: 'PROCESS_DEPLOYMENT_REJECTED', actorUserId: by.userId, actorRole: by.role, details: { proposalId: id, proposedBy: p.proposedBy, reason } });
  });
}

const MAX_DIFF_LINES = 4000;
const CONTEXT = 2;

/** The line difference from `before` to `after` (longest common subsequence), with a little context. */
export function xmlDiff(before: string, after: string): XmlDiff {
  const a = before ? before.split(/\r?\n/) : [];
  const b = after.split(/\r?\n/);
  // Lines common to both ends are not part of the problem; only the middle is compared.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const ops: { op: ' ' | '+' | '-'; line: string }[] = [];
  for (let i = Math.max(0, start - CONTEXT); i < start; i++) ops.push({ op: ' ', line: a[i]! });
  if (midA.length * midB.length > MAX_DIFF_LINES * MAX_DIFF_LINES) {
    for (const line of midA) ops.push({ op: '-', line });
    for (const line of midB) ops.push({ op: '+', line });
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = midA[i] === midB[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ op: ' ', line: midA[i]! });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) {
        ops.push({ op: '+', line: midB[j]! });
        j++;
      } else {
        ops.push({ op: '-', line: midA[i]! });
        i++;
      }
    }
  }
  for (let i = endA; i < Math.min(a.length, endA + CONTEXT); i++) ops.push({ op: ' ', line: a[i]! });
  // Keep the changed lines and CONTEXT lines around each; a gap becomes one '@@' line.
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((x) => x.op !== ' '));
  const lines: string[] = [];
  let gap = false;
  ops.forEach((o, k) => {
    if (keep[k]) {
      lines.push(`${o.op}${o.line}`);
      gap = false;
    } else if (!gap) {
      lines.push('@@');
      gap = true;
    }
  });
  return { added: ops.filter((o) => o.op === '+').length, removed: ops.filter((o) => o.op === '-').length, lines: lines.slice(0, 2000) };
}
