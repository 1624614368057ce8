/** Appraisals: the only code that reads or writes `appraisal`. */
import type { EntityManager } from 'typeorm';
import type { AppraisalConclusion, AppraisalStatus } from '../domain/model.ts';

export type StoredAppraisal = { id: string; conclusion: AppraisalConclusion | null; lawful: boolean | null; reasons: string | null };

/** The latest appraisal recorded for a dossier's round, or null. */
export async function latestAppraisal(m: EntityManager, dossierId: string, round: number): Promise<StoredAppraisal | null> {
  const rows = (await m.query(
    'SELECT id, conclusion, lawful, reasons FROM appraisal WHERE dossier_id = $1 AND round = $2 ORDER BY created_at DESC LIMIT 1',
    [dossierId, round],
  )) as StoredAppraisal[];
  return rows[0] ?? null;
}

export async function setAppraisalStatus(m: EntityManager, id: string, status: AppraisalStatus): Promise<void> {
  await m.query('UPDATE appraisal SET status = $2 WHERE id = $1', [id, status]);
}

export type AppraisalInput = {
  dossierId: string;
  round: number;
  appraiserAgencyCode: string;
  conclusion: AppraisalConclusion;
  lawful: boolean;
  reasons: string;
  reportDocId: string | null;
  appraisedBy: string;
  /** One appraisal per task: a second completion of the same task corrects it. */
  taskId: string;
};

/** Records the appraising agency's report, for the appraisal worker to judge. */
export async function recordAppraisal(m: EntityManager, a: AppraisalInput): Promise<void> {
  await m.query(
    `INSERT INTO appraisal (dossier_id, round, appraiser_agency_code, status, conclusion, lawful, reasons, report_doc_id, appraised_by, task_id)
     VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $5, $6, $7, $8, $9)
     ON CONFLICT (task_id) DO UPDATE SET conclusion = EXCLUDED.conclusion, lawful = EXCLUDED.lawful, reasons = EXCLUDED.reasons,
       report_doc_id = COALESCE(EXCLUDED.report_doc_id, appraisal.report_doc_id)`,
    [a.dossierId, a.round, a.appraiserAgencyCode, a.conclusion, a.lawful, a.reasons, a.reportDocId, a.appraisedBy, a.taskId],
  );
}

/** The statement reading a dossier's appraisals as its detail shows them (for a read batch: the id as a literal). */
export function appraisalsOfDossierSql(dossierIdLiteral: string): string {
  return `SELECT round, appraiser_agency_code, status, conclusion, lawful, reasons, created_at FROM appraisal WHERE dossier_id = ${dossierIdLiteral} ORDER BY created_at`;
}
