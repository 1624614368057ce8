import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { detail } from '../support/flow.ts';

type Warning = { rule: string; code: string; message: string };

describe('R-03/R-04 warnings kept with the dossier', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('R-03/R-04 should keep the intake warnings with the dossier and show them in its answer', async () => {
    // given Sở Công Thương asks "xin chủ trương" on a matter outside its fields
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string; ruleWarnings: Warning[] } }>(
      '/api/dossiers',
      validDossierInput({ matterCategory: 'van-ban-qppl', isLegalNormative: true, consultedAgencyCodes: [], proposal: 'Kính đề nghị UBND tỉnh xin chủ trương.' }),
    );

    // then the creation's answer and the dossier's own answer carry both warnings, in Vietnamese
    const codes = (ws: Warning[]) => ws.map((w) => `${w.rule} ${w.code}`).sort();
    expect(codes(dossier.ruleWarnings)).toEqual(['R-03 WARN_VAGUE_PROPOSAL', 'R-04 WARN_OUTSIDE_AGENCY_FIELD']);
    const shown = (await detail(drafter, dossier.id)).dossier as unknown as { ruleWarnings: Warning[] };
    expect(codes(shown.ruleWarnings)).toEqual(['R-03 WARN_VAGUE_PROPOSAL', 'R-04 WARN_OUTSIDE_AGENCY_FIELD']);
    expect(shown.ruleWarnings.every((w) => w.message.length > 10)).toBe(true);
    // and the Office sees them too
    const office = await env.as('vp.chuyenvien');
    expect(codes(((await detail(office, dossier.id)).dossier as unknown as { ruleWarnings: Warning[] }).ruleWarnings)).toHaveLength(2);
  });

  it('R-03 should keep no warning for a concrete proposal within the agency’s field', async () => {
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { ruleWarnings: Warning[] } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    expect(dossier.ruleWarnings).toEqual([]);
  });
});
