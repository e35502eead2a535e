import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction.js';
import { recordEvents, type ThreadChange } from '../realtime/outbox.js';
import type { Realtime } from '../realtime/pubsub.js';
import type { ThreadEventMessage } from '../realtime/topics.js';

/** Records changes of a thread in the current transaction. */
export type RecordChanges = (questionId: number, ...changes: ThreadChange[]) => Promise<void>;

/**
 * Runs a write to a thread in one transaction, recording its events in the outbox as it goes, and
 * publishes them only once the transaction has committed: a rolled-back write publishes nothing.
 */
export async function writeThread<T>(
  db: DataSource,
  realtime: Pick<Realtime, 'publishThreadEvents'>,
  work: (m: EntityManager, record: RecordChanges) => Promise<T>,
): Promise<T> {
  let events: ThreadEventMessage[] = [];
  const result = await inTransaction(db, (m) => {
    events = [];
    return work(m, async (questionId, ...changes) => {
      events.push(...(await recordEvents(m, questionId, changes)));
    });
  });
  realtime.publishThreadEvents(events);
  return result;
}
