/**
 * Live events between processes through PostgreSQL: NOTIFY on the channel `hosotrinh_events`
 * sends one, and each server keeps one connection LISTENing, so a change made through any server
 * (or recorded by a worker: the audit trail's trigger, migration 1732600000260) reaches the live
 * streams of every server. A payload says what changed by ids and an action, nothing more.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { PoolClient, Pool, Notification } from 'pg';
import type { Logger } from '../platform/log.ts';

export const LIVE_CHANNEL = 'hosotrinh_events';

export type LiveEvent = { type: 'dossier' | 'task'; dossierId?: string; taskId?: string; action: string };

const ID = /^[\w.:-]{1,100}$/;

/** A payload as it arrives; anything else than ids and an action is dropped, and a malformed one is null. */
export function parseLiveEvent(payload: string | undefined): LiveEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(payload ?? '');
  } catch {
    return null;
  }
  const r = raw as Record<string, unknown> | null;
  if (!r || (r.type !== 'dossier' && r.type !== 'task') || typeof r.action !== 'string' || !/^[A-Z_]{1,40}$/.test(r.action)) return null;
  const e: LiveEvent = { type: r.type, action: r.action };
  if (r.dossierId !== undefined) {
    if (typeof r.dossierId !== 'string' || !ID.test(r.dossierId)) return null;
    e.dossierId = r.dossierId;
  }
  if (r.taskId !== undefined) {
    if (typeof r.taskId !== 'string' || !ID.test(r.taskId)) return null;
    e.taskId = r.taskId;
  }
  return e;
}

/** Sends an event to every listening server; inside a transaction it leaves at commit. */
export async function announce(m: DataSource | EntityManager, e: LiveEvent): Promise<void> {
  const payload: LiveEvent = { type: e.type, action: e.action };
  if (e.dossierId) payload.dossierId = e.dossierId;
  if (e.taskId) payload.taskId = e.taskId;
  await m.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify(payload)]);
}

export type LiveListener = {
  /** Resolves once the first LISTEN is in place (or failed: it is retried in the background). */
  ready: Promise<void>;
  close(): Promise<void>;
};

/**
 * Holds one connection of the DataSource's pool LISTENing, and takes another when it breaks (the
 * database restarting), with back-off up to 5 s. `onReconnect` runs after a break: events sent
 * meanwhile were missed, so listeners should read again what they show.
 */
export function listenLiveEvents(ds: DataSource, onEvent: (e: LiveEvent) => void, log: Logger, onReconnect?: () => void): LiveListener {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  let client: PoolClient | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  const onNotification = (n: Notification) => {
    if (n.channel !== LIVE_CHANNEL) return;
    const e = parseLiveEvent(n.payload);
    if (e) onEvent(e);
  };
  const connect = async (): Promise<void> => {
    if (closed) return;
    try {
      const c = await pool.connect();
      if (closed) {
        c.release();
        return;
      }
      c.on('notification', onNotification);
      c.on('error', (err) => {
        if (client !== c) return;
        client = null;
        log.warn(`live events: the listening connection broke (${err.message}); listening again`);
        c.removeListener('notification', onNotification);
        c.release(err);
        retry();
      });
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      client = c;
      if (failures > 0) {
        log.info('live events: listening again');
        onReconnect?.();
      }
      failures = 0;
    } catch (err) {
      log.warn(`live events: cannot listen (${(err as Error).message}); trying again`);
      retry();
    }
  };
  const retry = () => {
    if (closed || timer) return;
    failures++;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, Math.min(5000, 200 * 2 ** (failures - 1)));
    timer.unref();
  };
  const ready = connect();
  const listener: LiveListener = {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      if (c) {
        c.removeListener('notification', onNotification);
        await c.query(`UNLISTEN ${LIVE_CHANNEL}`).catch(() => {});
        c.release();
      }
    },
  };
  // The pool waits for every connection taken from it before it ends: give this one back first.
  const destroy = ds.destroy.bind(ds);
  ds.destroy = async () => {
    await listener.close();
    return destroy();
  };
  return listener;
}
