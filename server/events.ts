/** In-process fan-out of change events to server-sent-event listeners. */
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
