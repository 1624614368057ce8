/** Vietnamese messages for the input checks that carry none of their own (the API speaks Vietnamese). */
import { z, ZodIssueCode, type ZodErrorMap } from 'zod';

const unit = (type: string) => (type === 'array' || type === 'set' ? 'mục' : 'ký tự');

export const vietnameseErrorMap: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case ZodIssueCode.invalid_type:
      return { message: issue.received === 'undefined' || issue.received === 'null' ? 'trường bắt buộc' : `kiểu dữ liệu không hợp lệ (cần ${issue.expected})` };
    case ZodIssueCode.too_small:
      if (issue.type === 'string' || issue.type === 'array' || issue.type === 'set') {
        return { message: issue.minimum === 1 && issue.type === 'string' ? 'trường bắt buộc' : `cần ít nhất ${String(issue.minimum)} ${unit(issue.type)}` };
      }
      return { message: `phải ${issue.inclusive ? 'từ' : 'lớn hơn'} ${String(issue.minimum)} trở lên` };
    case ZodIssueCode.too_big:
      if (issue.type === 'string' || issue.type === 'array' || issue.type === 'set') return { message: `tối đa ${String(issue.maximum)} ${unit(issue.type)}` };
      return { message: `không được vượt quá ${String(issue.maximum)}` };
    case ZodIssueCode.invalid_enum_value:
      return { message: `giá trị không hợp lệ; chọn một trong: ${issue.options.join(', ')}` };
    case ZodIssueCode.invalid_string:
      if (issue.validation === 'datetime') return { message: 'ngày giờ không hợp lệ' };
      if (issue.validation === 'uuid') return { message: 'mã không hợp lệ' };
      if (issue.validation === 'email') return { message: 'địa chỉ thư điện tử không hợp lệ' };
      return { message: 'không đúng định dạng' };
    case ZodIssueCode.invalid_date:
      return { message: 'ngày không hợp lệ' };
    case ZodIssueCode.unrecognized_keys:
      return { message: `trường không được phép: ${issue.keys.join(', ')}` };
    default:
      return { message: ctx.defaultError };
  }
};

/** Installs the Vietnamese messages for every schema of the process. */
export function useVietnameseErrors(): void {
  z.setErrorMap(vietnameseErrorMap);
}
