/** Starts the workers in this process: one client per engine node, every topic subscribed through the wrapper. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config/index.ts';
import type { Policy } from '../config/policy.ts';
import { ALL_WORKERS } from './all.ts';
import { createWorkerClients, InFlight, subscribeAll, type Logger, type WorkerDefinition } from './runtime/run-worker.ts';

export type RunningWorkers = {
  stop(): void;
  /**
   * Stops polling and waits, at most `timeoutMs`, for the poll already sent (the tasks it brings
   * are given back to the engine, not handled) and for the handlers already running to finish.
   * Answers how many handlers were still running when the time was up.
   */
  drain(timeoutMs: number): Promise<{ unfinished: number }>;
  workerId: string;
};

export function startWorkers(opts: {
  config: Config;
  policy: Policy;
  ds: DataSource;
  log: Logger;
  workers?: readonly WorkerDefinition[];
  workerId?: string;
  now?: () => Date;
}): RunningWorkers {
  const { config } = opts;
  const clients = createWorkerClients({
    baseUrls: config.engine.restUrls,
    user: config.engine.user,
    password: config.engine.password,
    maxTasks: config.worker.maxTasks,
    lockDurationMs: config.worker.lockDurationMs,
    asyncResponseTimeoutMs: config.worker.asyncResponseTimeoutMs,
    maxBackoffMs: config.worker.maxBackoffMs,
    log: opts.log,
    workerId: opts.workerId,
  });
  const inFlight = new InFlight();
  const deps = {
    ds: opts.ds,
    policy: opts.policy,
    log: opts.log,
    retries: config.worker.retries,
    retryTimeoutMs: config.worker.retryTimeoutMs,
    now: opts.now,
  };
  // The client has no way to cancel a long poll: one sent before the stop may still bring tasks, locked to us.
  const polls = clients.map((client) => {
    subscribeAll(client, opts.workers ?? ALL_WORKERS, deps, inFlight);
    const poll = { done: Promise.resolve() as Promise<void>, ended: () => {} };
    client.on('poll:start', () => {
      poll.done = new Promise((resolve) => (poll.ended = resolve));
    });
    client.on('poll:success', () => poll.ended());
    client.on('poll:error', () => poll.ended());
    client.start();
    return poll;
  });
  const stopAll = () => {
    for (const client of clients) client.stop();
  };
  return {
    stop: stopAll,
    drain: async (timeoutMs) => {
      stopAll();
      inFlight.close();
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(polls.map((p) => p.done)), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      // The client hands the tasks of a poll to their handlers right after announcing the poll's success.
      await new Promise((resolve) => setImmediate(resolve));
      await inFlight.idle(Math.max(0, deadline - Date.now()));
      return { unfinished: inFlight.size };
    },
    workerId: String((clients[0]!.options as { workerId?: string }).workerId),
  };
}
