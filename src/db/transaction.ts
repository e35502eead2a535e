/**
 * The driver's error inside whatever carried it: TypeORM wraps it as `driverError`, graphql as
 * `thrownValue` (pg may throw a bare object); a prepared statement's (Database.prepared) comes bare.
 */
export function driverErrorOf(error: unknown): { code?: string; message?: string } {
  const wrapped = error as { driverError?: unknown; thrownValue?: unknown } | undefined;
  return (wrapped?.driverError ?? wrapped?.thrownValue ?? error ?? {}) as { code?: string; message?: string };
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const retryable = new Set(['40001', '40P01']);

/**
 * Runs `work` again (up to 3 times in all) when PostgreSQL aborted its transaction for a deadlock
 * or a serialization failure, so such a clash never reaches the client.
 */
export async function retryingClashes<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const { code } = driverErrorOf(error);
      if (attempt >= 3 || code === undefined || !retryable.has(code)) throw error;
    }
  }
}
