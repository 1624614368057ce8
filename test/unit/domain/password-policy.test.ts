import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../../domain/password-policy.ts';

describe('password policy (issue 15, finding 8)', () => {
  it('should refuse a password shorter than 12 characters before anything else', () => {
    // given passwords one character short, weak or not
    for (const p of ['aaaaaaaaa1', 'Xk9#mQ2$vL7', 'Demo@2026']) {
      // then the length is what the message names
      expect(passwordProblem(p), p).toMatch(/ít nhất 12 ký tự/);
    }
    expect(MIN_PASSWORD_LENGTH).toBe(12);
  });

  it('should refuse known-weak passwords and the words they are made of, whatever digits and symbols are added', () => {
    for (const p of ['123456789012', 'password1234', 'Password2026!', 'MatKhau@2026', 'Mật khẩu 2026!', 'qwertyuiop12', 'anhyeuem1234', '!!!!2026@@@@', 'Admin@123456789']) {
      expect(passwordProblem(p), p).toMatch(/mật khẩu yếu/);
    }
  });

  it('should refuse passwords with too little variety, as aaaaaaaaaaa1, runs like abcdefghijkl and repeated pairs', () => {
    for (const p of ['aaaaaaaaaaa1', 'aaaaaaaaaaaaaaaaaaa1', 'abcdefghijkl', 'zyxwvutsrqpo', 'abababababab', 'xxyyxxyyxxyy1', 'hgfedcba9876']) {
      expect(passwordProblem(p), p).toMatch(/đơn điệu/);
    }
  });

  it("should refuse a password built from the user's own name or user name", () => {
    expect(passwordProblem('Chuyenvien#2026x', ['sct.chuyenvien', 'Nguyễn Văn Thành'])).toMatch(/tên/);
    expect(passwordProblem('ThanhNguyen!2026', ['sct.chuyenvien', 'Nguyễn Văn Thành'])).toMatch(/tên/);
  });

  it('should accept long passwords with variety, and passphrases', () => {
    for (const p of ['VanHoa2026!x', 'MatKhauMoi2026', 'Matran@2026x', 'sông Vàm Cỏ Đông mùa nước nổi', 'k7#Pq!v2Lm9$zR']) {
      expect(passwordProblem(p, ['svhttdl.chuyenvien', 'Chuyên viên Sở Văn hóa']), p).toBeNull();
    }
  });
});
