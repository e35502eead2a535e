import type { Database } from '../db/database.js';

/**
 * What a thread page is as of: its thread's last event number and the page epoch (renames). Two
 * reads with equal versions see the same page; a committed write moves one of them.
 */
export type PageVersion = string;

interface Waiter {
  questionId: number;
  resolve: (version: PageVersion | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads the versions of live questions by row id, null for a question absent or deleted.
 *
 * One statement at a time: the requests that arrive while one runs wait for the next, which starts
 * as soon as it ends and reads all of theirs at once. Every request is answered by a statement that
 * STARTED after it arrived, so it sees every write committed before then, whichever instance made
 * it; nothing is remembered between statements. Under load this is one statement per round trip
 * instead of one per request.
 */
export function pageVersions(db: Database): (questionId: number) => Promise<PageVersion | null> {
  let waiting: Waiter[] = [];
  let reading = false;

  const readWaiting = async () => {
    const batch = waiting;
    waiting = [];
    reading = true;
    try {
      const ids = [...new Set(batch.map((waiter) => waiter.questionId))];
      const rows = await db.prepared<{ id: number; seq: number; epoch: string }>(
        `SELECT p.id, p.event_seq AS seq, e.value AS epoch FROM post p CROSS JOIN page_epoch e
          WHERE p.id = ANY($1::integer[]) AND p.kind = 'question' AND p.deleted_at IS NULL`,
        [ids],
      );
      const versions = new Map(rows.map((row) => [row.id, `${row.seq}.${row.epoch}`]));
      for (const waiter of batch) waiter.resolve(versions.get(waiter.questionId) ?? null);
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      reading = false;
      if (waiting.length > 0) void readWaiting();
    }
  };

  return (questionId) =>
    new Promise((resolve, reject) => {
      waiting.push({ questionId, resolve, reject });
      // The requests parsed in the same turn of the event loop go in one statement.
      if (waiting.length === 1 && !reading) setImmediate(readWaiting);
    });
}
