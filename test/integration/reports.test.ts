import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput, opinionForm } from '../support/dossiers.ts';
import { doTask, waitForStatus, waitForTask, giveOpinion } from '../support/flow.ts';
import { vietnamYear } from '../../domain/calendar.ts';
import { ApiError } from '../../scripts/lib/api-client.ts';

type Report = { year: number; agencies: { agencyCode: string; assigned: number; doneOnTime: number; doneLate: number; overdueOpen: number; open: number; onTimeRate: number | null; submitted: number; submittedElectronicSigned: number; returnsByReason: Record<string, number> }[]; heads: { accountableUserId: string; assigned: number }[] };

describe('R-25 the Office report per agency and year', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-25 should count a dossier the Office returned as not done, however early it first went up, and keep its return (R-30), submission (R-24) and head (R-26)', async () => {
    // given a dossier that reached the Office before its deadline and was returned once for its practical basis, and one still open
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    await drafter.post('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'));
    await giveOpinion(env, dossier.id, 'SKHDT', opinionForm('SKHDT'));
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), dossier.id, 'Task_Sign', { stamped: true });
    await doTask(await env.as('vp.chuyenvien'), dossier.id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_PRACTICAL_BASIS', note: 'Thiếu cơ sở thực tiễn.' });
    await waitForStatus(drafter, dossier.id, 'REVISION_REQUIRED');

    // when the Office's monitor reads this year's report, as JSON and as CSV
    const monitor = await env.as('vp.theodoi');
    const year = new Date().getFullYear();
    const report = await monitor.get<Report>(`/api/reports/agencies?year=${year}`);
    const csv = await monitor.request<string>('GET', `/api/reports/agencies?year=${year}&format=csv`);

    // then SCT has two open dossiers and no on-time rate yet: the returned one is done only when it goes up again
    const sct = report.agencies.find((a) => a.agencyCode === 'SCT')!;
    expect(sct).toMatchObject({ assigned: 2, doneOnTime: 0, doneLate: 0, overdueOpen: 0, open: 2, onTimeRate: null, submitted: 1, submittedElectronicSigned: 1, returnsByReason: { MISSING_PRACTICAL_BASIS: 1 } });
    expect(report.heads.find((h) => h.accountableUserId === 'sct.giamdoc')?.assigned).toBe(2);
    expect(csv.split('\r\n')[0]).toContain('Tỷ lệ đúng hạn');
    expect(csv).toMatch(/\r\nSCT,Sở Công Thương,\d{4},2,0,0,0,2,,/);

    // when the returned dossier, now past its deadline, is withdrawn by its drafter
    await env.ds.query(`UPDATE dossier SET due_at = now() - interval '1 day' WHERE id = $1`, [dossier.id]);
    await doTask(drafter, dossier.id, 'Task_Revise', { outcome: 'WITHDRAW', note: 'Rút hồ sơ.' });
    await waitForStatus(drafter, dossier.id, 'WITHDRAWN');

    // then it counts as done late, not as gone: the rate falls to 0 instead of leaving the figures
    const after = (await monitor.get<Report>(`/api/reports/agencies?year=${year}`)).agencies.find((a) => a.agencyCode === 'SCT')!;
    expect(after).toMatchObject({ assigned: 2, doneOnTime: 0, doneLate: 1, overdueOpen: 0, open: 1, onTimeRate: 0 });
  });

  it('R-10 should count per agency the opinions its head decided not to wait for, each with its reason shown to the Office, the figure defined in the report and its CSV', async () => {
    // given this year's figures of Sở Công Thương
    const monitor = await env.as('vp.theodoi');
    const year = vietnamYear(new Date());
    const waived = async () => (await monitor.get<{ agencies: { agencyCode: string; opinionsWaived: number }[] }>(`/api/reports/agencies?year=${year}`)).agencies.find((a) => a.agencyCode === 'SCT')!.opinionsWaived;
    const before = await waived();

    // when Sở Nội vụ's opinion is past its deadline and the head goes on without it, saying why
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['SNV'] }));
    await waitForTask(await env.as('snv.chuyenvien'), dossier.id, 'Task_GiveOpinion');
    await env.ds.query(`UPDATE opinion_request SET due_at = now() - interval '1 minute' WHERE dossier_id = $1 AND agency_code = 'SNV'`, [dossier.id]);
    await (await env.as('sct.giamdoc')).post(`/api/dossiers/${dossier.id}/opinions/SNV/waive`, { reason: 'Quá hạn 5 ngày làm việc, Sở Nội vụ không có ý kiến.' });

    // then it counts against the agency, and the Office sees the waiver and its reason on the dossier
    expect(await waived()).toBe(before + 1);
    const seen = (await (await env.as('vp.chuyenvien')).get<{ opinionRequests: { agency_code: string; status: string; waiver_reason?: string }[] }>(`/api/dossiers/${dossier.id}`)).opinionRequests;
    expect(seen.find((r) => r.agency_code === 'SNV')).toMatchObject({ status: 'WAIVED', waiver_reason: 'Quá hạn 5 ngày làm việc, Sở Nội vụ không có ý kiến.' });
    const csv = await monitor.request<string>('GET', `/api/reports/agencies?year=${year}&format=csv`);
    expect(csv.split('\r\n')[0]).toContain('Trình khi chưa có ý kiến');
    expect(csv.slice(csv.indexOf('Định nghĩa,Cách tính')).split('\r\n').find((l) => l.startsWith('Trình khi chưa có ý kiến,'))).toContain('không chờ ý kiến');
  });

  it('R-25 should let a head read only their own agency and refuse a specialist', async () => {
    const head = await env.as('sct.giamdoc');
    const own = await head.get<Report>('/api/reports/agencies');
    expect(own.agencies.map((a) => a.agencyCode)).toEqual(['SCT']);
    const other = await head.get('/api/reports/agencies?agency=STC').catch((e: ApiError) => e);
    expect((other as ApiError).status).toBe(403);
    const specialist = await env.as('sct.chuyenvien');
    const denied = await specialist.get('/api/reports/agencies').catch((e: ApiError) => e);
    expect((denied as ApiError).status).toBe(403);
  });
});
