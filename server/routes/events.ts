/**
 * Live updates for the web app (server-sent events at /api/events): each signed-in user receives
 * the change events of the dossiers they may see. Events reach every server process through
 * PostgreSQL's LISTEN/NOTIFY (server/events.ts): a task claimed through one server leaves the lists
 * served by another at once, and the workers' steps arrive through the audit trail's trigger.
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
const VISIBILITY_TTL_MS = 30_000;
/** Live streams one session may hold open on a server (a few tabs); each holds a socket and a subscription. */
export const MAX_STREAMS_PER_SESSION = 4;

export function eventRoutes(deps: ServerDeps) {
  const r = express.Router();
  // Every server's events and the workers' steps (through the audit trail) arrive over PostgreSQL.
  // (A stand-in hub, such as a test's route walk gives, has no database side.)
  if ('connect' in deps.events) deps.events.connect(deps.ds, deps.log).catch((err: unknown) => deps.log.warn(`live events: ${(err as Error).message}`));

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
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    res.once('close', () => {
      const left = (streams.get(session) ?? 1) - 1;
      if (left > 0) streams.set(session, left);
      else streams.delete(session);
    });
  });

  return r;
}
