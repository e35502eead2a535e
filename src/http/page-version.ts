import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { inKeyOrder } from '../loaders/batch.js';

/**
 * What a thread page is as of: its thread's last event number and the page epoch (renames). Two
 * reads with equal versions see the same page; a committed write moves one of them.
 */
export type PageVersion = string;

/**
 * Reads the versions of live questions by row id, null for a question absent or deleted. The reads
 * of one tick go together in one indexed statement; nothing is remembered between them, so each
 * request sees every write committed before it started, whichever instance made it.
 */
export function pageVersions(db: Database): (questionId: number) => Promise<PageVersion | null> {
  const reader = new DataLoader<number, PageVersion | null>(
    async (ids) => {
      const rows = await db.prepared<{ id: number; seq: number; epoch: string }>(
        `SELECT p.id, p.event_seq AS seq, e.value AS epoch FROM post p CROSS JOIN page_epoch e
          WHERE p.id = ANY($1::integer[]) AND p.kind = 'question' AND p.deleted_at IS NULL`,
        [ids],
      );
      return inKeyOrder(
        ids,
        rows,
        (row) => row.id,
        (row) => `${row.seq}.${row.epoch}`,
        null,
      );
    },
    { cache: false },
  );
  return (questionId) => reader.load(questionId);
}
