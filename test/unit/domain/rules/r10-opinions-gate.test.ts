import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES_CONFIG,
  checkForwardGates,
  checkOpinionRequestRecipients,
  checkOpinionsGate,
  isUbndRecipient,
  rulesConfig,
  validateIntake,
} from '../../../../domain/rules/index.ts';
import { opinionRequest, opinionRequestDoc, validDossier } from '../fixtures.ts';

const config = DEFAULT_RULES_CONFIG;

describe('R-10 opinions gate', () => {
  it('R-10 should block forwarding while requests are pending or overdue, listing the agencies', () => {
    // given STC has not answered and SKHDT is overdue
    const d = validDossier({
      opinionRequests: [opinionRequest('STC', { status: 'PENDING' }), opinionRequest('SKHDT', { status: 'OVERDUE' })],
      opinions: [],
    });
    // when
    const v = checkOpinionsGate(d, config);
    // then
    expect(v?.code).toBe('ERR_OPINIONS_PENDING');
    expect(v?.details?.agencies).toEqual(['SKHDT', 'STC']);
    expect(v?.message).toBe('Không trình UBND tỉnh khi còn nội dung chưa có ý kiến hoặc đang lấy ý kiến: SKHDT, STC.');
    expect(checkForwardGates(d, config).map((x) => x.code)).toContain('ERR_OPINIONS_PENDING');
  });

  it('R-10 should let received, late, waived and cancelled requests through', () => {
    const d = validDossier({
      consultedAgencyCodes: ['SKHDT', 'STC', 'SNV', 'STP'],
      opinionRequests: [
        opinionRequest('SKHDT', { status: 'RECEIVED' }),
        opinionRequest('STC', { status: 'RECEIVED_LATE' }),
        opinionRequest('SNV', { status: 'WAIVED' }),
        opinionRequest('STP', { status: 'CANCELLED' }),
      ],
    });
    expect(checkOpinionsGate(d, config)).toBeNull();
  });

  it('R-10 should block a consulted agency that was never asked', () => {
    const d = validDossier({ consultedAgencyCodes: ['SKHDT', 'STC', 'SNV'] });
    expect(checkOpinionsGate(d, config)?.details?.agencies).toEqual(['SNV']);
  });

  it('R-10 should let an overdue request through when silence is configured to mean consent', () => {
    const d = validDossier({ opinionRequests: [opinionRequest('STC', { status: 'OVERDUE' }), opinionRequest('SKHDT')] });
    expect(checkOpinionsGate(d, rulesConfig({ silenceMeansConsent: true }))).toBeNull();
    expect(checkOpinionsGate(d, config)?.details?.agencies).toEqual(['STC']);
  });

  it('R-10 should reject an opinion request that copies UBND tỉnh in nơi nhận', () => {
    // given "UBND tỉnh (b/c)" in the recipient list of the request for opinions
    const d = validDossier();
    d.documents[2] = opinionRequestDoc({ noiNhan: ['Như trên', 'UBND tỉnh (b/c)', 'Lưu: VT, KT'] });
    // when
    const violations = validateIntake(d, config);
    // then
    expect(violations.map((v) => v.code)).toEqual(['ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING']);
    expect(violations[0]?.details?.recipients).toEqual(['UBND tỉnh (b/c)']);
    expect(violations[0]?.message).toBe('Không gửi UBND tỉnh (kể cả ở nơi nhận) văn bản đang lấy ý kiến.');
  });

  it('R-10 should reject UBND tỉnh in kính gửi too', () => {
    const docs = [opinionRequestDoc({ kinhGui: ['STC', 'UBNDTINH'] })];
    expect(checkOpinionRequestRecipients(docs, config).map((v) => v.code)).toEqual(['ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING']);
  });

  it('R-10 should recognise UBND tỉnh, its Chairman and its Office however they are written', () => {
    for (const r of ['Ủy ban nhân dân tỉnh Long An', 'Uỷ ban nhân dân tỉnh', 'Chủ tịch UBND tỉnh', 'Văn phòng UBND tỉnh', 'VPUBND', 'ubnd_tinh']) {
      expect(isUbndRecipient(r, config), r).toBe(true);
    }
  });

  it('R-10 should not mistake a district People’s Committee or the Party Committee for UBND tỉnh', () => {
    for (const r of ['UBND huyện Đức Hòa', 'Tỉnh ủy', 'Sở Tài chính', 'Như trên', 'Lưu: VT']) {
      expect(isUbndRecipient(r, config), r).toBe(false);
    }
  });

  it('R-10 should leave the submission document addressed to UBND tỉnh alone', () => {
    // the tờ trình itself is addressed to UBND tỉnh by nature
    expect(checkOpinionRequestRecipients(validDossier().documents, config)).toEqual([]);
  });
});
