import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { ApiError } from '../../scripts/lib/api-client.ts';

describe('R-23 documents co-addressed to several agencies', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-23 should start proactive handling for every co-addressed agency at once and flag the one that misses its deadline', async () => {
    // given the Office registers a ministry's letter sent to UBND tỉnh and co-addressed to SCT and STC
    const office = await env.as('vp.chuyenvien');
    const reg = await office.post<{ id: string; agencies: string[] }>('/api/incoming-documents', {
      issuer: 'Bộ Công Thương',
      numberSymbol: '1234/BCT-TTTN',
      subject: 'V/v triển khai chương trình bình ổn thị trường',
      kinhGui: ['UBND tỉnh Long An', 'SCT'],
      noiNhan: ['STC', 'Lưu: VT'],
      requestsAction: true,
    });
    expect(reg.agencies).toEqual(['SCT', 'STC']);

    // when SCT acts on it
    const sct = await env.as('sct.chuyenvien');
    const task = await eventually(async () => (await sct.get<{ items: { id: string; taskDefinitionKey: string }[] }>('/api/tasks?step=Task_ProactiveHandling')).items[0], 'SCT proactive task');
    await sct.claimAndComplete(task.id, { action: 'Đã chủ trì họp các đơn vị, ban hành kế hoạch bình ổn.' });

    // and STC's deadline passes (its timer job executed through the engine)
    const rows = (await env.ds.query('SELECT process_instance_id FROM incoming_document WHERE id = $1', [reg.id])) as { process_instance_id: string }[];
    const pi = rows[0]!.process_instance_id;
    const jobs = await eventually(async () => {
      const j = await env.engine.jobs({ processInstanceId: pi, timers: true });
      return j.length === 1 ? j : undefined; // SCT's timer ended with its task
    }, 'STC timer only');
    await env.engine.executeJob(jobs[0]!.id);

    // then SCT is done on time, STC is overdue and told, and its task stays open
    const handling = await eventually(async () => {
      const h = (await env.ds.query('SELECT agency_code, status, first_action_at FROM proactive_handling WHERE incoming_document_id = $1 ORDER BY agency_code', [reg.id])) as {
        agency_code: string;
        status: string;
        first_action_at: Date | null;
      }[];
      return h[1]?.status === 'OVERDUE' ? h : undefined;
    }, 'STC overdue');
    expect(handling.map((h) => [h.agency_code, h.status])).toEqual([['SCT', 'DONE'], ['STC', 'OVERDUE']]);
    expect(handling[0]!.first_action_at).not.toBeNull();
    const notes = (await env.ds.query(`SELECT recipient_group FROM notification WHERE kind = 'PROACTIVE_OVERDUE' ORDER BY recipient_group`)) as { recipient_group: string }[];
    expect(notes.map((n) => n.recipient_group)).toEqual(['STC_lanhdao', 'VPUBND_theodoi']);
    const stc = await env.as('stc.chuyenvien');
    expect((await stc.get<{ items: unknown[] }>('/api/tasks?step=Task_ProactiveHandling')).items).toHaveLength(1);
  });

  it('R-23 should start nothing when UBND tỉnh is not among the addressees, and refuse the same document twice', async () => {
    const office = await env.as('vp.chuyenvien');
    const reg = await office.post<{ agencies: string[] }>('/api/incoming-documents', {
      issuer: 'Sở Y tế tỉnh Tây Ninh',
      numberSymbol: '55/SYT-NV',
      subject: 'V/v phối hợp',
      kinhGui: ['SYT'],
      requestsAction: true,
    });
    expect(reg.agencies).toEqual([]);
    const again = await office
      .post('/api/incoming-documents', { issuer: 'Sở Y tế tỉnh Tây Ninh', numberSymbol: '55/SYT-NV', subject: 'V/v phối hợp', kinhGui: ['SYT'] })
      .catch((e: ApiError) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect((again as ApiError).status).toBe(409);
  });

  it("R-23 should record UBND tỉnh's instruction on a document once, and refuse a document that does not exist", async () => {
    // given a registered document the Office has not yet been instructed on
    const office = await env.as('vp.chuyenvien');
    const reg = await office.post<{ id: string }>('/api/incoming-documents', {
      issuer: 'Bộ Tài chính',
      numberSymbol: '77/BTC-NSNN',
      subject: 'V/v rà soát dự toán',
      kinhGui: ['UBND tỉnh Long An'],
      noiNhan: ['STC'],
      requestsAction: true,
    });

    // when the instruction is recorded twice, the second time with a later date
    await office.post(`/api/incoming-documents/${reg.id}/ubnd-instruction`, { at: '2026-03-02T08:00:00+07:00' });
    await office.post(`/api/incoming-documents/${reg.id}/ubnd-instruction`, { at: '2026-03-09T08:00:00+07:00' });

    // then the first date stands
    const listed = (await office.get<{ items: { id: string; ubnd_instruction_at: string | null }[] }>('/api/incoming-documents')).items.find((i) => i.id === reg.id);
    expect(listed?.ubnd_instruction_at).toBe('2026-03-02T01:00:00.000Z');

    // and a document nobody registered is not found, not silently accepted
    const unknown = await office.post('/api/incoming-documents/00000000-0000-4000-8000-000000000000/ubnd-instruction', {}).catch((e: ApiError) => e);
    expect(unknown).toBeInstanceOf(ApiError);
    expect({ status: (unknown as ApiError).status, code: (unknown as ApiError).code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('should let only the Office and the leaders record a task assigned by UBND tỉnh', async () => {
    // A deadline after whatever day the suite runs: a fixed date would make the task overdue one day.
    const dueAt = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const specialist = await env.as('sct.chuyenvien');
    const denied = await specialist
      .post('/api/assigned-tasks', { sourceRef: '8982/UBND-KTTC', assignedBy: 'CHU_TICH', assigneeAgencyCode: 'SCT', content: 'Báo cáo', dueAt })
      .catch((e: ApiError) => e);
    expect((denied as ApiError).status).toBe(403);
    const office = await env.as('vp.chuyenvien');
    const created = await office.post<{ id: string }>('/api/assigned-tasks', {
      sourceRef: '8982/UBND-KTTC',
      sourceDate: '2026-11-20',
      assignedBy: 'CHU_TICH',
      assignedByName: 'Nguyễn Văn Út',
      assigneeAgencyCode: 'SNV',
      toUbndMemberHead: true,
      content: 'Tham mưu phương án sắp xếp bộ máy',
      dueAt,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const snv = await env.as('snv.chuyenvien');
    const list = await snv.get<{ items: { id: string }[] }>('/api/assigned-tasks');
    expect(list.items.map((i) => i.id)).toContain(created.id);
  });
});
