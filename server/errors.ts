/** API errors: one shape, `{ error: { code, message, rule?, field?, details? } }`, with the right status. */
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { RuleViolation } from '../domain/errors.ts';
import { EngineError } from '../platform/engine/client.ts';
import type { Logger } from '../platform/log.ts';
import { isDatabaseUnavailable } from '../store/db-errors.ts';
import { DossierClosedError } from '../store/audit.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { rule?: string; field?: string; details?: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `Không tìm thấy ${what}.`);
export const forbidden = (message = 'Bạn không có quyền thực hiện thao tác này.') => new ApiError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/** A 422 carrying the broken rules; the first one gives code and rule, all are in details. */
export function ruleError(violations: readonly RuleViolation[]): ApiError {
  const first = violations[0]!;
  return new ApiError(422, first.code, violations.map((v) => v.message).join(' '), {
    rule: first.rule,
    details: violations.map((v) => ({ code: v.code, rule: v.rule, message: v.message, messageEn: v.messageEn, severity: v.severity, details: v.details })),
  });
}

/** A rule's 422 shown next to the form field it is about (a text the form leaves optional and the rule asks for). */
export function ruleErrorOn(field: string, violations: readonly RuleViolation[]): ApiError {
  const err = ruleError(violations);
  // The page places each detail by its own field first (ui/src/errors.ts), so the details name it too.
  const details = Array.isArray(err.extra.details) ? err.extra.details.map((d: object) => ({ ...d, field })) : err.extra.details;
  return new ApiError(422, err.code, err.message, { ...err.extra, field, details });
}

/** The field an input issue is about; an unknown key is itself the field (zod reports it on its parent). */
function issueField(issue: ZodError['issues'][number]): string {
  const path = issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]!] : issue.path;
  return path.map(String).join('.');
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let body: Record<string, unknown>;
    if (err instanceof ApiError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...err.extra };
    } else if (err instanceof DossierClosedError) {
      status = 409;
      body = { code: 'DOSSIER_CLOSED', message: `Hồ sơ đã kết thúc (${err.status}); không thể chuyển bước.` };
    } else if (err instanceof ZodError) {
      status = 400;
      const issue = err.issues[0];
      const field = issue ? issueField(issue) : '';
      body = {
        code: 'INVALID_INPUT',
        message: `Dữ liệu không hợp lệ${field ? ` ở trường "${field}"` : ''}: ${issue?.message ?? ''}`.trim(),
        field,
        details: err.issues.slice(0, 20).map((i) => ({ field: issueField(i), message: i.message })),
      };
    } else if ((err as { type?: string }).type === 'entity.too.large') {
      status = 413;
      body = { code: 'PAYLOAD_TOO_LARGE', message: 'Dữ liệu gửi lên vượt quá giới hạn cho phép.' };
    } else if ((err as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      body = { code: 'MALFORMED_JSON', message: 'Nội dung JSON không đọc được.' };
    } else if (err instanceof EngineError && err.unreachable) {
      status = 503;
      body = { code: 'ENGINE_UNAVAILABLE', message: 'Hệ thống xử lý quy trình tạm thời không truy cập được; vui lòng thử lại.' };
    } else if (err instanceof EngineError && err.status === 404) {
      status = 404;
      body = { code: 'NOT_FOUND', message: 'Không tìm thấy đối tượng trong hệ thống xử lý quy trình.' };
    } else if (err instanceof EngineError) {
      // The engine refused what we sent: our fault, not the user's; logged below with its message.
      status = 502;
      body = { code: 'ENGINE_ERROR', message: 'Hệ thống xử lý quy trình từ chối yêu cầu; lỗi đã được ghi lại.' };
    } else if (isDatabaseUnavailable(err)) {
      status = 503;
      body = { code: 'DATABASE_UNAVAILABLE', message: 'Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại.' };
    } else if (typeof (err as { status?: number }).status === 'number' && (err as { status: number }).status >= 400 && (err as { status: number }).status < 500) {
      status = (err as { status: number }).status;
      body = { code: 'BAD_REQUEST', message: 'Yêu cầu không hợp lệ.' };
    } else {
      body = { code: 'INTERNAL', message: 'Đã có lỗi trong hệ thống; lỗi đã được ghi lại.' };
    }
    if (status >= 500) log.error(`${req.method} ${req.path}: ${err instanceof EngineError ? `engine ${err.status} ${err.type} on ${err.path}: ${err.message}` : ((err as Error)?.stack ?? String(err))}`);
    if (status === 503) res.setHeader('retry-after', '5');
    res.status(status).json({ error: body });
  };
}
