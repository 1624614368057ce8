/** Starts the workers in this process: one client, every topic subscribed through the wrapper. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config/index.ts';
import type { Policy } from '../config/policy.ts';
import { ALL_WORKERS } from './all.ts';
import { createWorkerClient, InFlight, subscribeAll, type Logger, type WorkerDefinition } from './runtime/run-worker.ts';

export type RunningWorkers = {
  stop(): void;
  /** Stops polling and waits (at most `timeoutMs`) for the handlers already running to finish. */
  drain(timeoutMs: number): Promise<void>;
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
  client.start();
  return {
    stop: () => client.stop(),
    drain: (timeoutMs) => {
      client.stop();
      return inFlight.idle(timeoutMs);
    },
    workerId: String((client.options as { workerId?: string }).workerId),
  };
}
