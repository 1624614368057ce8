/**
 * R-01/02 with the authority matrix as data: the administrator adds and changes matter categories
 * (and legal-basis types, R-16) through the admin API, the server's intake check and the workers'
 * validate-dossier read them from the database, an unknown or retired category is refused with its
 * own code, and only administrators change them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { historyOf, instanceOf, refusal } from '../support/engine.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { waitForStatus } from '../support/flow.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Created = { dossier: { id: string } };
type Category = { code: string; nameVi: string; nameEn: string; competentAuthority: string; active: boolean };
type Reference = { matterCategories: Category[]; legalBasisTypes: { code: string; nameVi: string; rank: number; active: boolean }[] };

describe('R-01 authority matrix kept by the administrator', () => {
  let env: TestEnv;
  let admin: ApiClient;
  let drafter: ApiClient;
  const CODE = 'cong-thuong/quan-ly-cho-dau-moi';
  const path = `/api/admin/matter-categories/${encodeURIComponent(CODE)}`;

  beforeAll(async () => {
    // No workers until the R-01 intake test starts them: the dossier it files must still be waiting
    // for its intake check when the category changes.
    env = await createTestEnv({ workers: false });
    admin = await env.as('admin');
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-01 should accept a dossier in a category the administrator added, and refuse it once the category is a department’s own (R-02)', async () => {
    // given a category the administrator adds as UBND tỉnh's to decide
    const created = await admin.post<{ matterCategory: Category }>('/api/admin/matter-categories', { code: CODE, nameVi: 'Quản lý chợ đầu mối', nameEn: 'Wholesale markets', competentAuthority: 'UBND_TINH' });
    expect(created.matterCategory).toEqual({ code: CODE, nameVi: 'Quản lý chợ đầu mối', nameEn: 'Wholesale markets', competentAuthority: 'UBND_TINH', active: true });
    const audit = (await env.ds.query(`SELECT actor_user_id, details FROM audit_event WHERE action = 'MATTER_CATEGORY_CREATED'`)) as { actor_user_id: string; details: { matterCategory: Category } }[];
    expect(audit).toEqual([expect.objectContaining({ actor_user_id: 'admin', details: { matterCategory: expect.objectContaining({ code: CODE }) } })]);

    // then the specialist's picker lists it, and a dossier in it is accepted
    const seen = await drafter.get<Reference>('/api/admin/reference-data');
    expect(seen.matterCategories.find((c) => c.code === CODE)?.nameVi).toBe('Quản lý chợ đầu mối');
    const ok = await drafter.post<Created>('/api/dossiers', validDossierInput({ matterCategory: CODE, consultedAgencyCodes: [] }));
    expect(ok.dossier.id).toMatch(/^HS-/);

    // when the administrator makes it the department's own matter
    const changed = await admin.request<{ matterCategory: Category }>('PATCH', path, { competentAuthority: 'SO_NGANH' });
    expect(changed.matterCategory.competentAuthority).toBe('SO_NGANH');

    // then a new dossier in it is refused as out of authority, and the attempt is recorded against the head
    const refused = await refusal(drafter.post('/api/dossiers', validDossierInput({ subject: 'Đề nghị phê duyệt quy chế chợ đầu mối', matterCategory: CODE, consultedAgencyCodes: [] })));
    expect(refused.status).toBe(422);
    expect(refused.code).toBe('ERR_OUT_OF_AUTHORITY');
    const attempts = (await env.ds.query('SELECT accountable_user_id, matter_category FROM out_of_authority_attempt WHERE matter_category = $1', [CODE])) as unknown[];
    expect(attempts).toEqual([{ accountable_user_id: 'sct.giamdoc', matter_category: CODE }]);
  });

  it('R-01 should have validate-dossier read the matrix from the database: a dossier filed before the change is sent back', async () => {
    // given a dossier accepted in a category of UBND tỉnh, waiting for the intake check
    const code = 'cong-thuong/ho-tro-hop-tac-xa';
    await admin.post('/api/admin/matter-categories', { code, nameVi: 'Hỗ trợ hợp tác xã', competentAuthority: 'UBND_TINH' });
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ matterCategory: code, consultedAgencyCodes: [] }));

    // when the category becomes the district's and the workers run
    await admin.request('PATCH', `/api/admin/matter-categories/${encodeURIComponent(code)}`, { competentAuthority: 'UBND_HUYEN' });
    env.startWorkers();

    // then the intake check refuses it as out of authority and it goes back for revision
    await waitForStatus(drafter, dossier.id, 'REVISION_REQUIRED');
    const failed = (await env.ds.query(`SELECT details FROM audit_event WHERE dossier_id = $1 AND action = 'VALIDATION_FAILED_INTAKE'`, [dossier.id])) as { details: { errors: string[] } }[];
    expect(failed[0]?.details.errors).toContain('ERR_OUT_OF_AUTHORITY');
    // and the diagram shows which rule sent it back: the boundary caught by R-01's code, not the intake check's catch-all
    const history = await historyOf(env, await instanceOf(env, dossier.id));
    expect(history).toContain('Boundary_ValidateOutOfAuthority');
    expect(history).not.toContain('Boundary_ValidateError');
  });

  it('R-01 should refuse an unknown or retired category with ERR_UNKNOWN_MATTER_CATEGORY naming the field', async () => {
    const unknown = await refusal(drafter.post('/api/dossiers', validDossierInput({ matterCategory: 'cong-thuong-khong-co' })));
    expect([unknown.status, unknown.code, unknown.body?.error?.field]).toEqual([422, 'ERR_UNKNOWN_MATTER_CATEGORY', 'matterCategory']);

    // a retired category: gone from the specialist's picker, refused for a new dossier, still listed for the administrator
    const retired = await admin.request<{ matterCategory: Category }>('PATCH', path, { active: false });
    expect(retired.matterCategory.active).toBe(false);
    expect((await drafter.get<Reference>('/api/admin/reference-data')).matterCategories.map((c) => c.code)).not.toContain(CODE);
    expect((await admin.get<Reference>('/api/admin/reference-data')).matterCategories.find((c) => c.code === CODE)?.active).toBe(false);
    const refused = await refusal(drafter.post('/api/dossiers', validDossierInput({ matterCategory: CODE })));
    expect([refused.status, refused.code, refused.body?.error?.field]).toEqual([422, 'ERR_UNKNOWN_MATTER_CATEGORY', 'matterCategory']);
    const audit = (await env.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'MATTER_CATEGORY_DEACTIVATED'`)) as { n: number }[];
    expect(audit[0]!.n).toBe(1);
  });

  it('R-16 should refuse a legal basis of an unknown type naming its row, and accept a type the administrator added', async () => {
    const base = validDossierInput();
    const bases = [
      { type: 'LUAT', numberSymbol: '77/2015/QH13' },
      { type: 'THONG_BAO', numberSymbol: '12/TB-UBND' },
    ];
    const refused = await refusal(drafter.post('/api/dossiers', { ...base, legalBasis: bases }));
    expect([refused.status, refused.code, refused.body?.error?.field]).toEqual([422, 'ERR_UNKNOWN_LEGAL_BASIS_TYPE', 'legalBasis.1.type']);

    const added = await admin.post<{ legalBasisType: { code: string; rank: number } }>('/api/admin/legal-basis-types', { code: 'THONG_BAO', nameVi: 'Thông báo', nameEn: 'Notice', rank: 110 });
    expect(added.legalBasisType).toEqual({ code: 'THONG_BAO', nameVi: 'Thông báo', nameEn: 'Notice', rank: 110, active: true });
    const ok = await drafter.post<Created>('/api/dossiers', { ...base, legalBasis: bases });
    expect(ok.dossier.id).toMatch(/^HS-/);
    const types = (await drafter.get<Reference>('/api/admin/reference-data')).legalBasisTypes;
    expect(types.map((x) => x.code).slice(0, 2)).toEqual(['HIEN_PHAP', 'LUAT']);
    expect(types.at(-1)?.code).toBe('THONG_BAO');
  });

  it('should let only administrators change the reference data (403), and refuse bad input naming the field', async () => {
    const forbidden = await refusal(drafter.post('/api/admin/matter-categories', { code: 'cong-thuong/thu', nameVi: 'Thử', competentAuthority: 'UBND_TINH' }));
    expect([forbidden.status, forbidden.code]).toEqual([403, 'FORBIDDEN']);
    const office = await env.as('vp.chanhvanphong');
    expect((await refusal(office.request('PATCH', path, { active: true }))).status).toBe(403);
    expect((await refusal(drafter.post('/api/admin/legal-basis-types', { code: 'THU', nameVi: 'Thử', rank: 5 }))).status).toBe(403);

    const badCode = await refusal(admin.post('/api/admin/matter-categories', { code: 'Công Thương', nameVi: 'Công thương', competentAuthority: 'UBND_TINH' }));
    expect([badCode.status, badCode.code, badCode.body?.error?.field]).toEqual([400, 'INVALID_INPUT', 'code']);
    const badAuthority = await refusal(admin.post('/api/admin/matter-categories', { code: 'cong-thuong/thu', nameVi: 'Thử', competentAuthority: 'SO_TU_PHAP' }));
    expect([badAuthority.status, badAuthority.body?.error?.field]).toEqual([400, 'competentAuthority']);
    const noCodeChange = await refusal(admin.request('PATCH', path, { code: 'khac' }));
    expect([noCodeChange.status, noCodeChange.body?.error?.field]).toEqual([400, 'code']);
    const badRank = await refusal(admin.post('/api/admin/legal-basis-types', { code: 'THU', nameVi: 'Thử', rank: 0 }));
    expect([badRank.status, badRank.body?.error?.field]).toEqual([400, 'rank']);
    const duplicate = await refusal(admin.post('/api/admin/matter-categories', { code: CODE, nameVi: 'Trùng', competentAuthority: 'UBND_TINH' }));
    expect([duplicate.status, duplicate.code]).toEqual([409, 'MATTER_CATEGORY_EXISTS']);
    const missing = await refusal(admin.request('PATCH', `/api/admin/matter-categories/${encodeURIComponent('khong-co')}`, { nameVi: 'Không có' }));
    expect(missing.status).toBe(404);
  });
});
