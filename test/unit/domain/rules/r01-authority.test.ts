import { describe, expect, it } from 'vitest';
import { checkAuthority, rulesConfig } from '../../../../domain/rules/index.ts';
import type { DecisionAuthority } from '../../../../domain/model.ts';
import { validDossier } from '../fixtures.ts';

const config = rulesConfig({
  authorityMatrix: {
    'cong-thuong': 'UBND_TINH',
    'cong-thuong/giay-phep-ban-le-ruou': 'SO_NGANH',
    'xay-dung/giay-phep-xay-dung': 'UBND_HUYEN',
    'to-chuc-bo-may': 'CHU_TICH_UBND_TINH',
  },
});

describe('R-01/02 authority', () => {
  it('R-01 should accept a matter the matrix gives to UBND tỉnh', () => {
    expect(checkAuthority(validDossier(), config)).toEqual([]);
  });

  it('R-02 should reject a matter within the department’s own authority (đùn đẩy)', () => {
    // given a retail alcohol licence, which Sở Công Thương grants itself
    const d = validDossier({ matterCategory: 'cong-thuong/giay-phep-ban-le-ruou' });
    // when
    const [v] = checkAuthority(d, config);
    // then
    expect(v?.code).toBe('ERR_OUT_OF_AUTHORITY');
    expect(v?.rule).toBe('R-01/02');
    expect(v?.severity).toBe('error');
    expect(v?.message).toBe(
      'Nội dung không thuộc thẩm quyền giải quyết của UBND tỉnh, Chủ tịch UBND tỉnh; đề nghị cơ quan xử lý theo thẩm quyền.',
    );
  });

  it('R-02 should reject a matter of the district People’s Committee', () => {
    const d = validDossier({ matterCategory: 'xay-dung/giay-phep-xay-dung/nha-o' });
    expect(checkAuthority(d, config).map((v) => v.code)).toEqual(['ERR_OUT_OF_AUTHORITY']);
  });

  it('R-01 should reject a decision authority that is not UBND tỉnh or its Chairman', () => {
    const d = validDossier({ decisionAuthority: 'SO_NGANH' as DecisionAuthority });
    expect(checkAuthority(d, config).map((v) => v.code)).toEqual(['ERR_OUT_OF_AUTHORITY']);
  });

  it('R-01 should require a matter category', () => {
    expect(checkAuthority(validDossier({ matterCategory: '  ' }), config).map((v) => v.code)).toEqual(['ERR_MATTER_CATEGORY_REQUIRED']);
  });

  it('R-01 should warn when the collective and the Chairman are confused', () => {
    // given a matter of the Chairman submitted for a collective decision
    const d = validDossier({ matterCategory: 'to-chuc-bo-may', decisionAuthority: 'UBND_TINH' });
    // then
    const [v] = checkAuthority(d, config);
    expect(v?.code).toBe('WARN_DECISION_AUTHORITY_MISMATCH');
    expect(v?.severity).toBe('warning');
  });

  it('R-01 should not block a category the matrix does not list', () => {
    expect(checkAuthority(validDossier({ matterCategory: 'van-hoa/le-hoi' }), config)).toEqual([]);
  });
});
