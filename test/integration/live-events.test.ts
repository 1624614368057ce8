/**
 * Two server processes behind one address serve the same users: here two apps (createApp twice)
 * on one database. A task claimed through one reaches the live stream opened on the other
 * (PostgreSQL LISTEN/NOTIFY), as ids and an action only; the workers' steps arrive too.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { waitForTask } from '../support/flow.ts';
import { createApp } from '../../server/app.ts';
import { EventHub } from '../../server/events.ts';

type Received = { event: string; data: Record<string, unknown> };

/** Opens /api/events with a session cookie and collects what arrives. */
async function stream(baseUrl: string, cookie: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  const received: Received[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  return { received, close: () => ctrl.abort() };
}

describe('live events across server processes', () => {
  let env: TestEnv;
  let other: Server;
  let otherUrl: string;
  let otherHub: EventHub;
  beforeAll(async () => {
    env = await createTestEnv();
    // A second server on the same database, with its own hub: nothing shared in memory.
    otherHub = new EventHub();
    const app = createApp({ ...env.deps, events: otherHub });
    other = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = other.address();
    otherUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    other?.closeAllConnections();
    await new Promise((r) => other?.close(() => r(null)));
    await otherHub?.close();
    await env?.close();
  });

  it('should show on a stream of one server, at once and as ids and an action only, a task claimed through the other', async () => {
    // given a dossier waiting for STC's opinion, and STC's specialist watching the list through the second server
    const drafter = await env.as('sct.chuyenvien');
    // (the drafter watches through the second server too, from before the dossier exists)
    const drafterWatching = await stream(otherUrl, drafter.sessionCookie);
    await new Promise((r) => setTimeout(r, 300));
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    const stc = await env.as('stc.chuyenvien');
    const task = await waitForTask(stc, dossier.id, 'Task_GiveOpinion');
    // (signed in on the first server, the same session works on the second: sessions live in PostgreSQL)
    const watching = await stream(otherUrl, stc.sessionCookie);
    await new Promise((r) => setTimeout(r, 300));

    // when the task is claimed through the first server
    const claimedAt = Date.now();
    await stc.post(`/api/tasks/${task.id}/claim`);

    // then the second server's stream says so within a second, carrying nothing but ids and an action
    const claimed = await eventually(
      async () => watching.received.find((r) => r.event === 'task' && r.data.taskId === task.id),
      'the claim on the other server',
      5_000,
    );
    const latencyMs = Date.now() - claimedAt;
    console.log(`claim on server A seen on server B's stream after ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(1000);
    expect(Object.keys(claimed.data).sort()).toEqual(expect.arrayContaining(['action', 'taskId', 'type']));
    for (const key of Object.keys(claimed.data)) expect(['type', 'action', 'taskId', 'dossierId']).toContain(key);

    // and the steps the workers recorded (checking the dossier, asking for opinions) reached the drafter's stream on
    // the second server through the audit trail's trigger (no server announces MOVED before a task is completed)
    const moved = drafterWatching.received.filter((r) => r.event === 'dossier' && r.data.dossierId === dossier.id && r.data.action === 'MOVED');
    expect(moved.length).toBeGreaterThan(0);
    expect(Object.keys(moved[0]!.data).sort()).toEqual(['action', 'dossierId', 'type']);
    watching.close();
    drafterWatching.close();
  }, 90_000);

  it('should not send an event about a dossier to a user who may not see it', async () => {
    // given a user of an agency with no part in a dossier, watching through the second server
    const outsider = await env.as('sxd.chuyenvien');
    const watching = await stream(otherUrl, outsider.sessionCookie);
    await new Promise((r) => setTimeout(r, 300));

    // when a dossier of Sở Công Thương is created and moves
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());
    const stc = await env.as('stc.chuyenvien');
    await waitForTask(stc, dossier.id, 'Task_GiveOpinion');
    await new Promise((r) => setTimeout(r, 500));

    // then nothing about it reached the outsider
    expect(watching.received.filter((r) => r.data.dossierId === dossier.id)).toEqual([]);
    watching.close();
  }, 60_000);
});
