/** Recognising "the database is away" (down, restarting, connections terminated), as opposed to a bad query. */

const UNAVAILABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'];

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; driverError?: { code?: string; message?: string } };
  const code = e?.driverError?.code ?? e?.code;
  if (code && UNAVAILABLE_CODES.includes(code)) return true;
  // typeorm's answers when the connection of a transaction died under it (the server went away mid-way):
  // the runner is released, and the transaction's next statement is refused.
  if (e?.name === 'QueryRunnerProviderAlreadyReleasedError' || e?.name === 'QueryRunnerAlreadyReleasedError') return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|terminating connection|the database system is (starting up|shutting down)|query runner was already released/i.test(
    `${e?.message ?? ''} ${e?.driverError?.message ?? ''}`,
  );
}
