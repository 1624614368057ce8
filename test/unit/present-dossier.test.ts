import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { guardDossierAnswers, presentDossier, presentDossierDetail, presentEvent, unpresentedDossier } from '../../server/present/dossier.ts';
import type { Actor } from '../../domain/access.ts';
import type { Dossier } from '../../store/entities/dossier.ts';
import type { ChangeEvent } from '../../server/events.ts';

const secret: Dossier = {
  id: 'HS-2026-000001',
  subject: 'Nội dung mật',
  matterCategory: 'cong-thuong',
  decisionAuthority: 'UBND_TINH',
  leadAgencyCode: 'SCT',
  accountableUserId: 'sct.giamdoc',
  createdBy: 'sct.chuyenvien',
  assignedTaskId: null,
  assignedToUbndMember: false,
  isLegalNormative: false,
  requiresAppraisal: false,
  appraiserAgencyCode: null,
  urgency: 'KHAN',
  urgentReason: 'Lý do khẩn mật',
  secrecyLevel: 'MAT',
  channel: 'PAPER',
  legalBasis: [{ type: 'LUAT', numberSymbol: '77/2015/QH13' }],
  practicalBasis: 'Cơ sở mật',
  proposal: 'Đề xuất mật',
  options: [{ id: 'PA1', title: 'Phương án mật' }],
  consultedAgencyCodes: ['STC'],
  opinionSummary: [{ agencyCode: 'STC', position: 'AGREE', summary: 'Tóm tắt mật' }],
  chosenOptionId: 'PA1',
  choiceRationale: 'Lý do chọn mật',
  ruleWarnings: [{ rule: 'R-03', code: 'WARN_VAGUE_PROPOSAL', message: 'Cảnh báo mật' }],
  dueAt: null,
  status: 'CONSULTING',
  overdue: false,
  round: 1,
  processInstanceId: 'pi-1',
  externalRef: 'Số tham chiếu mật',
  createdAt: new Date('2026-01-05T00:00:00Z'),
  updatedAt: new Date('2026-01-05T00:00:00Z'),
  closedAt: null,
};
const deputy: Actor = { id: 'sct.phogiamdoc', agencyCode: 'SCT', role: 'DEPUTY', clearance: 'NONE' };
const head: Actor = { id: 'sct.giamdoc', agencyCode: 'SCT', role: 'HEAD', clearance: 'MAT' };
const TEXTS = ['Nội dung mật', 'Lý do khẩn mật', 'Cơ sở mật', 'Đề xuất mật', 'Phương án mật', 'Tóm tắt mật', 'Lý do chọn mật', 'Số tham chiếu mật', '77/2015/QH13', 'PA1', 'Cảnh báo mật'];

describe('the presenter of dossier data (server/present/dossier.ts)', () => {
  it('should show a secret dossier without any of its texts when the viewer is not entitled, and whole when they are', () => {
    // given a secret dossier
    // when a deputy without clearance and the head have it presented
    const hidden = JSON.stringify(presentDossier(deputy, secret));
    const whole = presentDossier(head, secret);

    // then the deputy sees none of its texts, the head all of them
    expect(TEXTS.filter((t) => hidden.includes(t))).toEqual([]);
    expect(JSON.parse(hidden)).toMatchObject({ id: secret.id, subject: 'Hồ sơ mật', status: 'CONSULTING', confidentialHidden: true });
    expect(whole).toMatchObject({ subject: secret.subject, externalRef: secret.externalRef, confidentialHidden: false });
  });

  it('should blank a column of a detail row that it does not know when the viewer is not entitled', () => {
    // given a document row with a column added after the presenter was written
    const documents = [{ id: 'd1', role: 'OTHER', symbol: 'BM-1', subject: 'Trích yếu mật', file_name: 'mat.pdf', new_text_column: 'Cột mới mật' }];

    // when it is presented to a deputy without clearance
    const view = presentDossierDetail(deputy, { dossier: secret, documents, opinionRequests: [], opinions: [], appraisals: [], signatures: [], submissions: [], returns: [], audit: [], process: null });

    // then only the columns known to say nothing of the content are kept
    expect(view.documents).toEqual([{ id: 'd1', role: 'OTHER', symbol: null, subject: '', file_name: null, new_text_column: null }]);
  });

  it('should find a dossier row the presenter did not make, alone or spread into another object, and pass presented ones', () => {
    // given a raw dossier, a spread of it inside an answer, and presented views
    // then the raw ones are found with where they sit, the presented ones pass
    expect(unpresentedDossier({ dossier: secret })).toBe('$.dossier');
    expect(unpresentedDossier({ items: [presentDossier(deputy, secret), { ...secret, extra: 1 }] })).toBe('$.items[1]');
    expect(unpresentedDossier({ items: [presentDossier(deputy, secret)] })).toBeNull();
    expect(unpresentedDossier([{ id: 'x', secrecy_level: 'MAT', lead_agency_code: 'SCT' }])).toBe('$[0]');
    expect(unpresentedDossier({ user: { id: 'u', clearance: 'MAT' } })).toBeNull();
    // a rule's details that name a secrecy level are no dossier (R-19's refusal)
    expect(unpresentedDossier({ error: { code: 'ERR_CONFIDENTIAL_ELECTRONIC', details: [{ details: { reasons: [], secrecyLevel: 'MAT' } }] } })).toBeNull();
  });

  it('should refuse a raw dossier in an answer by throwing, and in an error answer by sending the refusal in its place', () => {
    // given the guard on an answer under way and on an error answer
    const answer = (statusCode: number) => {
      const res = { statusCode, sent: undefined as unknown, status(code: number) { res.statusCode = code; return res; }, json(body: unknown) { res.sent = body; return res; } };
      guardDossierAnswers({} as Request, res as unknown as Response, () => {});
      return res;
    };
    const ok = answer(200);
    const failed = answer(422);

    // when each would send a raw dossier
    // then the first throws (the error handler answers), the second sends the refusal, and neither sends the dossier
    expect(() => ok.json({ dossier: secret })).toThrow(expect.objectContaining({ status: 500, code: 'UNPRESENTED_DOSSIER' }));
    expect(ok.sent).toBeUndefined();
    failed.json({ error: { details: secret } });
    expect(failed.statusCode).toBe(500);
    expect(failed.sent).toEqual({ error: { code: 'UNPRESENTED_DOSSIER', message: expect.stringContaining('$.error.details') } });
  });

  it('should send a live event with its kind, action and ids only, whatever its publisher added', () => {
    // given an event carrying more than its ids
    const e = { type: 'dossier', dossierId: 'HS-2026-000001', action: 'MOVED', subject: 'Nội dung mật' } as ChangeEvent;

    // when it is presented, then only the kind, action and ids remain
    expect(JSON.parse(JSON.stringify(presentEvent(e)))).toEqual({ type: 'dossier', action: 'MOVED', dossierId: 'HS-2026-000001' });
    expect(JSON.parse(JSON.stringify(presentEvent({ type: 'task', taskId: 't1', action: 'CLAIMED' })))).toEqual({ type: 'task', action: 'CLAIMED' });
  });
});
