/** scripts/lib/processes.ts: which local port a process is connected to, from its open connections (Linux /proc); the fault run's scale-out phase reads so which engine node a server calls. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectedTo } from '../../scripts/lib/processes.ts';
import { freePort } from '../../scripts/lib/ports.ts';

describe('processes: a process connected to a port', () => {
  it.runIf(process.platform === 'linux')('should see this process connected to a port only while its connection is open', async () => {
    // given a listener, and another port nobody listens on
    const server = net.createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const other = await freePort();
    expect(connectedTo(process.pid, port)).toBe(false);

    // when this process connects to it
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', r));

    // then it counts as connected to that port and not to the other, until the connection closes
    expect(connectedTo(process.pid, port)).toBe(true);
    expect(connectedTo(process.pid, other)).toBe(false);
    socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise((r) => setTimeout(r, 50));
    expect(connectedTo(process.pid, port)).toBe(false);
  });
});
