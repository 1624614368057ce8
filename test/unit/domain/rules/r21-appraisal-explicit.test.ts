import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkAppraisalResult } from '../../../../domain/rules/index.ts';

const config = DEFAULT_RULES_CONFIG;
const codes = (input: Parameters<typeof checkAppraisalResult>[0]) => checkAppraisalResult(input, config).map((v) => v.code);

describe('R-21 explicit appraisal', () => {
  it('R-21 should accept a clear conclusion with lawfulness and reasons', () => {
    expect(codes({ conclusion: 'ELIGIBLE', lawful: true, reasons: 'Đúng thẩm quyền, phù hợp Luật 80/2015/QH13.' })).toEqual([]);
  });

  it('R-21 should reject "đề nghị cơ quan soạn thảo cân nhắc" without a conclusion', () => {
    // given only vague text
    const [v] = checkAppraisalResult({ reasons: 'Đề nghị cơ quan soạn thảo cân nhắc.' }, config);
    // then
    expect(v?.code).toBe('ERR_APPRAISAL_VAGUE');
    expect(v?.details?.missing).toEqual(['conclusion', 'lawful']);
    expect(v?.details?.vaguePhrases).toEqual(['đề nghị cơ quan soạn thảo cân nhắc', 'cân nhắc']);
    expect(v?.message).toBe(
      'Kết luận thẩm định phải thể hiện rõ chính kiến (ban hành là đúng và phù hợp quy định pháp luật hay không), không được có ý kiến chung chung.',
    );
  });

  it('R-21 should accept a clear conclusion that also says "cân nhắc"', () => {
    // given an explicit conclusion whose reasons suggest weighing a wording
    const input = {
      conclusion: 'ELIGIBLE_AFTER_REVISION',
      lawful: true,
      reasons: 'Việc ban hành là đúng thẩm quyền; đề nghị cân nhắc bỏ khoản 2 Điều 5 cho phù hợp.',
    };
    // then
    expect(codes(input)).toEqual([]);
  });

  it('R-21 should reject a conclusion without the lawfulness position', () => {
    expect(checkAppraisalResult({ conclusion: 'ELIGIBLE', reasons: 'Đủ điều kiện.' }, config)[0]?.details?.missing).toEqual(['lawful']);
  });

  it('R-21 should reject a conclusion outside the enumeration', () => {
    expect(codes({ conclusion: 'CONSIDER', lawful: true, reasons: 'x' })).toEqual(['ERR_APPRAISAL_VAGUE']);
  });

  it('R-21 should require the reasons', () => {
    expect(codes({ conclusion: 'NOT_ELIGIBLE', lawful: false, reasons: '' })).toEqual(['ERR_APPRAISAL_INCOMPLETE']);
  });

  it('R-21 should reject an eligible conclusion that calls issuance unlawful', () => {
    expect(codes({ conclusion: 'ELIGIBLE', lawful: false, reasons: 'Trái Luật.' })).toEqual(['ERR_APPRAISAL_CONTRADICTORY']);
  });
});
