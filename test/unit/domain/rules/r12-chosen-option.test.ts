import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, agreedOption, checkChosenOption, decideOpinionsDiffer, validatePreSign } from '../../../../domain/rules/index.ts';
import { opinion, validDossier } from '../fixtures.ts';

const twoOptions = [
  { id: 'PA1', title: 'Tổ chức 12 hội chợ' },
  { id: 'PA2', title: 'Tổ chức 8 hội chợ' },
];

describe('R-12 chosen option', () => {
  it('R-12 should see no difference when every agency agrees on the single option', () => {
    const d = validDossier();
    expect(decideOpinionsDiffer(d.opinions)).toBe(false);
    expect(decideOpinionsDiffer([opinion('STC', { position: 'AGREE_WITH_COMMENTS' })])).toBe(false);
  });

  it('R-12 should see a difference when an agency disagrees or proposes another option', () => {
    expect(decideOpinionsDiffer([opinion('SKHDT'), opinion('STC', { position: 'DISAGREE' })])).toBe(true);
    expect(decideOpinionsDiffer([opinion('STC', { position: 'PROPOSE_OTHER_OPTION' })])).toBe(true);
  });

  it('R-12 should see a difference when agencies prefer different options', () => {
    const opinions = [opinion('SKHDT', { preferredOptionId: 'PA1' }), opinion('STC', { preferredOptionId: 'PA2' })];
    expect(decideOpinionsDiffer(opinions)).toBe(true);
  });

  it('R-12 should not see differing opinions in two options alone when every agency agrees', () => {
    // given options A and B and two consulted agencies agreeing, one naming PA2
    const opinions = [opinion('STC', { preferredOptionId: 'PA2' }), opinion('SKHDT', { position: 'AGREE_WITH_COMMENTS' })];
    // then no choice task is needed, and the agreed option is PA2
    expect(decideOpinionsDiffer(opinions)).toBe(false);
    expect(agreedOption(opinions, twoOptions)).toBe('PA2');
    expect(agreedOption([opinion('STC')], twoOptions)).toBeUndefined();
    expect(agreedOption([opinion('STC', { preferredOptionId: 'PA9' })], twoOptions)).toBeUndefined();
    expect(agreedOption([opinion('STC', { preferredOptionId: 'PA1' }), opinion('SKHDT', { preferredOptionId: 'PA2' })], twoOptions)).toBeUndefined();
  });

  it('R-12 should still require the submission to propose one of several options before signing', () => {
    // given nobody consulted and two options
    const d = validDossier({ options: twoOptions, consultedAgencyCodes: [], opinions: [], opinionRequests: [], opinionSummary: [] });
    expect(checkChosenOption(d)?.details?.problems).toEqual(['NO_CHOSEN_OPTION', 'NO_RATIONALE']);
    expect(checkChosenOption({ ...d, chosenOptionId: 'PA1', choiceRationale: 'Kinh phí thấp hơn' })).toBeNull();
  });

  it('R-12 should judge only each agency’s latest opinion', () => {
    // given STC disagreed in round 1 and agreed in round 2
    const opinions = [opinion('STC', { position: 'DISAGREE' }), opinion('STC', { round: 2, position: 'AGREE', changeReason: 'Đã tiếp thu' })];
    expect(decideOpinionsDiffer(opinions)).toBe(false);
  });

  it('R-12 should require a chosen option and rationale when opinions differ', () => {
    // given
    const d = validDossier({
      opinions: [opinion('SKHDT'), opinion('STC', { position: 'DISAGREE' })],
      opinionSummary: [
        { agencyCode: 'SKHDT', position: 'AGREE', summary: 'Thống nhất với dự thảo.' },
        { agencyCode: 'STC', position: 'DISAGREE', summary: 'Không thống nhất: kinh phí vượt dự toán.' },
      ],
    });
    // when
    const v = checkChosenOption(d);
    // then
    expect(v?.code).toBe('ERR_NO_CHOSEN_OPTION');
    expect(v?.details?.problems).toEqual(['NO_CHOSEN_OPTION', 'NO_RATIONALE']);
    expect(validatePreSign(d, DEFAULT_RULES_CONFIG).map((x) => x.code)).toEqual(['ERR_NO_CHOSEN_OPTION']);
  });

  it('R-12 should reject a chosen option that is not one of the dossier’s options', () => {
    const d = validDossier({ options: twoOptions, chosenOptionId: 'PA9', choiceRationale: 'Tiết kiệm kinh phí' });
    expect(checkChosenOption(d)?.details?.problems).toEqual(['UNKNOWN_OPTION']);
  });

  it('R-12 should accept one chosen option with a rationale', () => {
    const d = validDossier({ options: twoOptions, chosenOptionId: 'PA2', choiceRationale: 'Phù hợp dự toán được giao' });
    expect(checkChosenOption(d)).toBeNull();
  });
});
