/**
 * Dossiers stored but not started (the engine was down when they were created), and incoming
 * documents whose proactive handling never started, are started as soon as the engine
 * answers again, so none is left behind.
 */
import type { ServerDeps } from '../deps.ts';
import { startDossierProcess } from './service.ts';
import { startIncomingProcess } from '../office/incoming-process.ts';
import { incomingNotStarted } from '../../store/incoming.ts';

export async function startPendingDossiers(deps: ServerDeps, olderThanMs = 30_000): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const rows = (await deps.ds.query(
    `SELECT id FROM dossier WHERE status = 'DRAFT' AND process_instance_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT 100`,
    [new Date(now.getTime() - olderThanMs)],
  )) as { id: string }[];
  let started = 0;
  for (const { id } of rows) {
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
