/**
 * Whom a document is addressed to ("Kính gửi") and its recipients ("Nơi nhận") are in the dossier
 * answer, through the presenter: those who may read the dossier see them, those who may not read a
 * secret dossier get empty lists (whom a secret document goes to is part of what it says).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';

type Doc = { role: string; kinh_gui: string[]; noi_nhan: string[] };
type Detail = { documents: Doc[] };
type Created = { dossier: { id: string } };
const noBody = { fileName: undefined, contentType: undefined, contentBase64: undefined };

describe('document recipients in the dossier answer', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should answer each document\'s kính gửi and nơi nhận to whoever may read the dossier', async () => {
    // given a dossier whose tờ trình is addressed to UBND tỉnh and copied to two recipients
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ documents: [submissionDocument({ kinhGui: ['UBND tỉnh Long An'], noiNhan: ['Như trên', 'Sở Tài chính', 'Lưu: VT, KT'] }), draftDecision()] }));

    // when the drafter and a consulted agency open it
    for (const username of ['sct.chuyenvien', 'stc.chuyenvien']) {
      const detail = await (await env.as(username)).get<Detail>(`/api/dossiers/${dossier.id}`);

      // then the tờ trình names its recipients, the draft decision none
      expect({ username, doc: detail.documents.find((d) => d.role === 'SUBMISSION_DOC') }).toMatchObject({ username, doc: { kinh_gui: ['UBND tỉnh Long An'], noi_nhan: ['Như trên', 'Sở Tài chính', 'Lưu: VT, KT'] } });
      expect(detail.documents.find((d) => d.role === 'DRAFT_DECISION')).toMatchObject({ kinh_gui: [], noi_nhan: [] });
    }
  });

  it('should answer empty recipients of a secret dossier to those not entitled, and the recipients to those who are', async () => {
    // given a secret dossier on paper whose tờ trình names recognisable recipients
    const drafter = await env.as('sct.chuyenvien');
    const secretRecipient = 'Bộ Chỉ huy Quân sự tỉnh Long An';
    const secretCopy = 'Kho K-12 Bến Lức';
    const { dossier } = await drafter.post<Created>(
      '/api/dossiers',
      validDossierInput({
        secrecyLevel: 'MAT',
        proposal: '',
        practicalBasis: '',
        consultedAgencyCodes: [],
        documents: [
          submissionDocument({ medium: 'PAPER', kinhGui: ['UBND tỉnh Long An', secretRecipient], noiNhan: ['Như trên', secretCopy], ...noBody }),
          draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody }),
        ],
      }),
    );

    // when the Office's reviewer, the lead agency's deputy and its specialist (no clearance) open it
    for (const username of ['vp.chuyenvien', 'sct.phogiamdoc', 'sct.chuyenvien']) {
      const detail = await (await env.as(username)).get<Detail>(`/api/dossiers/${dossier.id}`);

      // then no recipient is answered, and neither name is anywhere in the answer
      expect({ username, recipients: detail.documents.map((d) => [d.kinh_gui, d.noi_nhan]) }).toEqual({ username, recipients: [[[], []], [[], []]] });
      expect(JSON.stringify(detail)).not.toMatch(new RegExp(`${secretRecipient}|${secretCopy}`));
    }

    // and the lead agency's head and the Office's confidential clerk, who are cleared, read them
    for (const username of ['sct.giamdoc', 'vp.mat']) {
      const detail = await (await env.as(username)).get<Detail>(`/api/dossiers/${dossier.id}`);
      expect({ username, doc: detail.documents.find((d) => d.role === 'SUBMISSION_DOC') }).toMatchObject({ username, doc: { kinh_gui: ['UBND tỉnh Long An', secretRecipient], noi_nhan: ['Như trên', secretCopy] } });
    }
  });
});
