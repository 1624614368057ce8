/**
 * Live updates for the web app (server-sent events at /api/events): each signed-in user receives
 * the change events of the dossiers they may see. Steps done by the workers (another process)
 * reach the hub through one shared watcher of the audit trail, not through browser polling.
 */
import express from 'express';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import type { ChangeEvent } from '../events.ts';
import { accessFacts } from '../dossiers/service.ts';
import { loadDossier } from '../../store/dossiers.ts';
import { canSeeDossier } from '../../domain/access.ts';
import { presentEvent } from '../present/dossier.ts';

const HEARTBEAT_MS = 25_000;
const WATCH_MS = 1_500;
const VISIBILITY_TTL_MS = 30_000;
/** Live streams one session may hold open on a server (a few tabs); each holds a socket and a subscription. */
export const MAX_STREAMS_PER_SESSION = 4;

/** One watcher per server while anyone listens: new audit events become `dossier MOVED` events. */
function auditWatcher(deps: ServerDeps) {
  let timer: NodeJS.Timeout | null = null;
  let lastId: number | null = null;
  let users = 0;
  let busy = false;
  async function tick() {
    if (busy) return;
    busy = true;
    try {
      if (lastId === null) {
        const rows = (await deps.ds.query('SELECT coalesce(max(id), 0)::bigint AS id FROM audit_event')) as { id: string }[];
        lastId = Number(rows[0]?.id ?? 0);
        return;
      }
      const rows = (await deps.ds.query('SELECT id, dossier_id FROM audit_event WHERE id > $1 ORDER BY id LIMIT 500', [lastId])) as { id: string; dossier_id: string | null }[];
      const dossiers = new Set<string>();
      for (const r of rows) {
        lastId = Math.max(lastId, Number(r.id));
        if (r.dossier_id) dossiers.add(r.dossier_id);
      }
      for (const dossierId of dossiers) deps.events.publish({ type: 'dossier', dossierId, action: 'MOVED' });
    } catch {
      // The database may be restarting; the next tick tries again.
    } finally {
      busy = false;
    }
  }
  return {
    acquire() {
      users += 1;
      if (!timer) {
        timer = setInterval(() => void tick(), WATCH_MS);
        timer.unref();
        void tick();
      }
    },
    release() {
      users -= 1;
      if (users <= 0 && timer) {
        clearInterval(timer);
        timer = null;
        lastId = null;
      }
    },
  };
}

export function eventRoutes(deps: ServerDeps) {
  const r = express.Router();
  const watcher = auditWatcher(deps);

  const streams = new Map<string, number>();

  r.get('/events', (req, res) => {
    const user = currentUser(req);
    // A 429 rather than closing an older stream: EventSource reconnects a closed stream, and tabs would take turns.
    const session = req.sessionKey ?? user.id;
    const open = streams.get(session) ?? 0;
    if (open >= MAX_STREAMS_PER_SESSION) {
      throw new ApiError(429, 'TOO_MANY_STREAMS', `Phiên đăng nhập này đã mở ${MAX_STREAMS_PER_SESSION} luồng cập nhật trực tiếp; hãy đóng bớt thẻ trình duyệt.`);
    }
    streams.set(session, open + 1);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const seen = new Map<string, { ok: boolean; at: number }>();
    const maySee = async (dossierId: string): Promise<boolean> => {
      const hit = seen.get(dossierId);
      if (hit && Date.now() - hit.at < VISIBILITY_TTL_MS) return hit.ok;
      const d = await loadDossier(deps.ds, dossierId);
      const ok = !!d && canSeeDossier(user, accessFacts(d));
      seen.set(dossierId, { ok, at: Date.now() });
      return ok;
    };
    const send = (e: ChangeEvent) => {
      void (async () => {
        // Only what the user may see, and only as the presenter puts it (ids and an action).
        const visible = e.dossierId ? await maySee(e.dossierId) : true;
        if (!visible || res.writableEnded) return;
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(presentEvent(e))}\n\n`);
      })().catch(() => {});
    };
    const unsubscribe = deps.events.subscribe(send);
    watcher.acquire();
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      watcher.release();
    });
    res.once('close', () => {
      const left = (streams.get(session) ?? 1) - 1;
      if (left > 0) streams.set(session, left);
      else streams.delete(session);
    });
  });

  return r;
}
