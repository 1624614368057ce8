/**
 * The signature block printed above a signer's name (Decree 30/2020/NĐ-CP, Appendix I, "quyền hạn,
 * chức vụ của người ký"): the signing form with the title signed for, then the signer's own
 * position, then the name. "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn A"; a collective body (a
 * People's Committee) is signed for as "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH". Pure, no I/O.
 */
import type { AgencyType, SignerRole, SigningForm } from './model.ts';

/** What a signature records of the capacity its signer signed in, at signing time. */
export type SigningCapacity = {
  signingForm: SigningForm;
  /** The signer's own title when signing (app_user.position then), e.g. "Phó Giám đốc". */
  signerPosition: string;
  /** KT., Q., TL., TUQ.: the title of the head signed for, e.g. "Giám đốc"; null otherwise. */
  signedForTitle: string | null;
  /** TM.: the collective body signed for, e.g. "Ủy ban nhân dân"; null for an agency run by its head alone. */
  collectiveName: string | null;
};

/** People's Committees decide as a collective; their chairman signs TM. (on behalf of) the committee. */
const COLLECTIVE_AGENCY_TYPES: readonly AgencyType[] = ['UBND_TINH', 'UBND_HUYEN', 'UBND_XA'];
export const PEOPLES_COMMITTEE = 'Ủy ban nhân dân';

const ACTING_PREFIX = /^\s*Q\.\s*/i;
const DEPUTY_PREFIX = /^\s*Phó\s+/i;

/** A title without the acting prefix: "Q. Giám đốc" → "Giám đốc". */
export function withoutActingPrefix(title: string): string {
  return title.replace(ACTING_PREFIX, '').trim();
}

/**
 * How the signer of a tờ trình signs, from the data the signing step has: the signer's role and
 * position, the head's position and the agency's type.
 * - HEAD signs in their own name (no form), or TM. of a People's Committee;
 * - ACTING_HEAD signs Q. (quyền) followed by the head's title: the account's role is what makes a
 *   head acting (the position usually reads "Q. Giám đốc" too, and the prefix is not repeated);
 * - DEPUTY signs KT. (ký thay) for the head's title, inside TM. for a People's Committee. The head's
 *   title is the head's position without "Q."; with no head on record, the deputy's position without "Phó".
 * TL. and TUQ. (by order, by authorisation) never come out of here: a tờ trình is signed by the head
 * or a delegated deputy only.
 */
export function signingCapacity(input: {
  signerRole: SignerRole;
  signerPosition: string;
  headPosition: string | null;
  agencyType: AgencyType;
}): SigningCapacity {
  const signerPosition = input.signerPosition.trim();
  const collectiveName = COLLECTIVE_AGENCY_TYPES.includes(input.agencyType) ? PEOPLES_COMMITTEE : null;
  const headTitle = withoutActingPrefix(input.headPosition?.trim() || signerPosition.replace(DEPUTY_PREFIX, ''));
  switch (input.signerRole) {
    case 'HEAD':
      return { signingForm: collectiveName ? 'TM' : 'NONE', signerPosition, signedForTitle: null, collectiveName };
    case 'ACTING_HEAD':
      return { signingForm: 'Q', signerPosition, signedForTitle: withoutActingPrefix(signerPosition) || headTitle, collectiveName };
    case 'DEPUTY':
      return { signingForm: 'KT', signerPosition, signedForTitle: headTitle, collectiveName };
  }
}

const upper = (s: string) => s.trim().toLocaleUpperCase('vi');

/**
 * The lines printed above and with the signature, joined by "\n": "TM. <COLLECTIVE>" when signed for
 * a collective; then "KT./TL./TUQ. <HEAD TITLE>" and the signer's position, or "Q. <HEAD TITLE>", or the
 * signer's position alone; then the name as written. Throws when a form that names the head has no title.
 */
export function signatureBlock(c: SigningCapacity & { signerName: string }): string {
  const lines: string[] = [];
  if (c.signingForm === 'TM' && !c.collectiveName?.trim()) throw new Error('signing form TM needs the collective signed for');
  if (c.collectiveName) lines.push(`TM. ${upper(c.collectiveName)}`);
  const forTitle = () => {
    const title = c.signedForTitle?.trim();
    if (!title) throw new Error(`signing form ${c.signingForm} needs the title signed for`);
    return upper(title);
  };
  switch (c.signingForm) {
    case 'NONE':
    case 'TM':
      lines.push(upper(c.signerPosition));
      break;
    case 'Q':
      lines.push(`Q. ${forTitle()}`);
      break;
    case 'KT':
    case 'TL':
    case 'TUQ':
      lines.push(`${c.signingForm}. ${forTitle()}`, upper(c.signerPosition));
      break;
  }
  lines.push(c.signerName.trim());
  return lines.join('\n');
}
