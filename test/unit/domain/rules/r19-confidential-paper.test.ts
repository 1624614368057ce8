import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG, checkConfidentialPaper, checkForwardGates, confidentialContentFields, rulesConfig } from '../../../../domain/rules/index.ts';
import type { DossierFacts } from '../../../../domain/facts.ts';
import { validDossier } from '../fixtures.ts';

function paperSecret(): DossierFacts {
  const d = validDossier({ secrecyLevel: 'MAT', channel: 'PAPER' });
  d.documents = d.documents.map((doc) => ({ ...doc, medium: 'PAPER', hasBody: false, initialed: true }));
  return d;
}

describe('R-19 confidential paper', () => {
  it('R-19 should accept a secret dossier on paper with no file bodies', () => {
    expect(checkConfidentialPaper(paperSecret(), DEFAULT_RULES_CONFIG)).toBeNull();
  });

  it('R-19 should reject a secret dossier sent electronically', () => {
    // given
    const d = { ...paperSecret(), channel: 'ELECTRONIC' as const };
    // when
    const v = checkConfidentialPaper(d, DEFAULT_RULES_CONFIG);
    // then
    expect(v?.code).toBe('ERR_CONFIDENTIAL_ELECTRONIC');
    expect(v?.details?.reasons).toEqual(['ELECTRONIC_CHANNEL']);
    expect(v?.message).toBe('Hồ sơ trình có nội dung mật chỉ được gửi bằng văn bản giấy.');
    expect(checkForwardGates({ ...d, signature: { ...d.signature!, stamped: true } }, DEFAULT_RULES_CONFIG).map((x) => x.code)).toEqual([
      'ERR_CONFIDENTIAL_ELECTRONIC',
    ]);
  });

  it('R-19 should reject a file body stored for a secret dossier even when paper-only is switched off', () => {
    const d = paperSecret();
    d.documents[0] = { ...d.documents[0]!, hasBody: true };
    expect(checkConfidentialPaper(d, rulesConfig({ confidential: { paperOnly: false } }))?.details?.reasons).toEqual(['FILE_BODY_STORED']);
  });

  it('R-19 should allow electronic channel for a secret dossier when paper-only is switched off', () => {
    const d = { ...paperSecret(), channel: 'ELECTRONIC' as const };
    expect(checkConfidentialPaper(d, rulesConfig({ confidential: { paperOnly: false } }))).toBeNull();
  });

  it('R-19 should leave ordinary dossiers alone', () => {
    expect(checkConfidentialPaper(validDossier(), DEFAULT_RULES_CONFIG)).toBeNull();
  });
});

describe('R-19 a secret dossier holds metadata only', () => {
  const content = { practicalBasis: 'Kho cũ xuống cấp', proposal: 'Đề nghị di dời', options: [{ id: 'PA1', title: 'Di dời' }, { id: 'PA2', description: 'Gia cố, 5 tỷ' }] };

  it('R-19 should name every content field of a secret dossier, at each secrecy level', () => {
    for (const level of ['MAT', 'TOI_MAT', 'TUYET_MAT'] as const) {
      expect(confidentialContentFields(level, content)).toEqual(['practicalBasis', 'proposal', 'options.1.description']);
    }
  });

  it('R-19 should take blank text as no content, and ask nothing of an ordinary dossier', () => {
    expect(confidentialContentFields('MAT', { practicalBasis: ' \n', proposal: '', options: [{ id: 'PA1', description: '  ' }] })).toEqual([]);
    expect(confidentialContentFields('MAT', {})).toEqual([]);
    expect(confidentialContentFields('NONE', content)).toEqual([]);
  });
});
