/**
 * HTTP calls on kept-alive connections with node:http, for the engine client and for the scripts'
 * API clients.
 *
 * Why not fetch: its machinery costs several times the CPU of node:http per call, and that CPU is
 * taken from whatever else runs on the machine.
 */
import http from 'node:http';
import https from 'node:https';

export type HttpAnswer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** A failure before any answer came: refused, reset, or (named TimeoutError, as fetch's) no answer in time. */
export class HttpCallError extends Error {
  constructor(message: string, timedOut: boolean) {
    super(message);
    this.name = timedOut ? 'TimeoutError' : 'HttpCallError';
  }
}

/**
 * An agent that keeps idle connections 4 s: below the far side's own keep-alive timeout (node's
 * 5 s, Tomcat's 20 s or more), so this side closes first and never writes a call into a
 * connection being closed.
 */
export function keepAliveAgent(url: URL): http.Agent {
  const transport = url.protocol === 'https:' ? https : http;
  return new transport.Agent({ keepAlive: true, timeout: 4000 });
}

/** One call; the answer whatever its status, or an HttpCallError when none came within `timeoutMs`. */
export function httpCall(
  url: URL,
  opts: { method: string; headers: Record<string, string>; body?: string; agent: http.Agent; timeoutMs: number },
): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const headers = { ...opts.headers };
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    // The callbacks below run only after this function returned, with `deadline` set.
    const fail = (err: Error) => {
      clearTimeout(deadline);
      reject(err instanceof HttpCallError ? err : new HttpCallError(err.message, false));
    };
    const req = transport.request(url, { method: opts.method, headers, agent: opts.agent, timeout: opts.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    // A whole-call deadline, as fetch's AbortSignal.timeout gives: not only an idle socket's.
    const expire = () => req.destroy(new HttpCallError(`no answer in ${opts.timeoutMs} ms`, true));
    const deadline = setTimeout(expire, opts.timeoutMs);
    req.on('timeout', expire);
    req.on('error', fail);
    req.end(opts.body);
  });
}
