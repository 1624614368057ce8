/** Driving a dossier through the API, as the people of each step would. */
import type { ApiClient } from '../../scripts/lib/api-client.ts';
import { eventually } from './env.ts';

export type TaskItem = { id: string; taskDefinitionKey: string; dossierId: string | null; due: string | null; assignee: string | null; overdue: boolean; name: string | null };

/** Waits until `client` sees the dossier's task at `step`, and returns it. */
export async function waitForTask(client: ApiClient, dossierId: string, step: string, timeoutMs = 30_000): Promise<TaskItem> {
  try {
    return await eventually(async () => {
      const list = await client.get<{ items: TaskItem[] }>(`/api/tasks?dossier=${encodeURIComponent(dossierId)}&step=${step}`);
      return list.items[0];
    }, `${step} of ${dossierId} for ${client.user?.id}`, timeoutMs);
  } catch (err) {
    // Say where the dossier is instead, so a failing test explains itself.
    const d = await detail(client, dossierId).catch(() => null);
    const recent = d?.audit.slice(-3).map((a) => `${a.action}${a.error_code ? ` ${a.error_code}` : ''}`).join(', ');
    throw new Error(`${(err as Error).message}; dossier is ${d?.dossier.status}, active ${d?.process?.active.join(',')}, last events: ${recent}; incidents: ${JSON.stringify(d?.process?.incidents ?? [])}`, { cause: err });
  }
}

export async function doTask(client: ApiClient, dossierId: string, step: string, form: unknown): Promise<TaskItem> {
  const task = await waitForTask(client, dossierId, step);
  await client.claimAndComplete(task.id, form);
  return task;
}

/**
 * A consulted agency's opinion as it counts (R-14): its specialist drafts it at Task_GiveOpinion
 * (`<agency>.chuyenvien` unless `specialist` is given), then its head `<agency>.giamdoc` signs it
 * off at Task_ApproveOpinion.
 */
export async function giveOpinion(
  env: { as(username: string): Promise<ApiClient> },
  dossierId: string,
  agency: string,
  form: unknown,
  specialist?: ApiClient,
): Promise<TaskItem> {
  const task = await doTask(specialist ?? (await env.as(`${agency.toLowerCase()}.chuyenvien`)), dossierId, 'Task_GiveOpinion', form);
  await signOffOpinion(await env.as(`${agency.toLowerCase()}.giamdoc`), dossierId);
  return task;
}

/** The consulted agency's head signs off the opinion its specialist drafted (R-14). */
export function signOffOpinion(head: ApiClient, dossierId: string): Promise<TaskItem> {
  return doTask(head, dossierId, 'Task_ApproveOpinion', { decision: 'APPROVE' });
}

export type DossierDetail = {
  dossier: { id: string; status: string; round: number; overdue: boolean; subject: string; opinionSummary: unknown[] };
  documents: { id: string; role: string; symbol: string | null; number: number | null; locked: boolean; signatures: { kind: string; ok: boolean; reason?: string }[] }[];
  opinionRequests: { agency_code: string; status: string; round: number }[];
  opinions: { agency_code: string; late: boolean; position: string; status: string; signed_off_by_user_id: string | null; sign_off_capacity: string | null; sent_back_reason: string | null }[];
  signatures: { round: number; signer_user_id: string; signer_name: string; signing_form: string; signer_position: string | null; signature_block: string | null }[];
  submissions: { round: number; channel: string; intake_status: string; leader_decision: string | null; paper_reference?: string | null; paper_stamped_by?: string | null }[];
  returns: { reason: string; source: string }[];
  audit: { action: string; on_behalf_of: string | null; rule_id: string | null; error_code: string | null }[];
  process: { state: string; active: string[]; endTime: string | null; history: { activityId: string; activityType: string; endTime: string | null }[]; incidents: { activityId: string; message: string }[] } | null;
};

export function detail(client: ApiClient, dossierId: string): Promise<DossierDetail> {
  return client.get<DossierDetail>(`/api/dossiers/${dossierId}`);
}

/** Waits until the dossier reaches `status`. */
export function waitForStatus(client: ApiClient, dossierId: string, status: string, timeoutMs = 30_000): Promise<DossierDetail> {
  return eventually(async () => {
    const d = await detail(client, dossierId);
    return d.dossier.status === status ? d : undefined;
  }, `${dossierId} to reach ${status}`, timeoutMs);
}
