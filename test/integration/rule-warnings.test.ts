import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { detail, waitForTask } from '../support/flow.ts';
import { vietnamYear } from '../../domain/calendar.ts';

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

  it('R-26 should count per head the dossiers whose proposal R-03 found vague, once each, even after the intake check and a reworded proposal, with the definition beside it in the report and its CSV', async () => {
    // given Sở Công Thương's head figures this year
    type Head = { accountableUserId: string; vagueProposalsFlagged: number; vagueProposals: number };
    const monitor = await env.as('vp.theodoi');
    const year = vietnamYear(new Date());
    const report = () => monitor.get<{ heads: Head[]; definitions: Record<string, string> }>(`/api/reports/agencies?year=${year}`);
    const flagged = async () => (await report()).heads.find((h) => h.accountableUserId === 'sct.giamdoc')?.vagueProposalsFlagged ?? 0;
    const before = await flagged();

    // when a specialist creates a dossier asking only "xin chủ trương", and one with a concrete proposal
    const drafter = await env.as('sct.chuyenvien');
    const vague = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [], proposal: 'Kính đề nghị UBND tỉnh xin chủ trương.' }));
    await drafter.post('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));

    // and the intake check has run on it too, and the proposal is then reworded to be concrete
    await waitForTask(drafter, vague.dossier.id, 'Task_DraftSubmission');
    await drafter.request('PATCH', `/api/dossiers/${vague.dossier.id}`, { proposal: 'Đề nghị UBND tỉnh ban hành quyết định phê duyệt quy hoạch kho xăng dầu tại xã Thạnh Phú.' });

    // then the head counts one vague proposal more, no matter how often it was checked or that it was fixed
    expect(await flagged()).toBe(before + 1);
    const events = (await env.ds.query(`SELECT rule_id, error_code, details, on_behalf_of FROM audit_event WHERE dossier_id = $1 AND action = 'VAGUE_PROPOSAL_FLAGGED'`, [vague.dossier.id])) as {
      rule_id: string;
      error_code: string;
      details: unknown;
      on_behalf_of: string;
    }[];
    expect(events).toEqual([{ rule_id: 'R-03', error_code: 'WARN_VAGUE_PROPOSAL', details: {}, on_behalf_of: 'sct.giamdoc' }]);

    // and the figure's definition is in the answer and below the CSV's tables
    const { definitions } = await report();
    expect(definitions['heads.vagueProposalsFlagged']).toMatch(/chung chung/);
    const csv = await monitor.request<string>('GET', `/api/reports/agencies?year=${year}&format=csv`);
    const headHeader = csv.split('\r\n').find((l) => l.startsWith('Thủ trưởng,'))!;
    expect(headHeader).toContain('Đề xuất bị cảnh báo chung chung');
    const definitionLine = csv.slice(csv.indexOf('Định nghĩa,Cách tính')).split('\r\n').find((l) => l.startsWith('Đề xuất bị cảnh báo chung chung,'));
    expect(definitionLine).toContain('mỗi hồ sơ tính một lần');
  });

  it('R-03 should keep no warning for a concrete proposal within the agency’s field', async () => {
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { ruleWarnings: Warning[] } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: [] }));
    expect(dossier.ruleWarnings).toEqual([]);
  });
});
