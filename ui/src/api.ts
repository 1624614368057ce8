/** The server's API, as the browser uses it: same origin, session cookie, CSRF header on changes. */

/**
 * The answers' types come from the server's own schemas (server/openapi/responses.ts), the ones
 * the OpenAPI document is generated from and real answers are tested against: types only, so no
 * zod reaches the bundle.
 */
export type {
  Agency,
  AgencyReport,
  Delegation,
  Dossier,
  DossierDetail,
  DossierPage,
  SessionAnswer,
  TaskDetail,
  TaskFormAnswer,
  TaskItem as TaskListItem,
  TaskPage,
  User as UserRecord,
  DefinitionList,
  IncidentList,
  DefinitionStatistics,
  DossierSteps,
  DossierCreated,
  DeploymentProposal,
} from '../../server/openapi/responses.ts';
export type ErrorDetail = { field?: string; message: string; messageEn?: string; code?: string; rule?: string; severity?: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly rule?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
export const setCsrf = (t: string) => {
  csrfToken = t;
};

export const unauthenticated = new EventTarget();

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; field?: string; rule?: string; details?: ErrorDetail[] } } | null)?.error ?? {};
    if (res.status === 401 && !path.endsWith('/auth/login')) unauthenticated.dispatchEvent(new Event('401'));
    throw new ApiError(res.status, e.code ?? 'HTTP_' + res.status, e.message ?? res.statusText, e.field, e.rule, Array.isArray(e.details) ? e.details : []);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
