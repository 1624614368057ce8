import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIDENTIAL_FORM_TEXT, HANDLING_FORM_TEXT, confidentialFormTextFields } from '../../../../domain/rules/r19-confidential-paper.ts';
import { isMetadataSummary } from '../../../../domain/rules/r11-opinion-summary.ts';
import { checkOpinionInput } from '../../../../domain/rules/r14-opinion-consistency.ts';
import { checkAppraisalResult } from '../../../../domain/rules/r21-appraisal-explicit.ts';
import { checkChoice, checkChosenOption } from '../../../../domain/rules/r12-chosen-option.ts';
import { DEFAULT_RULES_CONFIG, checkConfidentialPaper, checkForwardGates, confidentialContentFields, rulesConfig, validatePreSign } from '../../../../domain/rules/index.ts';
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

describe('R-19 a secret dossier’s steps record metadata only', () => {
  const formsDir = path.join(import.meta.dirname, '../../../../processes/forms');
  /** Every free-text field (textfield, textarea) of every task form, as formKey.key. */
  function textFields(): string[] {
    const out: string[] = [];
    for (const file of fs.readdirSync(formsDir).filter((f) => f.endsWith('.form'))) {
      const walk = (cs: { type?: string; key?: string; components?: unknown[] }[] = []): void => {
        for (const c of cs) {
          if ((c.type === 'textarea' || c.type === 'textfield') && c.key) out.push(`${file.replace(/\.form$/, '')}.${c.key}`);
          walk(c.components as typeof cs);
        }
      };
      walk((JSON.parse(fs.readFileSync(path.join(formsDir, file), 'utf8')) as { components: [] }).components);
    }
    return out.sort();
  }

  it('R-19 should hold every free-text field of the task forms either as content of the matter or as handling, so a new field must be placed', () => {
    const listed = [CONFIDENTIAL_FORM_TEXT, HANDLING_FORM_TEXT].flatMap((m) => Object.entries(m).flatMap(([form, keys]) => keys.map((k) => `${form}.${k}`)));
    expect(listed.sort()).toEqual(textFields());
  });

  it('R-19 should name the opinion text, its reasons, the rationale, the appraisal’s reasons and the notes on the matter of a secret dossier, and leave the handling alone', () => {
    expect(confidentialFormTextFields('MAT', 'give-opinion', { position: 'DISAGREE', content: 'Không đồng ý vị trí kho', changeReason: 'Khảo sát mới' })).toEqual(['content', 'changeReason']);
    expect(confidentialFormTextFields('TOI_MAT', 'appraise', { conclusion: 'ELIGIBLE', lawful: true, reasons: 'Phù hợp luật' })).toEqual(['reasons']);
    expect(confidentialFormTextFields('MAT', 'choose-option', { chosenOptionId: 'PA1', rationale: 'Chi phí thấp' })).toEqual(['rationale']);
    expect(confidentialFormTextFields('MAT', 'office-check', { outcome: 'RETURN', returnReason: 'FORMAT', note: ' ' })).toEqual([]);
    expect(confidentialFormTextFields('MAT', 'sign', { stamped: true, urgentReason: 'Giám đốc đi công tác nước ngoài' })).toEqual([]);
    expect(confidentialFormTextFields('NONE', 'give-opinion', { content: 'Thống nhất' })).toEqual([]);
  });

  it('R-19 should take as metadata only the summary lines the consolidation writes from positions', () => {
    expect(isMetadataSummary('Không thống nhất')).toBe(true);
    expect(isMetadataSummary('  thống nhất (gửi sau thời hạn) ')).toBe(true);
    expect(isMetadataSummary('Chưa có ý kiến')).toBe(true);
    expect(isMetadataSummary('Không thống nhất: kho quá gần khu dân cư')).toBe(false);
    expect(confidentialContentFields('MAT', { opinionSummary: [{ summary: 'Thống nhất' }, { summary: 'Không thống nhất: kho quá gần khu dân cư' }] })).toEqual(['opinionSummary.1.summary']);
  });

  it('R-19 should not ask a secret dossier for the texts it must not hold: opinion content (R-14), appraisal reasons (R-21), choice rationale (R-12)', () => {
    expect(checkOpinionInput({ position: 'AGREE' }, [], { secret: true })).toEqual([]);
    expect(checkOpinionInput({ position: 'AGREE' }).map((v) => v.code)).toEqual(['ERR_OPINION_INCOMPLETE']);
    expect(checkAppraisalResult({ conclusion: 'ELIGIBLE', lawful: true }, DEFAULT_RULES_CONFIG, { secret: true })).toEqual([]);
    expect(checkAppraisalResult({ conclusion: 'ELIGIBLE', lawful: true }, DEFAULT_RULES_CONFIG).map((v) => v.code)).toEqual(['ERR_APPRAISAL_INCOMPLETE']);
    const options = [{ id: 'PA1', title: 'A' }, { id: 'PA2', title: 'B' }];
    expect(checkChoice({ options, chosenOptionId: 'PA1', choiceRationale: undefined }, { secret: true })).toBeNull();
    expect(checkChoice({ options, chosenOptionId: 'PA1', choiceRationale: undefined })?.code).toBe('ERR_NO_CHOSEN_OPTION');
    expect(checkChosenOption({ opinions: [], options, chosenOptionId: 'PA1', choiceRationale: undefined }, { secret: true })).toBeNull();
    expect(checkChosenOption({ opinions: [], options, chosenOptionId: 'PA1', choiceRationale: undefined })?.code).toBe('ERR_NO_CHOSEN_OPTION');
    // the pre-sign check reads the dossier's own secrecy level
    const unargued = (secrecyLevel: DossierFacts['secrecyLevel']) =>
      validatePreSign({ ...validDossier({ secrecyLevel }), options, chosenOptionId: 'PA1', choiceRationale: undefined }, DEFAULT_RULES_CONFIG).map((v) => v.code);
    expect(unargued('MAT')).not.toContain('ERR_NO_CHOSEN_OPTION');
    expect(unargued('NONE')).toContain('ERR_NO_CHOSEN_OPTION');
  });
});
