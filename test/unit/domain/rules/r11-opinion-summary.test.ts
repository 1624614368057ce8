import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES_CONFIG,
  checkConsultedRemoval,
  checkOpinionSummary,
  checkSummaryMatchesOpinions,
  refreshOpinionSummary,
  rulesConfig,
  summariseOpinions,
  validatePreSign,
} from '../../../../domain/rules/index.ts';
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

  it('R-11 should refuse a "Thống nhất" summary for an agency that replied "Không thống nhất", naming it', () => {
    // given STC disagreed, and the summary says it agreed (in its position and in its words)
    const d = validDossier({
      opinions: [opinion('SKHDT'), opinion('STC', { position: 'DISAGREE', content: 'Kinh phí vượt dự toán.' })],
      opinionSummary: [
        { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất với dự thảo.' },
        { agencyCode: 'STC', position: 'AGREE', summary: 'Thống nhất.' },
      ],
    });
    // when
    const v = checkSummaryMatchesOpinions(d, DEFAULT_RULES_CONFIG);
    // then
    expect(v?.code).toBe('ERR_OPINION_SUMMARY_MISMATCH');
    expect(v?.details?.agencies).toEqual(['STC']);
    expect(v?.message).toContain('STC đã cho ý kiến "Không thống nhất", bản tổng hợp ghi "Thống nhất"');
    expect(validatePreSign(d, DEFAULT_RULES_CONFIG).map((x) => x.code)).toContain('ERR_OPINION_SUMMARY_MISMATCH');
  });

  it('R-11 should refuse a summary whose words contradict its position, and accept one true to the opinions', () => {
    const opinions = [opinion('STC', { position: 'DISAGREE' }), opinion('SKHDT', { position: 'AGREE_WITH_COMMENTS' })];
    const lying = [{ agencyCode: 'STC', position: 'DISAGREE' as const, summary: 'Thống nhất với dự thảo' }];
    expect(checkSummaryMatchesOpinions({ opinions, opinionSummary: lying }, DEFAULT_RULES_CONFIG)?.details?.agencies).toEqual(['STC']);
    const honest = [
      { agencyCode: 'STC', position: 'DISAGREE' as const, summary: 'Không thống nhất: kinh phí vượt dự toán' },
      { agencyCode: 'SKHDT', position: 'AGREE' as const, summary: 'Thống nhất, đề nghị bổ sung tiến độ' },
    ];
    expect(checkSummaryMatchesOpinions({ opinions, opinionSummary: honest }, DEFAULT_RULES_CONFIG)).toBeNull();
    // an agency that never answered is not summarised as agreeing (unless silence is consent)
    const invented = [{ agencyCode: 'SNV', position: 'AGREE' as const, summary: 'Thống nhất' }];
    expect(checkSummaryMatchesOpinions({ opinions, opinionSummary: invented }, DEFAULT_RULES_CONFIG)?.details?.agencies).toEqual(['SNV']);
    expect(checkSummaryMatchesOpinions({ opinions, opinionSummary: invented }, rulesConfig({ silenceMeansConsent: true }))).toBeNull();
  });

  it('R-11 should refuse removing a consulted agency that already replied', () => {
    const v = checkConsultedRemoval(['STC', 'SKHDT', 'SNV'], ['SKHDT'], ['STC']);
    expect(v?.code).toBe('ERR_CONSULTED_AGENCY_REPLIED');
    expect(v?.message).toBe('Không bỏ cơ quan đã gửi ý kiến khỏi danh sách lấy ý kiến: STC.');
    expect(checkConsultedRemoval(['STC', 'SNV'], ['STC'], ['STC'])).toBeNull();
  });

  it('R-11 should refresh the pre-filled summary in a later round', () => {
    // given round 1's summary (STC agreed), and in round 2 STC disagrees
    const current = [
      { agencyCode: 'STC', position: 'AGREE' as const, summary: 'Thống nhất.' },
      { agencyCode: 'SKHDT', position: 'AGREE' as const, summary: 'Thống nhất, như công văn 12/SKHĐT.' },
    ];
    const computed = [
      { agencyCode: 'STC', position: 'DISAGREE' as const, summary: 'Không thống nhất: Kinh phí vượt dự toán.' },
      { agencyCode: 'SKHDT', position: 'AGREE' as const, summary: 'Thống nhất' },
    ];
    // then STC's line is the new one; SKHDT, silent this round, keeps the drafter's wording of its unchanged position
    expect(refreshOpinionSummary(current, computed, ['STC'])).toEqual([computed[0], current[1]]);
    expect(refreshOpinionSummary(current, computed, ['STC', 'SKHDT'])).toEqual(computed);
  });
});
