import { describe, expect, it } from 'vitest';
import {
  TYPE_ABBREVIATIONS,
  docTypeOfSymbol,
  formatNumberSymbol,
  isValidSymbolFor,
  parseSymbol,
} from '../../../domain/document-number.ts';
import { DOC_TYPES } from '../../../domain/model.ts';

describe('formatNumberSymbol', () => {
  it('should write number/type-issuer when a tờ trình is registered', () => {
    expect(formatNumberSymbol({ number: 123, docType: 'TO_TRINH', issuerAbbr: 'SCT' })).toBe('123/TTr-SCT');
  });

  it('should leave the number blank and keep the slash when the document is not yet registered', () => {
    expect(formatNumberSymbol({ number: null, docType: 'TO_TRINH', issuerAbbr: 'SCT' })).toBe('/TTr-SCT');
    expect(formatNumberSymbol({ number: null, docType: 'CONG_VAN', issuerAbbr: 'UBND', unitAbbr: 'THKSTTHC' })).toBe(
      '/UBND-THKSTTHC',
    );
  });

  it('should write issuer-unit with no "CV" when the document is a công văn', () => {
    // when
    const symbol = formatNumberSymbol({ number: 15, docType: 'CONG_VAN', issuerAbbr: 'UBND', unitAbbr: 'VP' });
    // then
    expect(symbol).toBe('15/UBND-VP');
    expect(symbol).not.toMatch(/CV/);
  });

  it('should throw when a công văn has no drafting unit', () => {
    expect(() => formatNumberSymbol({ number: 15, docType: 'CONG_VAN', issuerAbbr: 'UBND' })).toThrow(/unitAbbr is required/);
  });

  it('should insert the year when the decision is normative', () => {
    expect(formatNumberSymbol({ number: 17, docType: 'QUYET_DINH', issuerAbbr: 'UBND', year: 2017, normative: true })).toBe(
      '17/2017/QĐ-UBND',
    );
    expect(formatNumberSymbol({ number: null, docType: 'QUYET_DINH', issuerAbbr: 'UBND', year: 2026, normative: true })).toBe(
      '/2026/QĐ-UBND',
    );
  });

  it('should leave the year out when the decision is individual', () => {
    expect(formatNumberSymbol({ number: 2177, docType: 'QUYET_DINH', issuerAbbr: 'UBND', year: 2026 })).toBe('2177/QĐ-UBND');
  });

  it('should pad the number with a zero when it is below ten', () => {
    expect(formatNumberSymbol({ number: 8, docType: 'QUYET_DINH', issuerAbbr: 'UBND', year: 2023, normative: true })).toBe(
      '08/2023/QĐ-UBND',
    );
  });

  it('should upper-case Đ and fold the look-alike Ð when the issuer is typed loosely', () => {
    expect(formatNumberSymbol({ number: 5, docType: 'BAO_CAO', issuerAbbr: 'skhđt' })).toBe('05/BC-SKHĐT');
    expect(formatNumberSymbol({ number: 5, docType: 'BAO_CAO', issuerAbbr: 'SKH\u00D0T' })).toBe('05/BC-SKH\u0110T');
  });

  it('should reject the input when the document cannot be normative or the year is missing', () => {
    expect(() =>
      formatNumberSymbol({ number: 1, docType: 'TO_TRINH', issuerAbbr: 'STP', year: 2026, normative: true }),
    ).toThrow(/cannot be a normative/);
    expect(() => formatNumberSymbol({ number: 1, docType: 'QUYET_DINH', issuerAbbr: 'UBND', normative: true })).toThrow(
      /year/,
    );
  });

  it('should reject the input when the type has no symbol form or the values are malformed', () => {
    expect(() => formatNumberSymbol({ number: 1, docType: 'KHAC', issuerAbbr: 'STP' })).toThrow(/KHAC/);
    expect(() => formatNumberSymbol({ number: 0, docType: 'TO_TRINH', issuerAbbr: 'STP' })).toThrow(/positive integer/);
    expect(() => formatNumberSymbol({ number: 1, docType: 'TO_TRINH', issuerAbbr: 'S T P' })).toThrow(/issuerAbbr/);
  });
});

