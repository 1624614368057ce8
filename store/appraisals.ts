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
