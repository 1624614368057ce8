/**
 * What every request to the API passes before a route sees it: security headers (helmet), no caching
 * of answers, and characters PostgreSQL and our checks cannot take refused with a 400.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { ApiError } from './errors.ts';

/**
 * The headers of every answer: the same content security policy as before helmet, frames refused,
 * no referrer; HSTS only when the session cookie is Secure (HTTPS in front), since a browser
 * told to use HTTPS for a plain-HTTP deployment could no longer reach it.
 */
export function securityHeaders(opts: { hsts: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    strictTransportSecurity: opts.hsts ? { maxAge: 365 * 86_400, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
}

/** API answers and downloads carry personal and official data: no browser or proxy keeps a copy. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('cache-control', 'no-store');
  next();
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

// Half of a UTF-16 pair alone: no character at all, and not valid UTF-8 for PostgreSQL.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function badCharacters(where: string): ApiError {
  return new ApiError(400, 'INVALID_CHARACTERS', `Yêu cầu chứa ký tự không hợp lệ (ký tự điều khiển hoặc mã hóa sai) ở ${where}.`, { field: where });
}

/** The first query value (at any depth) holding a control character or broken encoding, as "q" or "a.b". */
function badQueryKey(value: unknown, key: string, depth = 0): string | null {
  if (typeof value === 'string') return CONTROL.test(value) || LONE_SURROGATE.test(value) ? key || 'query' : null;
  if (value && typeof value === 'object' && depth < 5) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (CONTROL.test(k)) return key ? `${key}.${k}` : k;
      const bad = badQueryKey(v, key ? `${key}.${k}` : k, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

/** A NUL anywhere in a parsed body (PostgreSQL's text cannot hold one): the path of the first, or null. */
export function nulInBody(value: unknown, key = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? key || 'body' : null;
  if (value && typeof value === 'object' && depth < 20) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const path = key ? `${key}.${k}` : k;
      if (k.includes('\u0000')) return path;
      const bad = nulInBody(v, path, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * Refuses a path, query or JSON body with a NUL or another control character (the body: NUL only,
 * since texts may hold line breaks), or a path whose percent-encoding is not UTF-8, before any
 * route or database sees it.
 */
export function refuseInvalidCharacters(req: Request, _res: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(badCharacters('đường dẫn'));
  }
  if (CONTROL.test(path) || LONE_SURROGATE.test(path)) return next(badCharacters('đường dẫn'));
  const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  if (rawQuery) {
    try {
      decodeURIComponent(rawQuery.replace(/\+/g, ' '));
    } catch {
      return next(badCharacters('tham số truy vấn'));
    }
    const bad = badQueryKey(req.query, '');
    if (bad) return next(badCharacters(bad));
  }
  const inBody = req.body && typeof req.body === 'object' ? nulInBody(req.body) : null;
  if (inBody) return next(badCharacters(inBody));
  next();
}
