import type { DataSource, EntityManager } from 'typeorm';

/** SQLSTATEs after which the whole transaction may simply run again. */
const retryable = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction, again (up to 3 times) when PostgreSQL aborted it for a deadlock
 * or a serialization failure, so such a clash never reaches the client.
 */
export async function inTransaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      // TypeORM wraps the driver's error; a prepared statement's (src/db/prepared.ts) is pg's own.
      const { driverError } = error as { driverError?: { code?: string } };
      const code = (driverError ?? (error as { code?: string })).code;
      if (attempt >= 3 || code === undefined || !retryable.has(code)) throw error;
    }
  }
}
