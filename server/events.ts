/**
 * Change events for the server-sent-event listeners (server/routes/events.ts). An event says what
 * changed by ids and an action; listeners send it through the presenter (server/present/dossier.ts
 * presentEvent), which forwards nothing else.
 *
 * Once connected to the database (`connect`), the hub publishes through PostgreSQL's NOTIFY and
 * hears every server's events and the audit trail's (store/live-events.ts), so a change made on one
 * server process reaches the streams of all of them; unconnected, it stays within this process.
 */
import type { DataSource } from 'typeorm';
import { announce, listenLiveEvents, type LiveEvent, type LiveListener } from '../store/live-events.ts';
import type { Logger } from '../platform/log.ts';

export type ChangeEvent = LiveEvent;

export class EventHub {
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private ds: DataSource | null = null;
  private log: Logger | null = null;
  private listening: LiveListener | null = null;

  /** From now on events go through the database, to and from every server on it. */
  connect(ds: DataSource, log: Logger): Promise<void> {
    if (!this.listening) {
      this.ds = ds;
      this.log = log;
      // After a break in the connection, events were missed: a dossier event without an id makes the pages read again.
      this.listening = listenLiveEvents(ds, (e) => this.deliver(e), log, () => this.deliver({ type: 'dossier', action: 'MOVED' }));
    }
    return this.listening.ready;
  }

  subscribe(fn: (e: ChangeEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  publish(e: ChangeEvent): void {
    if (!this.ds) return this.deliver(e);
    // This server hears its own NOTIFY like the others; while the database is away, only its own listeners hear it.
    announce(this.ds, e).catch((err: unknown) => {
      this.log?.warn(`live events: cannot announce (${(err as Error).message}); this server's listeners only`);
      this.deliver(e);
    });
  }

  private deliver(e: ChangeEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    await this.listening?.close();
    this.listening = null;
  }
}
