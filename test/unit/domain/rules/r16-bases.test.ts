import { describe, expect, it } from 'vitest';
import { checkBases } from '../../../../domain/rules/index.ts';
import { validDossier } from '../fixtures.ts';

const codes = (d: Parameters<typeof checkBases>[0]) => checkBases(d).map((v) => v.code);

describe('R-16 bases', () => {
  it('R-16 should accept legal basis, practical basis and proposal', () => {
    expect(checkBases(validDossier())).toEqual([]);
  });

  it('R-16 should require at least one cited legal document', () => {
    // when
    const [v] = checkBases(validDossier({ legalBasis: [] }));
    // then
    expect(v?.code).toBe('ERR_MISSING_LEGAL_BASIS');
    expect(v?.message).toBe('Văn bản trình phải nêu rõ cơ sở pháp lý.');
  });

  it('R-16 should reject a legal reference without type or number', () => {
    const d = validDossier({ legalBasis: [...validDossier().legalBasis, { type: 'NGHI_DINH', numberSymbol: ' ' }] });
    const [v] = checkBases(d);
    expect(v?.code).toBe('ERR_MISSING_LEGAL_BASIS');
    expect(v?.details?.incompleteEntries).toEqual([1]);
  });

  it('R-16 should require the practical basis', () => {
    expect(codes(validDossier({ practicalBasis: '\n' }))).toEqual(['ERR_MISSING_PRACTICAL_BASIS']);
  });

  it('R-16 should require the proposal', () => {
    const [v] = checkBases(validDossier({ proposal: '' }));
    expect(v?.code).toBe('ERR_MISSING_PROPOSAL');
    expect(v?.message).toBe('Văn bản trình phải nêu rõ ý kiến tham mưu, đề xuất.');
  });

  it('R-16 should report every missing basis at once', () => {
    expect(codes(validDossier({ legalBasis: [], practicalBasis: '', proposal: '' }))).toEqual([
      'ERR_MISSING_LEGAL_BASIS',
      'ERR_MISSING_PRACTICAL_BASIS',
      'ERR_MISSING_PROPOSAL',
    ]);
  });

  it('R-16 should not ask a secret dossier for the practical basis and proposal it keeps on paper (R-19), still its legal basis', () => {
    expect(codes(validDossier({ secrecyLevel: 'MAT', practicalBasis: '', proposal: '' }))).toEqual([]);
    expect(codes(validDossier({ secrecyLevel: 'TUYET_MAT', legalBasis: [], practicalBasis: '', proposal: '' }))).toEqual(['ERR_MISSING_LEGAL_BASIS']);
  });
});
