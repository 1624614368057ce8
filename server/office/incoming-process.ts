/** The proactive-handling process of a registered incoming document. */
import { toIsoLocal } from '../../domain/calendar.ts';
import { INCOMING_PROCESS_KEY } from '../../platform/engine/process-keys.ts';
import { startIncomingHandling } from '../../store/incoming.ts';
import type { ServerDeps } from '../deps.ts';

/** Starts the proactive-handling process of a registered document once (business key = its id). */
export async function startIncomingProcess(deps: ServerDeps, id: string): Promise<void> {
  await startIncomingHandling(deps.ds, id, async (doc) => {
    const existing = await deps.engine.listProcessInstances({ businessKey: id, processDefinitionKey: INCOMING_PROCESS_KEY });
    return (
      existing[0]?.id ??
      (
        await deps.engine.startProcess(INCOMING_PROCESS_KEY, id, {
          incomingDocumentId: id,
          agencyCount: doc.agencyCodes.length,
          agencyCodesCsv: doc.agencyCodes.join(','),
          proactiveDueAt: toIsoLocal(doc.proactiveDueAt),
        })
      ).id
    );
  });
}
