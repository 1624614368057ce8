/** Starts the workers in this process: one client, every topic subscribed through the wrapper. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config/index.ts';
import type { Policy } from '../config/policy.ts';
import { ALL_WORKERS } from './all.ts';
import { createWorkerClient, InFlight, subscribeAll, type Logger, type WorkerDefinition } from './runtime/run-worker.ts';

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
  const client = createWorkerClient({
    baseUrl: config.engine.restUrl,
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
  subscribeAll(client, opts.workers ?? ALL_WORKERS, {
    ds: opts.ds,
    policy: opts.policy,
    log: opts.log,
    retries: config.worker.retries,
    retryTimeoutMs: config.worker.retryTimeoutMs,
    now: opts.now,
  }, inFlight);
  // The client has no way to cancel a long poll: one sent before the stop may still bring tasks, locked to us.
  let pollDone: Promise<void> = Promise.resolve();
  let pollEnded = () => {};
  client.on('poll:start', () => {
    pollDone = new Promise((resolve) => (pollEnded = resolve));
  });
  client.on('poll:success', () => pollEnded());
  client.on('poll:error', () => pollEnded());
  client.start();
  return {
    stop: () => client.stop(),
    drain: async (timeoutMs) => {
      client.stop();
      inFlight.close();
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pollDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      // The client hands the tasks of a poll to their handlers right after announcing the poll's success.
      await new Promise((resolve) => setImmediate(resolve));
      await inFlight.idle(Math.max(0, deadline - Date.now()));
      return { unfinished: inFlight.size };
    },
    workerId: String((client.options as { workerId?: string }).workerId),
  };
}
