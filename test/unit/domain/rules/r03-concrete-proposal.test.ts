import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkConcreteProposal } from '../../../../domain/rules/index.ts';
import { validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;

describe('R-03 concrete proposal', () => {
  it('R-03 should accept a concrete proposal with a draft attached', () => {
    expect(checkConcreteProposal(validDossier(), config)).toBeNull();
  });

  it('R-03 should warn about a "xin chủ trương" proposal', () => {
    // given
    const d = validDossier({ proposal: 'Kính đề nghị UBND tỉnh cho xin chủ trương đầu tư.' });
    // when
    const v = checkConcreteProposal(d, config);
    // then
    expect(v?.code).toBe('WARN_VAGUE_PROPOSAL');
    expect(v?.severity).toBe('warning');
    expect(v?.details?.phrases).toEqual(['xin chủ trương']);
  });

  it('R-03 should warn about a vague phrase when no draft is attached', () => {
    const base = validDossier();
    const d = validDossier({
      proposal: 'Đề nghị UBND tỉnh xin ý kiến chỉ đạo về việc tổ chức 12 hội chợ thương mại năm 2026 tại các huyện biên giới.',
      documents: base.documents.filter((doc) => doc.role !== 'DRAFT_DECISION'),
    });
    expect(checkConcreteProposal(d, config)?.code).toBe('WARN_VAGUE_PROPOSAL');
  });

  it('R-03 should accept a concrete proposal that mentions a phrase in passing when a draft is attached', () => {
    const d = validDossier({
      proposal:
        'Sau khi nghiên cứu thêm ý kiến các sở, đề nghị UBND tỉnh ban hành Quyết định phê duyệt Kế hoạch xúc tiến thương mại năm 2026 theo dự thảo kèm theo.',
    });
    expect(checkConcreteProposal(d, config)).toBeNull();
  });

  it('R-03 should match the phrase whatever the Unicode form and case', () => {
    const d = validDossier({ proposal: 'XIN CHỦ TRƯƠNG đầu tư'.normalize('NFD') });
    expect(checkConcreteProposal(d, config)?.code).toBe('WARN_VAGUE_PROPOSAL');
  });

  it('R-03 should leave an empty proposal to R-16', () => {
    expect(checkConcreteProposal(validDossier({ proposal: '' }), config)).toBeNull();
  });
});
