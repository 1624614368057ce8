import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { doTask, waitForTask, detail } from '../support/flow.ts';
import { instanceOf } from '../support/engine.ts';
import { DossierClosedError, transition } from '../../store/audit.ts';
import type { DossierStatus } from '../../domain/model.ts';

describe('what the database itself guarantees', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should refuse to update, delete or truncate audit events', async () => {
    const drafter = await env.as('sct.chuyenvien');
    await drafter.post('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    const id = ((await env.ds.query('SELECT id FROM audit_event ORDER BY id LIMIT 1')) as { id: string }[])[0]!.id;
    await expect(env.ds.query(`UPDATE audit_event SET action = 'FORGED' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(env.ds.query('DELETE FROM audit_event WHERE id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(env.ds.query('TRUNCATE audit_event CASCADE')).rejects.toThrow(/append-only/);
  });

  it('R-09 should detect a tờ trình changed after the head signed it, send it back to Task_Sign, and keep signed versions locked', async () => {
    // given a dossier at the signing step
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    const head = await env.as('sct.giamdoc');
    const sign = await waitForTask(head, dossier.id, 'Task_Sign');

    // when the head signs while no worker runs, and the file is swapped before verification
    env.workers!.stop();
    await new Promise((r) => setTimeout(r, 2_500)); // a long poll already under way ends first
    await head.claimAndComplete(sign.id, { stamped: true });
    const [doc] = (await env.ds.query(`SELECT id FROM document WHERE dossier_id = $1 AND role = 'SUBMISSION_DOC'`, [dossier.id])) as { id: string }[];
    await env.ds.query('UPDATE document_body SET bytes = $2 WHERE document_id = $1', [doc!.id, Buffer.from('%PDF-1.4\n% a different text\n')]);
    env.workers = env.startWorkers();

    // then the signature fails verification and the head gets the task back with the reason
    const again = await waitForTask(head, dossier.id, 'Task_Sign');
    expect(again.id).not.toBe(sign.id);
    const d = await detail(head, dossier.id);
    const rejected = d.audit.filter((a) => a.action === 'SIGNATURE_REJECTED');
    expect(rejected.at(-1)?.error_code).toMatch(/ERR_SIGNATURE_INVALID|ERR_STAMP_MISSING/);
    const toTrinh = d.documents.find((x) => x.id === doc!.id)!;
    expect(toTrinh.signatures.some((s) => s.reason === 'HASH_MISMATCH')).toBe(true);
    expect(toTrinh.locked).toBe(false);

    // and once a version is signed and verified, neither its bytes nor its number can change
    await env.ds.query(`UPDATE document SET locked = true WHERE id = $1`, [doc!.id]);
    await expect(env.ds.query('UPDATE document_body SET bytes = $2 WHERE document_id = $1', [doc!.id, Buffer.from('x')])).rejects.toThrow(/locked/);
    await expect(env.ds.query(`UPDATE document SET sha256 = 'x' WHERE id = $1`, [doc!.id])).rejects.toThrow(/locked/);
    await expect(env.ds.query(`UPDATE document SET locked = false WHERE id = $1`, [doc!.id])).rejects.toThrow(/locked/);
  });

  it('should keep one opinion request per dossier, agency and round, and one submission per dossier and round', async () => {
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    await env.ds.query(`INSERT INTO opinion_request (dossier_id, agency_code, round, due_at) VALUES ($1, 'STC', 9, now())`, [dossier.id]);
    await expect(env.ds.query(`INSERT INTO opinion_request (dossier_id, agency_code, round, due_at) VALUES ($1, 'STC', 9, now())`, [dossier.id])).rejects.toThrow(/duplicate key/);
    await env.ds.query(`INSERT INTO submission (dossier_id, round, idempotency_key, channel) VALUES ($1, 9, $2, 'ELECTRONIC')`, [dossier.id, `${dossier.id}:9`]);
    await expect(env.ds.query(`INSERT INTO submission (dossier_id, round, idempotency_key, channel) VALUES ($1, 9, $2, 'ELECTRONIC')`, [dossier.id, `${dossier.id}:9b`])).rejects.toThrow(/duplicate key/);
  });

  it('should move a dossier once per idempotency key, and never out of a closed status', async () => {
    // given a dossier waiting at a person's step (no worker moves it meanwhile)
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    await waitForTask(drafter, dossier.id, 'Task_DraftSubmission');
    const move = (to: DossierStatus, key: string, closed = false) =>
      env.ds.transaction((m) => transition(m, dossier.id, to, { action: `TEST_${to}`, actorRole: 'SYSTEM', idempotencyKey: key }, { closed }));
    const events = async () =>
      (await env.ds.query(`SELECT action, from_status, to_status, on_behalf_of FROM audit_event WHERE dossier_id = $1 AND action LIKE 'TEST_%' ORDER BY id`, [dossier.id])) as {
        action: string;
        from_status: string;
        to_status: string;
        on_behalf_of: string;
      }[];
    const state = async () => ((await env.ds.query('SELECT status, closed_at FROM dossier WHERE id = $1', [dossier.id])) as { status: string; closed_at: Date | null }[])[0]!;

    // when it is withdrawn, and the same move is delivered again
    expect(await move('WITHDRAWN', `test-close:${dossier.id}`, true)).toBe(true);
    expect(await move('WITHDRAWN', `test-close:${dossier.id}`, true)).toBe(false);

    // then it moved once, with one event naming where it came from and the accountable head
    expect(await events()).toEqual([{ action: 'TEST_WITHDRAWN', from_status: 'DRAFTING_SUBMISSION', to_status: 'WITHDRAWN', on_behalf_of: 'sct.giamdoc' }]);
    expect((await state()).closed_at).not.toBeNull();

    // and a later step cannot reopen it: refused, nothing recorded
    await expect(move('VALIDATING', `test-late:${dossier.id}`)).rejects.toBeInstanceOf(DossierClosedError);
    expect((await state()).status).toBe('WITHDRAWN');
    expect(await events()).toHaveLength(1);
    await env.engine.request('DELETE', `/process-instance/${await instanceOf(env, dossier.id)}`, undefined, { skipCustomListeners: true });
  });
});
