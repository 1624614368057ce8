/**
 * Dossiers stored but not started (the engine was down when they were created) are started as
 * soon as the engine answers again, so none is left behind in DRAFT.
 */
import type { ServerDeps } from '../deps.ts';
import { startDossierProcess } from './service.ts';

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
  return started;
}
