/**
 * The dossier list as each person sees it: an agency's staff see the dossiers their agency takes
 * part in (dossier_party, kept by a trigger), a dossier number finds its dossier, totals are
 * counted up to a cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { LIST_COUNT_CAP } from '../../server/dossiers/service.ts';

type List = { total: number; totalCapped: boolean; items: { id: string; status: string }[] };

describe('the dossier list', () => {
  let env: TestEnv;
  let dossierId: string;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
    const drafter = await env.as('sct.chuyenvien');
    dossierId = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC', 'SKHDT'] }))).dossier.id;
  });
  afterAll(async () => {
    await env?.close();
  });

  const ids = async (user: string, query = '') => (await (await env.as(user)).get<List>(`/api/dossiers?pageSize=50${query}`)).items.map((d) => d.id);

  it('should follow a change of the consulted agencies and of the status for the agencies’ staff', async () => {
    // given a dossier of SCT consulting STC and SKHDT
    expect(await ids('stc.chuyenvien')).toContain(dossierId);
    expect(await ids('stc.chuyenvien', '&agency=SCT')).toContain(dossierId);
    expect(await ids('stc.chuyenvien', '&agency=STC')).not.toContain(dossierId);
    expect(await ids('snv.chuyenvien')).not.toContain(dossierId);
    expect(await ids('snv.chuyenvien', '&agency=SCT')).not.toContain(dossierId);

    // when its consulted agencies become SNV alone and its status changes, by whatever writes the row
    await env.ds.query(`UPDATE dossier SET consulted_agency_codes = ARRAY['SNV'], status = 'CONSULTING' WHERE id = $1`, [dossierId]);

    // then SNV's staff see it (with the status filter too), STC's and SKHDT's no longer, SCT's still
    expect(await ids('snv.chuyenvien')).toContain(dossierId);
    expect(await ids('snv.chuyenvien', '&status=CONSULTING')).toContain(dossierId);
    expect(await ids('snv.chuyenvien', '&status=VALIDATING')).not.toContain(dossierId);
    expect(await ids('stc.chuyenvien')).not.toContain(dossierId);
    expect(await ids('skhdt.chuyenvien')).not.toContain(dossierId);
    expect(await ids('sct.chuyenvien', '&status=CONSULTING&agency=SCT')).toContain(dossierId);
    expect(await ids('snv.chuyenvien', '&status=CONSULTING&agency=SCT')).toContain(dossierId);

    // and when the lead agency changes, the lead filter of every party follows
    await env.ds.query(`UPDATE dossier SET lead_agency_code = 'SXD' WHERE id = $1`, [dossierId]);
    expect(await ids('snv.chuyenvien', '&agency=SXD')).toContain(dossierId);
    expect(await ids('snv.chuyenvien', '&agency=SCT')).not.toContain(dossierId);
    expect(await ids('sct.chuyenvien', '&agency=SCT')).not.toContain(dossierId);
    await env.ds.query(`UPDATE dossier SET lead_agency_code = 'SCT', consulted_agency_codes = ARRAY['STC', 'SKHDT'] WHERE id = $1`, [dossierId]);
  });

  it('should find a dossier by its number, or the beginning of it, only for those who may see it', async () => {
    // given the dossier's number, typed whole, in lower case, or its beginning
    const prefix = dossierId.slice(0, 10);

    // when searched for
    // then its parties find it and nobody else does
    expect(await ids('sct.chuyenvien', `&q=${dossierId}`)).toEqual([dossierId]);
    expect(await ids('sct.chuyenvien', `&q=${dossierId.toLowerCase()}`)).toEqual([dossierId]);
    expect(await ids('sct.chuyenvien', `&q=${prefix}`)).toContain(dossierId);
    expect(await ids('vp.chuyenvien', `&q=${dossierId}`)).toEqual([dossierId]);
    expect(await ids('stp.chuyenvien', `&q=${dossierId}`)).toEqual([]);
  });

  it('should count up to the cap and say so past it, while every page stays reachable', async () => {
    // given more dossiers of SCT than the cap
    await env.ds.query(
      `INSERT INTO dossier (id, subject, matter_category, decision_authority, lead_agency_code, accountable_user_id, created_by, consulted_agency_codes,
         legal_basis, practical_basis, proposal, options, due_at, status, overdue, round, created_at, updated_at)
       SELECT 'HS-2020-' || lpad(g::text, 6, '0'), 'Hồ sơ thử ' || g, 'cong-thuong', 'UBND_TINH', 'SCT', 'sct.giamdoc', 'sct.chuyenvien', ARRAY['STC'],
         '[]', 'Cơ sở', 'Đề nghị', '[]', now(), 'WITHDRAWN', false, 1, now() - g * interval '1 minute', now()
       FROM generate_series(1, $1::int) g`,
      [LIST_COUNT_CAP + 5],
    );
    const sct = await env.as('sct.chuyenvien');

    // when SCT's staff and the Office list them
    const first = await sct.get<List>('/api/dossiers?pageSize=100');
    const office = await (await env.as('vp.chuyenvien')).get<List>('/api/dossiers?status=WITHDRAWN&pageSize=100');
    const last = await sct.get<List>(`/api/dossiers?pageSize=100&page=${Math.ceil((LIST_COUNT_CAP + 6) / 100)}`);

    // then the total stops at the cap and says so; a small filter still counts exactly; the last page is there
    expect(first).toMatchObject({ total: LIST_COUNT_CAP, totalCapped: true });
    expect(office).toMatchObject({ total: LIST_COUNT_CAP, totalCapped: true });
    expect(await sct.get<List>('/api/dossiers?status=CONSULTING')).toMatchObject({ total: 1, totalCapped: false });
    expect(last.items.length).toBe((LIST_COUNT_CAP + 6) % 100);
  });
});
