/** One transaction on our database: the writes a step or a request makes commit together or not at all. */
import type { DataSource, EntityManager } from 'typeorm';

export function inTransaction<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(fn);
}
