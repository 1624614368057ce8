/**
 * A full garbage collection in another node process, through its inspector (started with
 * --inspect=127.0.0.1:PORT), so its memory can be read settled. Without it, RSS after a batch of
 * requests is a point on V8's saw-tooth (it climbed 85 MB over 5,000 fuzz requests, then fell
 * back at the next mark-compact), not a measure of what the server keeps.
 *
 * The inspector speaks WebSocket; Node 20 has no client without a flag, and one request needs
 * only the handshake, one masked text frame out and text frames in (RFC 6455).
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/** Asks the process listening with its inspector on `port` to collect garbage; resolves when done. */
export async function collectGarbage(port: number, timeoutMs = 30_000): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(5000) })).json()) as { webSocketDebuggerUrl?: string }[];
  const wsUrl = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!wsUrl) throw new Error(`no inspector target on port ${port}`);
  const url = new URL(wsUrl);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  const socket = net.connect(Number(url.port), url.hostname);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector on port ${port} did not collect garbage within ${timeoutMs} ms`)), timeoutMs);
      let buffer = Buffer.alloc(0);
      let upgraded = false;
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('connect', () => {
        socket.write(
          `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (!upgraded) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buffer.subarray(0, end).toString('latin1');
          if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(accept)) {
            clearTimeout(timer);
            reject(new Error(`inspector refused the WebSocket upgrade: ${head.split('\r\n')[0]}`));
            return;
          }
          upgraded = true;
          buffer = buffer.subarray(end + 4);
          socket.write(maskedTextFrame(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
        }
        for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
          buffer = buffer.subarray(frame.length);
          const message = JSON.parse(frame.text) as { id?: number; error?: { message: string } };
          if (message.id !== 1) continue;
          clearTimeout(timer);
          if (message.error) reject(new Error(`collectGarbage failed: ${message.error.message}`));
          else resolve();
        }
      });
    });
  } finally {
    socket.destroy();
  }
}

/** A client's frames must be masked (RFC 6455 §5.3). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const size = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : payload.length < 65_536 ? Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]) : null;
  if (!size) throw new Error('frame too large');
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([Buffer.from([0x81]), size, mask, masked]);
}

/** One complete unmasked text frame at the start of `buf` (the inspector sends no fragments), or null. */
function readFrame(buf: Buffer): { text: string; length: number } | null {
  if (buf.length < 2) return null;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + len) return null;
  return { text: buf.subarray(offset, offset + len).toString('utf8'), length: offset + len };
}