describe('parseSymbol', () => {
  it('should read a typed symbol when the first part is a type abbreviation', () => {
    expect(parseSymbol('123/TTr-STP')).toEqual({ number: 123, year: null, typeAbbr: 'TTr', issuer: 'STP', unit: null });
  });

  it('should read a công văn when the first part is an issuer', () => {
    expect(parseSymbol('986/UBND-THKSTTHC')).toEqual({
      number: 986,
      year: null,
      typeAbbr: null,
      issuer: 'UBND',
      unit: 'THKSTTHC',
    });
  });

  it('should read a blank number when the document is not yet registered', () => {
    expect(parseSymbol('/UBND-THKSTTHC')).toEqual({ number: null, year: null, typeAbbr: null, issuer: 'UBND', unit: 'THKSTTHC' });
    expect(parseSymbol('/TTr-SCT')).toEqual({ number: null, year: null, typeAbbr: 'TTr', issuer: 'SCT', unit: null });
  });

  it('should read the year when the document is normative', () => {
    expect(parseSymbol('17/2017/QĐ-UBND')).toEqual({ number: 17, year: 2017, typeAbbr: 'QĐ', issuer: 'UBND', unit: null });
    expect(parseSymbol('08/2023/QĐ-UBND')?.number).toBe(8);
  });

  it('should normalise look-alike letters and whitespace when the text comes from a scan', () => {
    // given Ð (U+00D0, Icelandic eth) instead of Đ, an en dash and surrounding spaces
    const parsed = parseSymbol('  35/2022/Q\u00D0\u2013UBND ');
    // then
    expect(parsed).toEqual({ number: 35, year: 2022, typeAbbr: 'QĐ', issuer: 'UBND', unit: null });
  });

  it('should return null when the symbol uses the unofficial "CV"', () => {
    expect(parseSymbol('123/CV-STP')).toBeNull();
    expect(parseSymbol('/cv-STP')).toBeNull();
  });

  it('should return null when the text fits none of the patterns', () => {
    for (const text of ['', 'abc', '123-TTr/STP', '0/TTr-STP', '123/2017/UBND-VP', '123/TTr-stp', '123/UBND', '12/20/QĐ-UBND']) {
      expect(parseSymbol(text), text).toBeNull();
    }
  });

  it('should read every formatted symbol back when the type has an abbreviation', () => {
    for (const docType of DOC_TYPES) {
      if (TYPE_ABBREVIATIONS[docType] === null) continue;
      // given
      const symbol = formatNumberSymbol({ number: 42, docType, issuerAbbr: 'SKHĐT' });
      // when / then
      expect(parseSymbol(symbol)).toEqual({ number: 42, year: null, typeAbbr: TYPE_ABBREVIATIONS[docType], issuer: 'SKHĐT', unit: null });
      expect(docTypeOfSymbol(symbol)).toBe(docType);
    }
  });
});

describe('docTypeOfSymbol', () => {
  it('should be CONG_VAN when the symbol has no type part', () => {
    expect(docTypeOfSymbol('4018/UBND-KTTC')).toBe('CONG_VAN');
  });

  it('should be KHAC when the type is a Decree 30 type we do not model', () => {
    expect(docTypeOfSymbol('12/QC-UBND')).toBe('KHAC');
  });

  it('should be null when the symbol is invalid', () => {
    expect(docTypeOfSymbol('123/CV-STP')).toBeNull();
  });
});

describe('isValidSymbolFor', () => {
  it('should accept a tờ trình or a công văn when the symbol has the matching form (R-15)', () => {
    expect(isValidSymbolFor('TO_TRINH', '123/TTr-STP')).toBe(true);
    expect(isValidSymbolFor('CONG_VAN', '986/UBND-THKSTTHC')).toBe(true);
    expect(isValidSymbolFor('CONG_VAN', '/UBND-THKSTTHC')).toBe(true);
  });

  it('should reject a báo cáo symbol when the document claims to be a công văn or tờ trình (R-15)', () => {
    expect(isValidSymbolFor('CONG_VAN', '45/BC-SCT')).toBe(false);
    expect(isValidSymbolFor('TO_TRINH', '45/BC-SCT')).toBe(false);
  });

  it('should reject "CV" when the document is a công văn', () => {
    expect(isValidSymbolFor('CONG_VAN', '123/CV-STP')).toBe(false);
  });

  it('should accept a year only when the document is a decision or resolution', () => {
    expect(isValidSymbolFor('QUYET_DINH', '17/2017/QĐ-UBND')).toBe(true);
    expect(isValidSymbolFor('QUYET_DINH', '2177/QĐ-UBND')).toBe(true);
    expect(isValidSymbolFor('TO_TRINH', '12/2020/TTr-STP')).toBe(false);
  });

  it('should reject a type abbreviation when it is not spelt canonically', () => {
    expect(docTypeOfSymbol('123/TTR-STP')).toBe('TO_TRINH');
    expect(isValidSymbolFor('TO_TRINH', '123/TTR-STP')).toBe(false);
  });

  it('should accept an unmodelled Decree 30 type when the document type is KHAC', () => {
    expect(isValidSymbolFor('KHAC', '12/QC-UBND')).toBe(true);
    expect(isValidSymbolFor('KHAC', '123/TTr-STP')).toBe(false);
  });
});
