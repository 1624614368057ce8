/** A small client of our API, as a person's browser would use it: a session cookie plus the CSRF header. */
import type http from 'node:http';
import { httpCall, keepAliveAgent } from '../../platform/keep-alive-http.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string; rule?: string; field?: string } } | null,
  ) {
    super(`${status} ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim());
  }
  get code(): string | undefined {
    return this.body?.error?.code;
  }
}

export class ApiClient {
  private cookie = '';
  csrfToken = '';
  user: { id: string; agencyCode: string; role: string; groups: string[] } | null = null;

  private agent: http.Agent | undefined;

  constructor(readonly baseUrl: string) {}

  /** The session cookie (name=value) this client signed in with, for another HTTP client of the same person. */
  get sessionCookie(): string {
    return this.cookie;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, opts: { csrf?: boolean; raw?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    if (opts.raw) {
      const res = await fetch(this.baseUrl + path, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
      this.keepCookie(res.headers.get('set-cookie'));
      return res as unknown as T;
    }
    // Kept-alive node:http, not fetch (server/keep-alive-http.ts): the bench's drivers share the
    // machine with the system they measure, and the raw driver's engine client is the same.
    const url = new URL(this.baseUrl + path);
    this.agent ??= keepAliveAgent(url);
    const res = await httpCall(url, { method, headers, body: payload, agent: this.agent, timeoutMs: 60_000 });
    this.keepCookie(res.headers['set-cookie']?.[0] ?? null);
    const text = res.text;
    const parsed = text && (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
    if (res.status < 200 || res.status > 299) throw new ApiError(res.status, typeof parsed === 'object' ? parsed : null);
    return parsed as T;
  }

  private keepCookie(setCookie: string | null): void {
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
  }

  /** Closes this client's kept-alive connections. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** Sends a multipart form (file uploads), as a browser does. */
  async upload<T = unknown>(path: string, form: FormData): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrfToken },
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const parsed = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    if (!res.ok) throw new ApiError(res.status, typeof parsed === 'object' ? parsed : null);
    return parsed as T;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  async login(username: string, password: string): Promise<this> {
    const r = await this.post<{ csrfToken: string; user: ApiClient['user'] }>('/api/auth/login', { username, password });
    this.csrfToken = r.csrfToken;
    this.user = r.user;
    return this;
  }

  /** Claims and completes a task in one go, as a person would after filling its form. */
  async claimAndComplete(taskId: string, form: unknown): Promise<void> {
    await this.post(`/api/tasks/${taskId}/claim`);
    await this.post(`/api/tasks/${taskId}/complete`, form);
  }
}
