/**
 * Dossiers stored but not started (the engine was down when they were created), and incoming
 * documents whose proactive handling never started, are started as soon as the engine
 * answers again, so none is left behind.
 */
import type { ServerDeps } from '../deps.ts';
import { startDossierProcess } from './service.ts';
import { startIncomingProcess } from '../office/incoming-process.ts';
import { incomingNotStarted } from '../../store/incoming.ts';
import { draftsNotStarted } from '../../store/dossiers.ts';

export async function startPendingDossiers(deps: ServerDeps, olderThanMs = 30_000): Promise<number> {
  const now = deps.now?.() ?? new Date();
  let started = 0;
  for (const id of await draftsNotStarted(deps.ds, new Date(now.getTime() - olderThanMs))) {
    try {
      await startDossierProcess(deps, id, null);
      started++;
    } catch (err) {
      deps.log.warn(`could not start dossier ${id} yet: ${(err as Error).message}`);
      break;
    }
  }
  for (const id of await incomingNotStarted(deps.ds, new Date(now.getTime() - olderThanMs))) {
    try {
      await startIncomingProcess(deps, id);
      started++;
    } catch (err) {
      deps.log.warn(`could not start the handling of incoming document ${id} yet: ${(err as Error).message}`);
      break;
    }
  }
  return started;
}
