/**
 * The password policy for every password a person sets (administrator's creation and reset, one's
 * own change): length first, then no known-weak password and no run or repetition of one
 * character, and nothing built from the user's own name. Checked on the server only, so every
 * door applies the same rule.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Words that weak passwords are made of, here and in the published lists of leaked passwords:
 * "password2026!" is as weak as "password". Compared after removing digits, symbols and accents.
 */
const WEAK_WORDS = new Set([
  'password', 'passw', 'pass', 'passwd', 'matkhau', 'mk', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'qazwsx', 'admin',
  'administrator', 'root', 'user', 'guest', 'test', 'demo', 'welcome', 'letmein', 'iloveyou', 'anhyeuem', 'emyeuanh', 'yeuem', 'abc', 'abcd', 'abcdef',
  'abcdefgh', 'abcxyz', 'aaa', 'changeme', 'secret', 'login', 'master', 'dragon', 'monkey', 'football', 'baseball', 'sunshine', 'princess', 'superman',
  'trustno', 'vietnam', 'hanoi', 'saigon', 'longan', 'ubnd', 'ubndtinh', 'hosotrinh', 'hoso', 'vanphong', 'congvan', 'chuyenvien', 'giamdoc', 'vanthu',
]);

/** Passwords of the allowed length that lists of leaked passwords carry as they are. */
const WEAK_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123123123123', '111111111111', '000000000000', '123456123456', '098765432109', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'qwertyuiop12', 'qwerty123456', 'password1234', 'passw0rd1234', 'iloveyou1234', 'abc123456789', 'abcd12345678', 'matkhau12345',
  'matkhau123456', 'anhyeuem1234', 'anhyeuem123456', 'admin1234567', 'admin@123456', 'zaq12wsxcde3', 'qazwsxedcrfv', 'asdfghjkl123', 'a1b2c3d4e5f6',
]);

/** Lower case, without Vietnamese accents, đ as d. */
function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/giu, 'd').toLowerCase();
}

/** Share of neighbouring characters that repeat or step by one ("aaaa", "1234", "abcd", "4321"). */
function runShare(chars: readonly string[]): number {
  let steps = 0;
  for (let i = 1; i < chars.length; i++) {
    if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) steps++;
  }
  return chars.length > 1 ? steps / (chars.length - 1) : 1;
}

/**
 * Why a password is refused, in Vietnamese, or null when it may be used. `names` are the user's
 * own identifiers (user name, full name), which the password must not be built from.
 */
export function passwordProblem(password: string, names: readonly string[] = []): string | null {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (chars.length > MAX_PASSWORD_LENGTH) return `Mật khẩu dài quá ${MAX_PASSWORD_LENGTH} ký tự.`;
  const p = plain(password);
  const letters = p.replace(/[^\p{L}]/gu, '');
  if (WEAK_PASSWORDS.has(p) || WEAK_WORDS.has(letters) || letters === '') {
    return 'Mật khẩu này nằm trong danh sách mật khẩu yếu hay bị dò (hoặc chỉ gồm chữ số); hãy chọn một cụm từ khó đoán hơn.';
  }
  if (new Set(chars).size < 6 || runShare(chars) > 0.6) {
    return 'Mật khẩu quá đơn điệu (ký tự lặp lại hoặc dãy liên tiếp như "aaaa", "1234", "abcd"); hãy dùng nhiều ký tự khác nhau hơn.';
  }
  for (const name of names) {
    for (const part of plain(name).split(/[^\p{L}\p{N}]+/u)) {
      if (part.length >= 4 && p.includes(part)) return 'Mật khẩu không được chứa tên đăng nhập hay họ tên của người dùng.';
    }
  }
  return null;
}
