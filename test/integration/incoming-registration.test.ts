/**
 * Who registers an incoming document for whom (issue 15, finding 6): an agency clerk registers for
 * their own agency only, and cannot take the issuer+number the Office registers for everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { processVariables, refusal, expectRule } from '../support/engine.ts';

describe('registering incoming documents for other agencies (finding 6)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  const letter = {
    issuer: 'Bộ Tài chính',
    numberSymbol: '987/BTC-NSNN',
    subject: 'V/v rà soát dự toán ngân sách năm 2027',
    kinhGui: ['UBND tỉnh Long An', 'SCT'],
    noiNhan: ['STC', 'SKHDT', 'Lưu: VT'],
    requestsAction: true,
  };
  const handling = async () =>
    (await env.ds.query(
      `SELECT h.agency_code, i.registered_by FROM proactive_handling h JOIN incoming_document i ON i.id = h.incoming_document_id
       WHERE i.issuer = $1 AND i.number_symbol = $2 ORDER BY h.agency_code`,
      [letter.issuer, letter.numberSymbol],
    )) as { agency_code: string; registered_by: string }[];

  it('should give a clerk handling for their own agency only, and still let the Office register the same document for the others', async () => {
    // given the clerk of Sở Công Thương registers a ministry letter co-addressed to SCT, STC and SKHDT
    const clerk = await env.as('sct.vanthu');
    const own = await clerk.post<{ id: string; agencies: string[] }>('/api/incoming-documents', letter);

    // then only SCT gets a task and a deadline, in the database and in the engine
    expect(own.agencies).toEqual(['SCT']);
    expect(await handling()).toEqual([{ agency_code: 'SCT', registered_by: 'sct.vanthu' }]);
    const instance = ((await env.ds.query('SELECT process_instance_id FROM incoming_document WHERE id = $1', [own.id])) as { process_instance_id: string }[])[0]!;
    expect(await processVariables(env, instance.process_instance_id)).toMatchObject({ agencyCodesCsv: 'SCT', agencyCount: 1 });

    // when the Office registers the real document with the same issuer and number
    const office = await env.as('vp.chuyenvien');
    const real = await office.request<{ id: string; agencies: string[] }>('POST', '/api/incoming-documents', letter);

    // then it is accepted (no 409), and the other agencies get their handling, SCT not twice
    expect(real.agencies).toEqual(['SKHDT', 'STC']);
    expect(real.id).not.toBe(own.id);
    expect(await handling()).toEqual([
      { agency_code: 'SCT', registered_by: 'sct.vanthu' },
      { agency_code: 'SKHDT', registered_by: 'vp.chuyenvien' },
      { agency_code: 'STC', registered_by: 'vp.chuyenvien' },
    ]);
  });

  it('should refuse with 409 a clerk registering again what is already registered for their agency, and the Office twice', async () => {
    // given the registrations of the test above
    const sctClerk = await env.as('sct.vanthu');
    const stcClerk = await env.as('stc.vanthu');
    const office = await env.as('vp.chuyenvien');

    // when each registers the same document once more
    const again = await refusal(sctClerk.post('/api/incoming-documents', letter));
    const covered = await refusal(stcClerk.post('/api/incoming-documents', letter));
    const twice = await refusal(office.post('/api/incoming-documents', letter));

    // then nothing new is created
    expectRule(again, 409, 'ALREADY_REGISTERED');
    expectRule(covered, 409, 'ALREADY_REGISTERED');
    expectRule(twice, 409, 'ALREADY_REGISTERED');
    expect((await handling()).map((h) => h.agency_code)).toEqual(['SCT', 'SKHDT', 'STC']);
  });

  it('should let a clerk who registers first leave the other agencies to the Office, even when it names them', async () => {
    // given a clerk of STC registers a letter naming SCT and SXD too
    const clerk = await env.as('stc.vanthu');
    const other = { ...letter, numberSymbol: '988/BTC-NSNN', kinhGui: ['UBND tỉnh Long An', 'STC'], noiNhan: ['SCT', 'SXD'] };
    const reg = await clerk.post<{ agencies: string[] }>('/api/incoming-documents', other);

    // then no task or deadline exists for SCT or SXD
    expect(reg.agencies).toEqual(['STC']);
    const rows = (await env.ds.query(`SELECT agency_code FROM proactive_handling h JOIN incoming_document i ON i.id = h.incoming_document_id WHERE i.number_symbol = '988/BTC-NSNN'`)) as {
      agency_code: string;
    }[];
    expect(rows.map((r) => r.agency_code)).toEqual(['STC']);
  });
});
