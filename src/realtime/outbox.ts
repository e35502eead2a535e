import type { Database, Transaction } from '../db/database.js';
import DataLoader from 'dataloader';
import { inKeyOrder } from '../loaders/batch.js';
import type { EventAudience, ThreadEventMessage } from './topics.js';

/** A change to record; the outbox gives it its number and date. */
export type ThreadChange = Pick<ThreadEventMessage, 'kind' | 'postId' | 'postKind' | 'audience' | 'authorId'> & {
  score?: number;
};

/** An event as read from the outbox: the message, with its date as the driver gives it and nulls for what it lacks. */
type EventRow = Omit<ThreadEventMessage, 'at' | 'audience' | 'authorId'> & {
  at: Date;
  audience: EventAudience | null;
  authorId: number | null;
};

const eventColumns = `question_id AS "questionId", seq, kind, post_id AS "postId", post_kind AS "postKind",
  score, created_at AS "at", audience, author_id AS "authorId"`;

/** The message of an event row; one for every watcher carries no audience at all. */
function toMessage({ audience, authorId, ...row }: EventRow): ThreadEventMessage {
  const message = { ...row, at: row.at.toISOString() };
  return audience === null || authorId === null ? message : { ...message, audience, authorId };
}

/**
 * Records changes of a thread in the transaction that makes them, numbered after the thread's last
 * event in commit order (see `record_thread_events`, migration 1764210000000).
 */
export async function recordEvents(
  m: Transaction,
  questionId: number,
  changes: readonly ThreadChange[],
): Promise<ThreadEventMessage[]> {
  if (changes.length === 0) return [];
  const rows = await m.prepared<EventRow>(
    `SELECT ${eventColumns}
       FROM record_thread_events($1, $2::text[], $3::integer[], $4::text[], $5::integer[], $6::text[], $7::integer[])`,
    [
      questionId,
      changes.map((change) => change.kind),
      changes.map((change) => change.postId),
      changes.map((change) => change.postKind),
      changes.map((change) => change.score ?? null),
      changes.map((change) => change.audience ?? null),
      changes.map((change) => change.authorId ?? null),
    ],
  );
  return rows.map(toMessage).sort((a, b) => a.seq - b.seq);
}

/** The thread's events numbered after `afterSeq` (and up to `throughSeq`), in order. */
export async function eventsAfter(
  db: Database,
  questionId: number,
  afterSeq: number,
  throughSeq?: number,
): Promise<ThreadEventMessage[]> {
  const rows: EventRow[] = await db.query(
    `SELECT ${eventColumns} FROM thread_event
      WHERE question_id = $1 AND seq > $2 AND ($3::integer IS NULL OR seq <= $3) ORDER BY seq`,
    [questionId, afterSeq, throughSeq ?? null],
  );
  return rows.map(toMessage);
}

/** Where a thread's event numbering stands, and how far its events were pruned. */
export interface ThreadEventState {
  lastSeq: number;
  prunedThrough: number;
}

const stateReaders = new WeakMap<Database, DataLoader<number, ThreadEventState | null>>();

/**
 * Where a thread's event numbering stands; null when there is no such question. The reads asked
 * for in one turn of the event loop (its sockets' messages included) go together in one statement:
 * a popular thread's watchers all subscribing again at once, after a restart, would each cost one.
 */
export function threadEventState(db: Database, questionId: number): Promise<ThreadEventState | null> {
  let reader = stateReaders.get(db);
  if (reader === undefined) {
    reader = new DataLoader(
      async (ids) => {
        const rows = await db.prepared<ThreadEventState & { id: number }>(
          `SELECT id, event_seq AS "lastSeq", events_pruned_through AS "prunedThrough" FROM post
            WHERE id = ANY($1::integer[]) AND kind = 'question' AND deleted_at IS NULL`,
          [ids],
        );
        return inKeyOrder(
          ids,
          rows,
          (row) => row.id,
          ({ lastSeq, prunedThrough }) => ({ lastSeq, prunedThrough }),
          null,
        );
      },
      // Not cached: each subscription reads the state as it is now. After the poll phase, so that
      // the subscribe messages of every socket read in it share the statement.
      { cache: false, batchScheduleFn: (read) => setImmediate(read) },
    );
    stateReaders.set(db, reader);
  }
  return reader.load(questionId);
}

/** Deletes events older than `retentionSeconds`, remembering per thread how far they went. */
export async function pruneEvents(db: Database, retentionSeconds: number): Promise<number> {
  const [pruned]: [Array<{ count: number }>, number] = await db.query(
    `WITH gone AS (
       DELETE FROM thread_event WHERE created_at < now() - make_interval(secs => $1) RETURNING question_id, seq),
     through AS (SELECT question_id, max(seq) AS seq, count(*) AS count FROM gone GROUP BY question_id)
     UPDATE post p SET events_pruned_through = greatest(p.events_pruned_through, t.seq)
       FROM through t WHERE p.id = t.question_id RETURNING t.count::integer AS count`,
    [retentionSeconds],
  );
  return pruned.reduce((sum, row) => sum + row.count, 0);
}

/**
 * Prunes events older than `retentionSeconds` now and then every `everySeconds`, in the background.
 * Returns the function that stops it.
 */
export function startPruning(
  db: Database,
  retentionSeconds: number,
  everySeconds: number,
  onError: (error: unknown) => void,
): () => void {
  const prune = () => void pruneEvents(db, retentionSeconds).catch(onError);
  prune();
  const timer = setInterval(prune, everySeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
