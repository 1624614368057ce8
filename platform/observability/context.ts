/**
 * The request (or worker task) a piece of work belongs to, carried across awaits with
 * AsyncLocalStorage: the engine client reads it to send the request id on and to log its calls
 * on the request's own logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';

export type WorkContext = { requestId: string; log: Logger };

export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<WorkContext>();

/** Runs `fn` (and everything it awaits) as part of `ctx`. */
export function runInContext<T>(ctx: WorkContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): WorkContext | undefined {
  return storage.getStore();
}

/** Runs `fn` as part of no request: background work started while serving one is not that request's. */
export function outsideContext<T>(fn: () => T): T {
  return storage.exit(fn);
}

// Letters, digits and . _ : - only, so an incoming id can never forge a log field or a header.
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** A proxy's or caller's id when it is well formed, else a fresh one. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}
