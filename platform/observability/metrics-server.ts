/**
 * A listener of its own for GET /metrics, apart from the application's port: the workers have no
 * other HTTP server, and the server's figures need not pass the public door. It binds to
 * METRICS_HOST (127.0.0.1 unless set), so only what runs beside the process can scrape it there.
 */
import http from 'node:http';
import type { Logger } from '../log.ts';

export type MetricsSource = () => Promise<{ contentType: string; text: string }>;

/** Listens on `host:port` (port 0: any free one); rejects when the port cannot be had. */
export function serveMetrics(opts: { host: string; port: number; source: MetricsSource; log: Logger }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    opts.source().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text),
      (err: unknown) => {
        opts.log.warn('metrics scrape failed', { err });
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.removeListener('error', reject);
      const address = server.address();
      opts.log.info(`metrics on http://${opts.host}:${typeof address === 'object' && address ? address.port : opts.port}/metrics`);
      resolve(server);
    });
  });
}
