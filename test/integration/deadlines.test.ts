import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { opinionForm, validDossierInput } from '../support/dossiers.ts';
import { detail, doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { expectRule, fireTimer, instanceOf, openTasks, refusal } from '../support/engine.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Report = { agencies: { agencyCode: string; opinionsGiven: number; lateOpinions: number }[] };

describe('R-13/R-22/R-25 deadlines: late opinions, waivers, overdue dossiers', () => {
  let env: TestEnv;
  let drafter: ApiClient;
  let stc: ApiClient;
  let skhdt: ApiClient;
  beforeAll(async () => {
    env = await createTestEnv();
    drafter = await env.as('sct.chuyenvien');
    stc = await env.as('stc.chuyenvien');
    skhdt = await env.as('skhdt.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  /** A dossier consulting STC and SKHDT, both asked. */
  async function consulting(): Promise<{ id: string; instance: string }> {
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    await waitForTask(stc, dossier.id, 'Task_GiveOpinion');
    await waitForTask(skhdt, dossier.id, 'Task_GiveOpinion');
    return { id: dossier.id, instance: await instanceOf(env, dossier.id) };
  }

  /** STC's deadline passes: the request's due date is behind us and the engine's overdue timer fires. */
  async function stcDeadlinePasses(id: string, instance: string): Promise<void> {
    await env.ds.query(`UPDATE opinion_request SET due_at = now() - interval '1 minute' WHERE dossier_id = $1 AND agency_code = 'STC'`, [id]);
    await fireTimer(env, instance, 'Boundary_OpinionOverdue', 'STC');
    await eventually(async () => (await detail(drafter, id)).opinionRequests.find((r) => r.agency_code === 'STC' && r.status === 'OVERDUE'), 'STC request OVERDUE');
  }

  const stcFigures = async (monitor: ApiClient) => (await monitor.get<Report>('/api/reports/agencies')).agencies.find((a) => a.agencyCode === 'STC')!;

  it('R-13 should mark the request OVERDUE and notify when the opinion timer fires, then accept the late opinion as RECEIVED_LATE and report it', async () => {
    // given a dossier consulting STC and SKHDT, and the Office's figures for STC
    const { id, instance } = await consulting();
    const monitor = await env.as('vp.theodoi');
    const before = await stcFigures(monitor);

    // when STC's deadline passes
    await stcDeadlinePasses(id, instance);

    // then the lead agency and the Office are told, once per group
    const notes = (await env.ds.query(`SELECT recipient_group FROM notification WHERE dossier_id = $1 AND kind = 'OPINION_OVERDUE' ORDER BY recipient_group`, [id])) as {
      recipient_group: string;
    }[];
    expect(notes.map((n) => n.recipient_group)).toEqual(['SCT_chuyenvien', 'SCT_lanhdao', 'VPUBND_theodoi']);

    // when STC's opinion arrives after all (its task stayed open)
    await giveOpinion(env, id, 'STC', opinionForm('STC'), stc);

    // then it is accepted, flagged late, and counted in the Office's report
    const d = await eventually(async () => {
      const x = await detail(drafter, id);
      return x.opinionRequests.find((r) => r.agency_code === 'STC')?.status === 'RECEIVED_LATE' ? x : undefined;
    }, 'RECEIVED_LATE');
    expect(d.opinions).toEqual([expect.objectContaining({ agency_code: 'STC', late: true })]);
    expect(d.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['OPINION_OVERDUE', 'OPINION_RECEIVED_LATE']));
    const after = await stcFigures(monitor);
    expect(after.lateOpinions).toBe(before.lateOpinions + 1);
    expect(after.opinionsGiven).toBe(before.opinionsGiven + 1);
  });

  it('R-13 should let only the lead head waive an opinion, only after its deadline, ending that agency task alone', async () => {
    // given a dossier consulting STC and SKHDT
    const { id, instance } = await consulting();
    const head = await env.as('sct.giamdoc');
    const waive = (client: ApiClient) => client.post(`/api/dossiers/${id}/opinions/STC/waive`, { reason: 'Đã đôn đốc hai lần, cần trình kịp kỳ họp.' });

    // when the head waives before the deadline, then it is refused
    expectRule(await refusal(waive(head)), 422, 'ERR_OPINION_WAIVER_NOT_ALLOWED');

    // when the deadline has passed and the deputy or the specialist waives, then it is refused too
    await stcDeadlinePasses(id, instance);
    expectRule(await refusal(waive(await env.as('sct.phogiamdoc'))), 422, 'ERR_OPINION_WAIVER_NOT_ALLOWED');
    expectRule(await refusal(waive(drafter)), 422, 'ERR_OPINION_WAIVER_NOT_ALLOWED');

    // when the head waives it
    await waive(head);

    // then STC's request is WAIVED by the head and only STC's task has ended
    const d = await detail(drafter, id);
    expect(d.opinionRequests.map((r) => [r.agency_code, r.status]).sort()).toEqual([
      ['SKHDT', 'PENDING'],
      ['STC', 'WAIVED'],
    ]);
    const open = (await openTasks(env, instance)).filter((t) => t.taskDefinitionKey === 'Task_GiveOpinion');
    expect(open).toHaveLength(1);
    expect((await stc.get<{ items: unknown[] }>(`/api/tasks?dossier=${id}&step=Task_GiveOpinion`)).items).toEqual([]);
    expect(d.audit.filter((a) => a.action === 'OPINION_WAIVED')).toEqual([expect.objectContaining({ rule_id: 'R-13', on_behalf_of: 'sct.giamdoc' })]);

    // and once SKHDT answers, the dossier goes on without STC's opinion
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'), skhdt);
    await waitForTask(drafter, id, 'Task_DraftSubmission');
  });

  it('R-13 should refuse a waiver that lost its race to the opinion, and neither record it nor end the task', async () => {
    // given STC's deadline has passed, and STC's opinion is being recorded: its request row is held
    const { id, instance } = await consulting();
    await stcDeadlinePasses(id, instance);
    const head = await env.as('sct.giamdoc');
    const opinion = env.ds.createQueryRunner();
    await opinion.connect();
    await opinion.startTransaction();
    try {
      await opinion.query(`SELECT id FROM opinion_request WHERE dossier_id = $1 AND agency_code = 'STC' FOR UPDATE`, [id]);

      // when the head waives meanwhile, and the opinion commits first
      const waiver = refusal(head.post(`/api/dossiers/${id}/opinions/STC/waive`, { reason: 'Đã đôn đốc hai lần, cần trình kịp kỳ họp.' }));
      await eventually(async () => {
        const waiting = (await env.ds.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE opinion_request SET status = ''WAIVED''%'`,
        )) as unknown[];
        return waiting.length > 0 || undefined;
      }, 'waiver waiting on the request row');
      await opinion.query(`UPDATE opinion_request SET status = 'RECEIVED_LATE' WHERE dossier_id = $1 AND agency_code = 'STC'`, [id]);
      await opinion.commitTransaction();

      // then the waiver is refused, and neither recorded nor sent to the engine
      expectRule(await waiver, 409, 'OPINION_ALREADY_RECEIVED');
    } finally {
      if (opinion.isTransactionActive) await opinion.rollbackTransaction();
      await opinion.release();
    }
    const d = await detail(drafter, id);
    expect(d.opinionRequests.find((r) => r.agency_code === 'STC')?.status).toBe('RECEIVED_LATE');
    expect(d.audit.filter((a) => a.action === 'OPINION_WAIVED')).toEqual([]);
    expect((await openTasks(env, instance)).filter((t) => t.taskDefinitionKey === 'Task_GiveOpinion')).toHaveLength(2);
  });

  it('R-22/R-25 should remind, flag the dossier overdue and open Task_FollowUpDelay for the Office when the dossier timers fire, while the work goes on', async () => {
    // given a dossier consulting STC and SKHDT
    const { id, instance } = await consulting();

    // when the dossier's reminder and deadline timers fire
    await fireTimer(env, instance, 'Start_DossierReminder');
    await fireTimer(env, instance, 'Start_DossierOverdue');

    // then the Office's monitor has a follow-up task and the dossier is flagged overdue
    const monitor = await env.as('vp.theodoi');
    await waitForTask(monitor, id, 'Task_FollowUpDelay');
    const d = await eventually(async () => {
      const x = await detail(drafter, id);
      return x.dossier.overdue ? x : undefined;
    }, 'overdue flag');
    expect(d.audit.filter((a) => a.action === 'DOSSIER_OVERDUE')).toEqual([expect.objectContaining({ rule_id: 'R-22' })]);
    const notes = (await env.ds.query(`SELECT kind, recipient_group FROM notification WHERE dossier_id = $1 AND kind LIKE 'DOSSIER_%' ORDER BY kind, recipient_group`, [id])) as {
      kind: string;
      recipient_group: string;
    }[];
    expect(notes.map((n) => `${n.kind} ${n.recipient_group}`)).toEqual([
      'DOSSIER_OVERDUE SCT_lanhdao',
      'DOSSIER_OVERDUE VPUBND_theodoi',
      'DOSSIER_REMINDER SCT_chuyenvien',
      'DOSSIER_REMINDER SCT_lanhdao',
    ]);

    // when the Office follows up and the consulted agencies answer
    await doTask(monitor, id, 'Task_FollowUpDelay', { note: 'Đã đôn đốc Sở Công Thương, Sở Tài chính và Sở Kế hoạch và Đầu tư.' });
    await giveOpinion(env, id, 'STC', opinionForm('STC'), stc);
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'), skhdt);

    // then the dossier goes on, still flagged overdue
    const drafting = await waitForStatus(drafter, id, 'DRAFTING_SUBMISSION');
    expect(drafting.dossier.overdue).toBe(true);
    expect(drafting.audit.map((a) => a.action)).toContain('DELAY_FOLLOWED_UP');
  });
});
