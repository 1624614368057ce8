import { describe, expect, it } from 'vitest';
import { checkOpinionInput } from '../../../../domain/rules/index.ts';

describe('R-14 opinion consistency', () => {
  it('R-14 should accept a first opinion with position and content', () => {
    expect(checkOpinionInput({ position: 'AGREE', content: 'Thống nhất.' }, [])).toEqual([]);
  });

  it('R-14 should require a valid position and content', () => {
    // when
    const [v] = checkOpinionInput({ position: 'MAYBE', content: '' });
    // then
    expect(v?.code).toBe('ERR_OPINION_INCOMPLETE');
    expect(v?.severity).toBe('error');
    expect(v?.message).toBe('Văn bản tham gia ý kiến phải nêu rõ quan điểm và nội dung ý kiến: quan điểm (position); nội dung ý kiến (content).');
  });

  it('R-14 should warn when the agency changes its position without a reason', () => {
    // given the agency agreed in an earlier round
    const violations = checkOpinionInput({ position: 'DISAGREE', content: 'Không thống nhất.' }, ['AGREE']);
    // then
    expect(violations.map((v) => v.code)).toEqual(['WARN_OPINION_INCONSISTENT']);
    expect(violations[0]?.severity).toBe('warning');
    expect(violations[0]?.message).toBe('Ý kiến khác với ý kiến trước đây của cơ quan; cần nêu lý do thay đổi.');
  });

  it('R-14 should accept a change of position that gives its reason', () => {
    expect(checkOpinionInput({ position: 'DISAGREE', content: 'Không thống nhất.', changeReason: 'Dự toán đã giảm' }, ['AGREE'])).toEqual([]);
  });

  it('R-14 should compare with the latest earlier opinion only', () => {
    // AGREE, then DISAGREE (with reason), now DISAGREE again: consistent with the latest
    expect(checkOpinionInput({ position: 'DISAGREE', content: 'Giữ nguyên ý kiến.' }, ['AGREE', 'DISAGREE'])).toEqual([]);
  });

  it('R-14 should warn when the agency switches its preferred option', () => {
    const earlier = [{ position: 'AGREE' as const, preferredOptionId: 'PA1' }];
    const violations = checkOpinionInput({ position: 'AGREE', content: 'Thống nhất PA2.', preferredOptionId: 'PA2' }, earlier);
    expect(violations.map((v) => v.code)).toEqual(['WARN_OPINION_INCONSISTENT']);
  });
});
