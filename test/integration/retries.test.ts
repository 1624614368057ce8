import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput, opinionForm } from '../support/dossiers.ts';
import { doTask, waitForTask, waitForStatus, giveOpinion } from '../support/flow.ts';
import { ApiError } from '../../scripts/lib/api-client.ts';
import { processVariables, instanceOf } from '../support/engine.ts';

describe('a form sent twice, a start asked twice', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-30 should apply an Office return once when it is submitted twice at the same moment, keeping our round and the engine round equal', async () => {
    // given a dossier at the Office's intake, claimed by the reviewer
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'));
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), dossier.id, 'Task_Sign', { stamped: true });
    const office = await env.as('vp.chuyenvien');
    const check = await waitForTask(office, dossier.id, 'Task_OfficeCheck');
    await office.post(`/api/tasks/${check.id}/claim`);

    // when the return is sent twice at once (a double click)
    const form = { outcome: 'RETURN', returnReason: 'MISSING_COMPONENT', note: 'Thiếu thành phần.' };
    const results = await Promise.allSettled([office.post(`/api/tasks/${check.id}/complete`, form), office.post(`/api/tasks/${check.id}/complete`, form)]);

    // then at least one succeeds, any other is a clean 404 (the task is gone), and the return counts once
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ApiError).status).toBe(404);
    const d = await waitForStatus(drafter, dossier.id, 'REVISION_REQUIRED');
    expect(d.dossier.round).toBe(2);
    expect(d.returns).toHaveLength(1);
    const vars = await processVariables(env, await instanceOf(env, dossier.id));
    expect(vars.round).toBe(2);
  });

  it('should start one process instance when two starts race for the same stored dossier', async () => {
    // given a dossier stored but not started (as when the engine was away)
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    // (deleted once it waits for a person: a worker step under way would race the deletion)
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const first = await instanceOf(env, dossier.id);
    await env.engine.request('DELETE', `/process-instance/${first}`, undefined, { skipCustomListeners: true });
    await env.ds.query(`UPDATE dossier SET process_instance_id = NULL, status = 'DRAFT' WHERE id = $1`, [dossier.id]);

    // when the drafter and another click start at the same moment
    const results = await Promise.allSettled([drafter.post(`/api/dossiers/${dossier.id}/start`), drafter.post(`/api/dossiers/${dossier.id}/start`)]);

    // then both answer, and the engine holds exactly one live instance, the one we recorded
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const live = await eventually(async () => {
      const list = await env.engine.listProcessInstances({ businessKey: dossier.id, processDefinitionKey: 'ho-so-trinh' });
      return list.length > 0 ? list : undefined;
    }, 'instance');
    expect(live).toHaveLength(1);
    expect(live[0]!.id).toBe(await instanceOf(env, dossier.id));
  });
});
