/**
 * Several engine nodes on one engine database (Operaton's clustering): which node to call, when a
 * failed call may go to another node, and how long a node that failed is left alone. Shared by the
 * server's engine client and the workers' external-task clients.
 */

/** How a call failed, as far as choosing a node goes. */
export type NodeFailure =
  /** The node surely did nothing: no connection, or it said it is unavailable. Any call may go elsewhere. */
  | 'refused'
  /** The call may have reached the node before it went away: only a call that changes nothing may be repeated. */
  | 'lost';

const REFUSED_CODES = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNABORTED/;

/**
 * Classifies a failure: `status` 0 with the transport's message, or an HTTP status with its body.
 * An engine's own error answer (JSON with a type, even a 500) is the engine speaking, not a node
 * down, and stays with the caller; so do 4xx.
 */
export function classifyNodeFailure(status: number, text: string): NodeFailure | null {
  if (status === 0) {
    // Reset, hang-up, timeout: the call may have been carried out before the node went away.
    return REFUSED_CODES.test(text) ? 'refused' : 'lost';
  }
  if (status === 503) return 'refused';
  if (status === 502 || status === 504) return 'lost';
  if (status >= 500) {
    // The engine answers its own failures as JSON {type, message}; anything else came from what stands in front of it.
    try {
      const parsed = JSON.parse(text) as { type?: unknown };
      if (parsed && typeof parsed === 'object' && typeof parsed.type === 'string') return null;
    } catch {
      // not JSON: a proxy's or a dying node's answer
    }
    return 'lost';
  }
  return null;
}

/** A call that may be repeated on another node after a 'lost' failure: it changes nothing, or the engine makes it harmless. */
export function repeatable(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE';
}

export type EngineNodesOptions = {
  /** First node tried; spreading processes over the nodes (e.g. by pid). */
  start?: number;
  /** Longest pause before a failed node is tried again. */
  maxBackoffMs?: number;
  now?: () => number;
};

/**
 * The engine nodes one process calls. Calls stay on the current node until it fails; then the
 * next node that has not failed recently takes over. A failed node is tried again after a pause
 * that doubles with each failure in a row (250 ms up to `maxBackoffMs`).
 */
export class EngineNodes {
  readonly urls: readonly string[];
  /** This process's own node (by `start`): where its calls return once it answers again after a failover. */
  readonly home: number;
  private current: number;
  private readonly failures: number[];
  private readonly retryAt: number[];
  private readonly maxBackoffMs: number;
  private readonly now: () => number;

  constructor(urls: readonly string[], opts: EngineNodesOptions = {}) {
    if (urls.length === 0) throw new Error('at least one engine URL is needed');
    this.urls = urls.map((u) => u.replace(/\/+$/, ''));
    this.current = Math.abs(opts.start ?? 0) % urls.length;
    this.home = this.current;
    this.failures = urls.map(() => 0);
    this.retryAt = urls.map(() => 0);
    this.maxBackoffMs = opts.maxBackoffMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /** The node calls go to now. */
  get active(): string {
    return this.urls[this.current]!;
  }

  /**
   * The nodes to try for one call, in order: the current one, then the others, those resting after
   * a failure last (a call is never refused for want of a node: a resting node is still tried).
   */
  order(): number[] {
    const n = this.urls.length;
    const all = Array.from({ length: n }, (_, k) => (this.current + k) % n);
    const t = this.now();
    return [...all.filter((i) => this.retryAt[i]! <= t), ...all.filter((i) => this.retryAt[i]! > t)];
  }

  /** The node answered: it is healthy again, and becomes the current one if the current one is resting. */
  succeeded(i: number): void {
    this.failures[i] = 0;
    this.retryAt[i] = 0;
    if (this.retryAt[this.current]! > this.now()) this.current = i;
  }

  /** The node failed: it rests, and calls move to the next node. */
  failed(i: number): void {
    this.failures[i] = (this.failures[i] ?? 0) + 1;
    this.retryAt[i] = this.now() + this.backoff(this.failures[i]!);
    if (i === this.current && this.urls.length > 1) this.current = (i + 1) % this.urls.length;
  }

  /** Whether calls went to another node after this process's own node failed. */
  get awayFromHome(): boolean {
    return this.current !== this.home;
  }

  /**
   * The own node answered again: calls go back to it. Without this every process that failed over
   * would stay on the surviving node for good, and a node that came back would carry no load. Its
   * failures stay counted until a call there succeeds: a node that answers a probe but fails the
   * calls rests longer each time it is left again, and is not gone back to every second.
   */
  backHome(): void {
    this.retryAt[this.home] = 0;
    this.current = this.home;
  }

  /** The pause before trying again a node that failed `failures` times in a row. */
  backoff(failures: number): number {
    return Math.min(this.maxBackoffMs, 250 * 2 ** Math.max(0, failures - 1));
  }

  /** Time until node `i` may be tried again after a failure (0 when it may be now). */
  restFor(i: number): number {
    return Math.max(0, (this.retryAt[i] ?? 0) - this.now());
  }

  /** Whether node `i` rests after a failure. */
  resting(i: number): boolean {
    return (this.retryAt[i] ?? 0) > this.now();
  }

  /** Whether every node is resting after a failure. */
  allResting(): boolean {
    const t = this.now();
    return this.retryAt.every((r) => r > t);
  }

  /** Time until the first resting node may be tried again (0 when one is available). */
  untilNextTry(): number {
    const t = this.now();
    return Math.max(0, Math.min(...this.retryAt) - t);
  }
}

/** ENGINE_URLS=a,b (or ENGINE_URL=a): the list, without trailing slashes or empty entries. */
export function parseEngineUrls(raw: string): string[] {
  return raw
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter((u) => u !== '');
}

/**
 * Runs `call` on the nodes in turn until one answers: a node failure (by `classify`) rests that
 * node and moves on, with back-off while every node rests, for at most `budgetMs`; any other error
 * is the call's own and is thrown at once. `first` is tried before the others when it is not resting.
 */
export async function withFailover<T>(
  nodes: EngineNodes,
  call: (url: string) => Promise<T>,
  classify: (err: unknown) => NodeFailure | null,
  opts: { budgetMs: number; repeatLost: boolean; first?: number },
): Promise<T> {
  const deadline = Date.now() + opts.budgetMs;
  for (let round = 0; ; round++) {
    let order = nodes.order();
    if (opts.first !== undefined && order[0] !== opts.first && !nodes.resting(opts.first)) order = [opts.first, ...order.filter((i) => i !== opts.first)];
    let last: unknown;
    for (const i of order) {
      try {
        const value = await call(nodes.urls[i]!);
        nodes.succeeded(i);
        return value;
      } catch (err) {
        const failure = classify(err);
        if (!failure) {
          nodes.succeeded(i);
          throw err;
        }
        nodes.failed(i);
        if ((failure === 'lost' && !opts.repeatLost) || Date.now() >= deadline) throw err;
        last = err;
      }
    }
    const pause = Math.min(nodes.untilNextTry() || nodes.backoff(round + 1), deadline - Date.now());
    if (pause <= 0) throw last;
    await new Promise((r) => setTimeout(r, pause));
  }
}
