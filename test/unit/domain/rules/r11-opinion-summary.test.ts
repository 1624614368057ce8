import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkOpinionSummary, rulesConfig, summariseOpinions, validatePreSign } from '../../../../domain/rules/index.ts';
import { opinion, opinionRequest, validDossier } from '../fixtures.ts';

describe('R-11 opinion summary', () => {
  it('R-11 should accept a summary that states every consulted agency', () => {
    expect(checkOpinionSummary(validDossier())).toBeNull();
  });

  it('R-11 should list the agencies whose opinion the submission does not state', () => {
    // given a summary that states only SKHDT, and an empty entry for STC
    const d = validDossier({
      consultedAgencyCodes: ['SKHDT', 'STC', 'SNV'],
      opinionSummary: [
        { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất.' },
        { agencyCode: 'STC', position: 'AGREE', summary: ' ' },
      ],
    });
    // when
    const v = checkOpinionSummary(d);
    // then
    expect(v?.code).toBe('ERR_OPINION_SUMMARY_INCOMPLETE');
    expect(v?.details?.agencies).toEqual(['STC', 'SNV']);
    expect(v?.message).toBe('Văn bản trình phải nêu rõ ý kiến của: STC, SNV.');
    expect(validatePreSign(d, DEFAULT_RULES_CONFIG).map((x) => x.code)).toContain('ERR_OPINION_SUMMARY_INCOMPLETE');
  });

  it('R-11 should pre-fill one entry per consulted agency from its latest opinion', () => {
    // given STC changed its mind in round 2, late, and SNV was waived
    const d = validDossier({
      consultedAgencyCodes: ['SKHDT', 'STC', 'SNV'],
      opinionRequests: [
        opinionRequest('SKHDT'),
        opinionRequest('STC'),
        opinionRequest('STC', { round: 2, dueAt: new Date('2026-03-08T17:00:00+07:00') }),
        opinionRequest('SNV', { status: 'WAIVED' }),
      ],
      opinions: [
        opinion('SKHDT'),
        opinion('STC', { position: 'AGREE' }),
        opinion('STC', {
          round: 2,
          position: 'DISAGREE',
          content: 'Kinh phí vượt dự toán.',
          receivedAt: new Date('2026-03-09T10:00:00+07:00'),
          changeReason: 'Dự toán 2026 đã giảm',
        }),
      ],
    });
    // when
    const summary = summariseOpinions(d, DEFAULT_RULES_CONFIG);
    // then
    expect(summary).toEqual([
      { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất: Thống nhất với dự thảo.', late: false },
      { agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất: Kinh phí vượt dự toán. (gửi sau thời hạn)', late: true },
      {
        agencyCode: 'SNV',
        position: 'NO_OPINION',
        summary: 'Chưa có ý kiến (đã quá hạn, Thủ trưởng cơ quan chủ trì quyết định không chờ)',
        late: false,
      },
    ]);
    expect(checkOpinionSummary({ consultedAgencyCodes: d.consultedAgencyCodes, opinionSummary: summary })).toBeNull();
  });

  it('R-11 should count silence as agreement only when configured', () => {
    const d = validDossier({ consultedAgencyCodes: ['STC'], opinionRequests: [opinionRequest('STC', { status: 'OVERDUE' })], opinions: [] });
    expect(summariseOpinions(d, DEFAULT_RULES_CONFIG)[0]?.position).toBe('NO_OPINION');
    expect(summariseOpinions(d, rulesConfig({ silenceMeansConsent: true }))[0]?.position).toBe('AGREE');
  });
});
