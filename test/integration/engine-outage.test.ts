import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { createApp } from '../../server/app.ts';
import { EngineClient } from '../../platform/engine/client.ts';
import { EventHub } from '../../server/events.ts';
import { memoryLogger } from '../../platform/log.ts';
import { DEFAULT_POLICY } from '../../config/policy.ts';
import { startPendingDossiers } from '../../server/dossiers/reconcile.ts';
import { ApiClient } from '../../scripts/lib/api-client.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { startVariables } from '../../scripts/bench/dossiers.ts';
import { validateDossier } from '../../workers/validate-dossier.ts';

describe('a dossier created while the engine is away', () => {
  let env: TestEnv;
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
    // the same server, but its engine is a port where nothing listens
    const dead = new EngineClient({ baseUrl: `http://127.0.0.1:${await freePort()}/engine-rest`, timeoutMs: 2000 });
    const app = createApp({ ...env.deps, policy: DEFAULT_POLICY, engine: dead, log: memoryLogger(), events: new EventHub() });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const addr = server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(() => r(null)));
    await env?.close();
  });

  it('should accept the dossier with a code saying it waits, keep it, and start it once the engine answers again', async () => {
    // given a specialist on a server whose engine is unreachable
    const drafter = await new ApiClient(baseUrl).login('sct.chuyenvien', DEMO_PASSWORD);

    // when they create a dossier
    const res = await drafter.request<Response>('POST', '/api/dossiers', validDossierInput(), { raw: true });
    const body = (await res.json()) as { dossier: { id: string; status: string }; pending: { code: string } };

    // then it is accepted (202) with a code saying it waits for the engine, and nothing is lost:
    // the dossier and its documents are stored as DRAFT, so a retry has no reason to create a twin
    expect(res.status).toBe(202);
    expect(body.pending.code).toBe('ENGINE_UNAVAILABLE');
    expect(body.dossier.status).toBe('DRAFT');
    const stored = (await env.ds.query(`SELECT id, status, process_instance_id FROM dossier`)) as { id: string; status: string; process_instance_id: string | null }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'DRAFT', process_instance_id: null });
    const docs = (await env.ds.query('SELECT count(*)::int AS n FROM document WHERE dossier_id = $1', [stored[0]!.id])) as { n: number }[];
    expect(docs[0]!.n).toBe(2);

    // and when the engine is back, the reconciliation starts it exactly once
    const deps = { ...env.deps, policy: DEFAULT_POLICY, log: memoryLogger(), events: new EventHub() };
    expect(await startPendingDossiers(deps, 0)).toBe(1);
    expect(await startPendingDossiers(deps, 0)).toBe(0);
    const after = (await env.ds.query('SELECT status, process_instance_id FROM dossier WHERE id = $1', [stored[0]!.id])) as { status: string; process_instance_id: string | null }[];
    expect(after[0]!.status).toBe('VALIDATING');
    const instances = await env.engine.listProcessInstances({ businessKey: stored[0]!.id });
    expect(instances.map((i) => i.id)).toEqual([after[0]!.process_instance_id]);
  });

  it('should give the dossier its instance, STARTED and VALIDATING when the engine started it but the record of the start was lost', async () => {
    // given a DRAFT dossier whose instance the engine started, while the server's transaction that
    // records the start never committed (our database went away in between)
    const drafter = await new ApiClient(baseUrl).login('sct.chuyenvien', DEMO_PASSWORD);
    const created = (await drafter.post<{ dossier: { id: string; status: string } }>('/api/dossiers', validDossierInput())).dossier;
    expect(created.status).toBe('DRAFT');
    const instance = await env.engine.startProcess(PROCESS_KEY, created.id, startVariables(created.id, new Date()));

    // when the instance's first step runs
    const workers = env.startWorkers([validateDossier]);
    let row: { status: string; process_instance_id: string | null };
    try {
      row = await eventually(async () => {
        const r = ((await env.ds.query('SELECT status, process_instance_id FROM dossier WHERE id = $1', [created.id])) as (typeof row)[])[0];
        return r && r.status !== 'DRAFT' && r.status !== 'VALIDATING' ? r : null;
      }, 'the first step done');
    } finally {
      await workers.drain(5_000);
    }

    // then the dossier carries that instance and its history starts as the server's would have
    expect(row.process_instance_id).toBe(instance.id);
    const events = (await env.ds.query('SELECT action, from_status, to_status FROM audit_event WHERE dossier_id = $1 ORDER BY id', [created.id])) as {
      action: string;
      from_status: string | null;
      to_status: string | null;
    }[];
    expect(events.filter((e) => e.action === 'STARTED')).toEqual([{ action: 'STARTED', from_status: 'DRAFT', to_status: 'VALIDATING' }]);
    expect(events.findIndex((e) => e.action === 'STARTED')).toBeLessThan(events.findIndex((e) => e.action.startsWith('VALIDATED_')));

    // and the reconciliation of pending dossiers does not start it a second time
    const deps = { ...env.deps, policy: DEFAULT_POLICY, log: memoryLogger(), events: new EventHub() };
    expect(await startPendingDossiers(deps, 0)).toBe(0);
    expect((await env.engine.listProcessInstances({ businessKey: created.id })).map((i) => i.id)).toEqual([instance.id]);
  });
});
