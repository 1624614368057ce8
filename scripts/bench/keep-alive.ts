/**
 * The load generator's HTTP client for the API-at-volume figures: plain node:http GETs on kept-alive
 * connections, with a signed-in person's session cookie.
 *
 * Why not fetch (ApiClient): the load generator shares the machine's two cores with the system it
 * measures, and fetch cost it 1.3–2 ms of CPU per request against 0.5–0.7 ms here (npm run bench);
 * that CPU was taken from our server and PostgreSQL and showed up as their latency.
 */
import http from 'node:http';
import type { ApiClient } from '../lib/api-client.ts';

export class KeepAliveGetter {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(
    baseUrl: string,
    readonly person: ApiClient,
  ) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** The parsed JSON body of a 200 answer; anything else rejects with the status and body. */
  get<T = unknown>(path: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        { host: this.url.hostname, port: this.url.port, path, agent: this.agent, headers: { cookie: this.person.sessionCookie, accept: 'application/json' }, timeout: 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else {
              try {
                resolve(JSON.parse(text) as T);
              } catch (err) {
                reject(err as Error);
              }
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 60 s`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
