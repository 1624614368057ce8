import { describe, expect, it } from 'vitest';
import { PEOPLES_COMMITTEE, signatureBlock, signingCapacity, withoutActingPrefix } from '../../../domain/signature-block.ts';

describe('signing capacity of a tờ trình (R-05/R-06, Decree 30/2020 signing forms)', () => {
  it('the head of a department signs in their own name, no form', () => {
    expect(signingCapacity({ signerRole: 'HEAD', signerPosition: 'Giám đốc', headPosition: 'Giám đốc', agencyType: 'SO_NGANH' })).toEqual({
      signingForm: 'NONE',
      signerPosition: 'Giám đốc',
      signedForTitle: null,
      collectiveName: null,
    });
  });

  it('a deputy signs KT. for the head title, which is the head position without Q.', () => {
    expect(signingCapacity({ signerRole: 'DEPUTY', signerPosition: 'Phó Giám đốc', headPosition: 'Giám đốc', agencyType: 'SO_NGANH' })).toMatchObject({
      signingForm: 'KT',
      signerPosition: 'Phó Giám đốc',
      signedForTitle: 'Giám đốc',
    });
    expect(signingCapacity({ signerRole: 'DEPUTY', signerPosition: 'Phó Giám đốc', headPosition: 'Q. Giám đốc', agencyType: 'SO_NGANH' }).signedForTitle).toBe('Giám đốc');
  });

  it('with no head on record, the deputy signs KT. for their own title without "Phó"', () => {
    expect(signingCapacity({ signerRole: 'DEPUTY', signerPosition: 'Phó Chánh Văn phòng', headPosition: null, agencyType: 'VP_UBND' }).signedForTitle).toBe('Chánh Văn phòng');
  });

  it('an acting head signs Q. followed by the head title', () => {
    expect(signingCapacity({ signerRole: 'ACTING_HEAD', signerPosition: 'Q. Giám đốc', headPosition: 'Q. Giám đốc', agencyType: 'SO_NGANH' })).toEqual({
      signingForm: 'Q',
      signerPosition: 'Q. Giám đốc',
      signedForTitle: 'Giám đốc',
      collectiveName: null,
    });
  });

  it('the chairman of a People’s Committee signs TM. the committee; a vice-chairman KT. the chairman inside TM.', () => {
    expect(signingCapacity({ signerRole: 'HEAD', signerPosition: 'Chủ tịch', headPosition: 'Chủ tịch', agencyType: 'UBND_HUYEN' })).toEqual({
      signingForm: 'TM',
      signerPosition: 'Chủ tịch',
      signedForTitle: null,
      collectiveName: PEOPLES_COMMITTEE,
    });
    expect(signingCapacity({ signerRole: 'DEPUTY', signerPosition: 'Phó Chủ tịch', headPosition: 'Chủ tịch', agencyType: 'UBND_XA' })).toEqual({
      signingForm: 'KT',
      signerPosition: 'Phó Chủ tịch',
      signedForTitle: 'Chủ tịch',
      collectiveName: PEOPLES_COMMITTEE,
    });
  });

  it('withoutActingPrefix strips only a leading Q.', () => {
    expect(withoutActingPrefix(' q.  Giám đốc')).toBe('Giám đốc');
    expect(withoutActingPrefix('Giám đốc Q.')).toBe('Giám đốc Q.');
  });
});

describe('signature block printed above the signature', () => {
  const name = 'Nguyễn Văn A';

  it('KT.: the head title signed for, the signer position, the name', () => {
    expect(signatureBlock({ signingForm: 'KT', signerPosition: 'Phó Giám đốc', signedForTitle: 'Giám đốc', collectiveName: null, signerName: name })).toBe(
      'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn A',
    );
  });

  it('own name: the position and the name', () => {
    expect(signatureBlock({ signingForm: 'NONE', signerPosition: 'Giám đốc', signedForTitle: null, collectiveName: null, signerName: name })).toBe('GIÁM ĐỐC\nNguyễn Văn A');
  });

  it('TM.: the collective, then the signer position', () => {
    expect(signatureBlock({ signingForm: 'TM', signerPosition: 'Chủ tịch', signedForTitle: null, collectiveName: 'Ủy ban nhân dân', signerName: name })).toBe(
      'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A',
    );
  });

  it('TM. and KT.: a vice-chairman signs for the chairman on behalf of the committee', () => {
    expect(signatureBlock({ signingForm: 'KT', signerPosition: 'Phó Chủ tịch', signedForTitle: 'Chủ tịch', collectiveName: 'Ủy ban nhân dân', signerName: name })).toBe(
      'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A',
    );
  });

  it('Q.: the acting title alone, not repeated', () => {
    expect(signatureBlock({ signingForm: 'Q', signerPosition: 'Q. Giám đốc', signedForTitle: 'Giám đốc', collectiveName: null, signerName: name })).toBe('Q. GIÁM ĐỐC\nNguyễn Văn A');
  });

  it('TL. and TUQ. read like KT.', () => {
    expect(signatureBlock({ signingForm: 'TL', signerPosition: 'Chánh Văn phòng', signedForTitle: 'Giám đốc', collectiveName: null, signerName: name })).toBe(
      'TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nNguyễn Văn A',
    );
    expect(signatureBlock({ signingForm: 'TUQ', signerPosition: 'Trưởng phòng Pháp chế', signedForTitle: 'Giám đốc', collectiveName: null, signerName: name })).toBe(
      'TUQ. GIÁM ĐỐC\nTRƯỞNG PHÒNG PHÁP CHẾ\nNguyễn Văn A',
    );
  });

  it('a form that names the head or the collective without it is refused, not printed half', () => {
    expect(() => signatureBlock({ signingForm: 'KT', signerPosition: 'Phó Giám đốc', signedForTitle: null, collectiveName: null, signerName: name })).toThrow(/title signed for/);
    expect(() => signatureBlock({ signingForm: 'Q', signerPosition: 'Q. Giám đốc', signedForTitle: ' ', collectiveName: null, signerName: name })).toThrow(/title signed for/);
    expect(() => signatureBlock({ signingForm: 'TM', signerPosition: 'Chủ tịch', signedForTitle: null, collectiveName: null, signerName: name })).toThrow(/collective/);
  });
});
