/**
 * In-process fan-out of change events to server-sent-event listeners. An event says what changed by
 * ids and an action; listeners send it through the presenter (server/present/dossier.ts
 * presentEvent), which forwards nothing else.
 */
export type ChangeEvent = { type: 'dossier' | 'task'; dossierId?: string; taskId?: string; action: string };

export class EventHub {
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  subscribe(fn: (e: ChangeEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  publish(e: ChangeEvent): void {
    for (const fn of this.listeners) fn(e);
  }
  get size(): number {
    return this.listeners.size;
  }
}
