import { describe, expect, it } from 'vitest';
import { DEFAULT_VAGUE_PHRASES, findVaguePhrases, normaliseText, wordsOutside } from '../../../../domain/rules/index.ts';

describe('vague text (R-03, R-21)', () => {
  it('should match a phrase whatever the Unicode normal form and case', () => {
    // given decomposed (NFD) capitals, as some editors paste them
    const text = 'ĐỀ NGHỊ NGHIÊN CỨU THÊM'.normalize('NFD');
    // then
    expect(findVaguePhrases(text, DEFAULT_VAGUE_PHRASES)).toEqual(['nghiên cứu thêm']);
  });

  it('should match across line breaks and repeated spaces', () => {
    expect(findVaguePhrases('xin\n  chủ   trương', DEFAULT_VAGUE_PHRASES)).toEqual(['xin chủ trương']);
  });

  it('should match whole words only', () => {
    // "cân nhắcx" is not "cân nhắc"; "xem xét thêm" is not inside "xem xét thêmm"
    expect(findVaguePhrases('cân nhắcx', DEFAULT_VAGUE_PHRASES)).toEqual([]);
    expect(findVaguePhrases('xem xét thêmm', DEFAULT_VAGUE_PHRASES)).toEqual([]);
  });

  it('should use the configured phrase list', () => {
    expect(findVaguePhrases('Đề nghị tiếp tục rà soát', ['tiếp tục rà soát'])).toEqual(['tiếp tục rà soát']);
    expect(findVaguePhrases('Đề nghị tiếp tục rà soát', DEFAULT_VAGUE_PHRASES)).toEqual([]);
  });

  it('should read old and new tone placement alike', () => {
    expect(normaliseText('Uỷ ban  Hoà')).toBe(normaliseText('Ủy ban Hòa'));
  });

  it('should leave the words outside the phrases', () => {
    expect(wordsOutside('Xin chủ trương đầu tư dự án', DEFAULT_VAGUE_PHRASES)).toEqual(['đầu', 'tư', 'dự', 'án']);
  });
});
