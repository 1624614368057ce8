/** Live updates from the server (server-sent events): one stream shared by every page. */
export type LiveEvent = { type: 'dossier' | 'task'; dossierId?: string; taskId?: string; action: string };
type Listener = (e: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
export const liveState = new EventTarget();

export function startLive(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  const dispatch = (m: MessageEvent<string>) => {
    try {
      const e = JSON.parse(m.data) as LiveEvent;
      for (const fn of listeners) fn(e);
    } catch {
      // a malformed event is ignored
    }
  };
  source.addEventListener('dossier', dispatch);
  source.addEventListener('task', dispatch);
  source.addEventListener('open', () => liveState.dispatchEvent(new Event('open')));
  source.addEventListener('error', () => liveState.dispatchEvent(new Event('error')));
}

export function stopLive(): void {
  source?.close();
  source = null;
}

/** Subscribes to live events; returns the unsubscribe. */
export function onLive(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Calls fn at most once per `ms`, trailing. */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}
