/** What a task's completion recorded, once per task: the only code that reads or writes `task_completion`. */
import type { EntityManager } from 'typeorm';
import type { PlainValue } from '../platform/engine/variables.ts';

/** The variables an earlier completion of the task sent the engine, or null when it was never completed. */
export async function recordedCompletion(m: EntityManager, taskId: string): Promise<Record<string, PlainValue> | null> {
  const rows = (await m.query('SELECT variables FROM task_completion WHERE task_id = $1', [taskId])) as { variables: Record<string, PlainValue> }[];
  return rows[0]?.variables ?? null;
}

export async function recordCompletion(
  m: EntityManager,
  c: { taskId: string; formKey: string; dossierId: string; completedBy: string; variables: Record<string, PlainValue | undefined> },
): Promise<void> {
  await m.query('INSERT INTO task_completion (task_id, form_key, dossier_id, completed_by, variables) VALUES ($1, $2, $3, $4, $5)', [
    c.taskId,
    c.formKey,
    c.dossierId,
    c.completedBy,
    JSON.stringify(c.variables),
  ]);
}
