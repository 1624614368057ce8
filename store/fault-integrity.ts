/**
 * The fault run's own count of what was lost or done twice, on a connection of its own: it reads
 * the tables directly, independent of the code whose faults it counts.
 */
import pg from 'pg';

/** The idempotency key of a worker step: '<topic>:<external task id>' ('task:<id>' is a person's task, not a worker's). */
const STEP_KEY = '^(?!task:)[a-z0-9-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export type IntegrityCounts = {
  dossiers: { id: string; status: string; process_instance_id: string | null }[];
  dupRequests: number;
  wrongRequestCount: number;
  dupNumbers: number;
  sharedNumbers: number;
  noNumber: number;
  dupSubmissions: number;
  dupForwardNotices: number;
  dupAudit: number;
  stepEvents: number;
};

export async function countIntegrity(databaseUrl: string): Promise<IntegrityCounts> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const q = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
    const dossiers = (await db.query<{ id: string; status: string; process_instance_id: string | null }>('SELECT id, status, process_instance_id FROM dossier')).rows;
    const dupRequests = await q(`SELECT count(*) AS n FROM (SELECT 1 FROM opinion_request GROUP BY dossier_id, agency_code, round HAVING count(*) > 1) x`);
    const wrongRequestCount = await q(`SELECT count(*) AS n FROM dossier d WHERE (SELECT count(*) FROM opinion_request r WHERE r.dossier_id = d.id) <> 2`);
    // Submission numbers: only current documents count (a new version supersedes the old one,
    // which keeps its number); a duplicate and a missing number are different faults.
    const dupNumbers = await q(
      `SELECT count(*) AS n FROM (SELECT dossier_id FROM document WHERE role = 'SUBMISSION_DOC' AND number IS NOT NULL AND superseded_at IS NULL GROUP BY dossier_id HAVING count(*) > 1) x`,
    );
    const sharedNumbers = await q(
      `SELECT count(*) AS n FROM (SELECT 1 FROM document WHERE role = 'SUBMISSION_DOC' AND number IS NOT NULL AND superseded_at IS NULL GROUP BY issuer_agency_code, year, doc_type, number HAVING count(DISTINCT dossier_id) > 1) x`,
    );
    const noNumber = await q(
      `SELECT count(*) AS n FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM document x WHERE x.dossier_id = d.id AND x.role = 'SUBMISSION_DOC' AND x.number IS NOT NULL AND x.superseded_at IS NULL)`,
    );
    const dupSubmissions = await q(`SELECT count(*) AS n FROM (SELECT dossier_id FROM submission GROUP BY dossier_id, round HAVING count(*) > 1) x`);
    const dupForwardNotices = await q(`SELECT count(*) AS n FROM (SELECT dossier_id FROM notification WHERE kind = 'SUBMITTED' GROUP BY dossier_id HAVING count(*) > 1) x`);
    // A worker step writes its audit event under the key '<topic>:<external task id>': a
    // redelivered task (lock expired after a kill -9, outcome not reported while the engine was
    // away) carries the same id, so the unique key stops a second row. A duplicated side effect is
    // the same step of the same dossier recorded twice under different keys: same topic, action,
    // from-status and details (which carry the round where a step can repeat). Events of people
    // (no key, e.g. DOCUMENT_ADDED) and of timers keyed by dossier, agency and round
    // (OPINION_OVERDUE…) are either legitimately repeated or unique by construction.
    const dupAudit = await q(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM audit_event
         WHERE dossier_id IS NOT NULL AND idempotency_key ~ '${STEP_KEY}'
         GROUP BY dossier_id, split_part(idempotency_key, ':', 1), action, from_status, details::text
         HAVING count(DISTINCT idempotency_key) > 1) x`,
    );
    const stepEvents = await q(
      `SELECT count(*) AS n FROM audit_event WHERE dossier_id IS NOT NULL AND idempotency_key ~ '${STEP_KEY}'`,
    );
    return { dossiers, dupRequests, wrongRequestCount, dupNumbers, sharedNumbers, noNumber, dupSubmissions, dupForwardNotices, dupAudit, stepEvents };
  } finally {
    await db.end();
  }
}
