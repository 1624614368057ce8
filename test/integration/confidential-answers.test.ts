/**
 * A secret (Mật) dossier's content reaches only those entitled (domain/access.ts
 * canSeeConfidentialSubject), whatever the route: the answer of a start, and the fields the
 * first masking forgot (urgent reason, external reference, document symbols).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';

const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };

const TEXT = {
  subject: 'Phương án di dời kho vũ khí Bến Lức năm 2026',
  proposal: 'Đề nghị UBND tỉnh bố trí quỹ đất khu Tân Bửu cho kho mới',
  legalTitle: 'Nghị quyết về bảo vệ kho tàng đặc biệt',
  option: 'Di dời về khu đất 12 ha phía tây',
  urgentReason: 'Mùa mưa bão đến sớm, kho cũ xuống cấp nghiêm trọng',
  externalRef: 'HS-QS-7731',
  submissionSymbol: '9182/TTr-SCT',
  otherSymbol: 'BM-KHO-5521',
};

/** A secret dossier of Sở Công Thương, on paper, whose every text is recognisable in an answer. */
function secretDossier() {
  return validDossierInput({
    subject: TEXT.subject,
    legalBasis: [{ type: 'LUAT', numberSymbol: '77/2015/QH13', issuedAt: '2015-06-19', issuer: 'Quốc hội', title: TEXT.legalTitle }],
    options: [{ id: 'PA1', title: TEXT.option }],
    urgency: 'KHAN',
    urgentReason: TEXT.urgentReason,
    externalRef: TEXT.externalRef,
    secrecyLevel: 'MAT',
    consultedAgencyCodes: ['STC'],
    documents: [
      submissionDocument({ medium: 'PAPER', symbol: TEXT.submissionSymbol, ...noBody }),
      draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody }),
      { role: 'OTHER', docType: 'KHAC', symbol: TEXT.otherSymbol, subject: 'Phụ lục', medium: 'PAPER' },
    ],
  });
}

const leaks = (body: unknown, texts: readonly string[]) => texts.filter((t) => JSON.stringify(body).includes(t));

describe('confidential dossiers: every answer is masked', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should answer POST /api/dossiers/:id/start with the masked view when a deputy without clearance starts a secret dossier', async () => {
    // given a secret dossier created by the lead agency's specialist
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier());

    // when the lead agency's deputy (no clearance) and then its head ask to start it
    const deputy = await env.as('sct.phogiamdoc');
    const byDeputy = await deputy.post<{ dossier: Record<string, unknown> }>(`/api/dossiers/${dossier.id}/start`);
    const byHead = await (await env.as('sct.giamdoc')).post<{ dossier: Record<string, unknown> }>(`/api/dossiers/${dossier.id}/start`);

    // then the deputy learns that a secret dossier exists, not what it says
    expect(byDeputy.dossier).toMatchObject({ id: dossier.id, subject: 'Hồ sơ mật', proposal: '', practicalBasis: '', options: [], legalBasis: [], opinionSummary: [], confidentialHidden: true });
    expect(leaks(byDeputy, Object.values(TEXT))).toEqual([]);
    // and the head, who is entitled, reads it whole
    // the head reads the metadata; the proposal was never stored (on paper only)
    expect(byHead.dossier).toMatchObject({ subject: TEXT.subject, proposal: '', practicalBasis: '', urgentReason: TEXT.urgentReason, confidentialHidden: false });
  });

  it('should hide the urgent reason, external reference and document symbols of a secret dossier in the list and the detail when the viewer has no clearance', async () => {
    // given a secret, urgent dossier with an external reference and numbered documents
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier());

    // when the Office's reviewer, a consulted agency's specialist, the lead deputy and the lead clerk list and open it
    for (const username of ['vp.chuyenvien', 'stc.chuyenvien', 'sct.phogiamdoc', 'sct.vanthu']) {
      const viewer = await env.as(username);
      const list = await viewer.get<{ items: Record<string, unknown>[] }>(`/api/dossiers?q=${dossier.id}`);
      const detail = await viewer.get<{ dossier: Record<string, unknown>; documents: Record<string, unknown>[] }>(`/api/dossiers/${dossier.id}`);

      // then none of those texts is in either answer
      expect({ username, leaks: leaks(list, Object.values(TEXT)) }).toEqual({ username, leaks: [] });
      expect({ username, leaks: leaks(detail, Object.values(TEXT)) }).toEqual({ username, leaks: [] });
      expect(list.items.find((d) => d.id === dossier.id)).toMatchObject({ urgentReason: null, externalRef: null, confidentialHidden: true });
      expect(detail.dossier).toMatchObject({ urgentReason: null, externalRef: null });
      expect(detail.documents.map((d) => d.symbol)).toEqual([null, null, null]);
    }

    // and the Office's confidential clerk, who is cleared, sees them
    const cleared = await (await env.as('vp.mat')).get<{ dossier: Record<string, unknown>; documents: Record<string, unknown>[] }>(`/api/dossiers/${dossier.id}`);
    expect(cleared.dossier).toMatchObject({ urgentReason: TEXT.urgentReason, externalRef: TEXT.externalRef });
    expect(cleared.documents.map((d) => d.symbol)).toEqual(expect.arrayContaining([TEXT.submissionSymbol, TEXT.otherSymbol]));
  });
});

describe('confidential dossiers: incidents', () => {
  let env: TestEnv;
  beforeAll(async () => {
    // No workers: the test fails the dossier's first external task itself, as a worker would.
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Fails the dossier's validate-dossier task for good, with `message`: an incident, as after a worker's last retry. */
  async function incidentOn(dossierId: string, message: string): Promise<void> {
    let locked: { id: string }[] = [];
    for (let i = 0; i < 50 && locked.length === 0; i++) {
      locked = await env.engine.request<{ id: string }[]>('POST', '/external-task/fetchAndLock', {
        workerId: 'incident-probe',
        maxTasks: 1,
        topics: [{ topicName: 'validate-dossier', lockDuration: 60_000, businessKey: dossierId }],
      });
      if (locked.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(locked).toHaveLength(1);
    await env.engine.request('POST', `/external-task/${locked[0]!.id}/failure`, { workerId: 'incident-probe', errorMessage: message, retries: 0, retryTimeout: 0 });
  }

  it('should hide the message of a secret dossier\'s incident from an operator without clearance, and show a normal dossier\'s', async () => {
    // given an incident on a secret dossier and one on a normal dossier, each message quoting its dossier
    const drafter = await env.as('sct.chuyenvien');
    const secret = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', secretDossier())).dossier;
    const normal = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput())).dossier;
    await incidentOn(secret.id, `Không đọc được: ${TEXT.proposal}`);
    await incidentOn(normal.id, 'Không đọc được: hồ sơ thường');

    // when the Office's deadline monitor, an operator without clearance, lists the incidents
    const { items } = await (await env.as('vp.theodoi')).get<{ items: { dossierId: string | null; message: string | null }[] }>('/api/incidents');

    // then the secret dossier's incident is listed without its message, the normal one's with it
    expect(items.find((i) => i.dossierId === secret.id)).toMatchObject({ message: null });
    expect(items.find((i) => i.dossierId === normal.id)).toMatchObject({ message: 'Không đọc được: hồ sơ thường' });
    expect(leaks(items, [TEXT.proposal])).toEqual([]);
  });
});
