import type { Database } from '../db/database.js';
import { BadUserInputError, NotFoundError } from '../errors/index.js';
import { eventsAfter, threadEventState } from './outbox.js';
import { PushQueue } from './queue.js';
import type { Realtime } from './pubsub.js';
import type { ThreadEventMessage } from './topics.js';

/** Which events of the stream a subscriber wants; asked in order, once per event. */
export type EventFilter = (event: ThreadEventMessage) => boolean | Promise<boolean>;

/**
 * What to do with a watcher that does not keep up: the transport sends one message at a time, so
 * events of a watcher that does not read queue here; past `maxPending` of them, `overflow()` is
 * called (the WebSocket closes the socket) and the stream ends, rather than queueing without bound.
 */
export interface Backlog {
  maxPending: number;
  overflow(): void;
}

/** How one watcher takes a thread's events. */
export interface WatchOptions {
  /** Which events it wants. @default all */
  wanted?: EventFilter;
  /** What to do when it does not keep up. @default queue without bound */
  backlog?: Backlog;
  /**
   * Skip a SCORE_CHANGED whose post has a newer one already queued for this watcher: a watcher that
   * is behind gets the post's last score rather than every step of a vote storm. Nothing is delayed,
   * and the last score of each post is always delivered. Not for streams that promise every event.
   * @default false
   */
  latestScoresOnly?: boolean;
}

/**
 * Every event of a thread, each exactly once and in commit order: first those committed after
 * `afterSeq` (from the outbox), then the live ones. With `afterSeq` null, only what commits from now.
 *
 * It listens before it reads (see {@link Realtime.listenToThread}), so nothing falls between the two. A live event that arrives after a
 * gap (published late, or by another instance) brings the missing ones from the outbox first, and
 * anything at or below the last number sent is dropped: no gap, no duplicate at the seam.
 * NOT_FOUND when the question does not exist; BAD_USER_INPUT when `afterSeq` is older than what the
 * outbox keeps (the client must refetch the thread) or newer than the thread.
 */
export async function threadEventStream(
  db: Database,
  realtime: Realtime,
  questionId: number,
  afterSeq: number | null,
  { wanted = () => true, backlog, latestScoresOnly = false }: WatchOptions = {},
): Promise<PushQueue<ThreadEventMessage>> {
  const live = realtime.listenToThread(questionId);
  const state = await threadEventState(db, questionId);
  const problem =
    state === null
      ? new NotFoundError('The question')
      : afterSeq !== null && afterSeq > state.lastSeq
        ? new BadUserInputError('after is not a cursor of this thread', { field: 'after', rule: 'cursor' })
        : afterSeq !== null && afterSeq < state.prunedThrough
          ? new BadUserInputError('after is older than the events kept (7 days): refetch the thread, then subscribe', {
              field: 'after',
              rule: 'cursorExpired',
            })
          : null;
  if (problem !== null || state === null) {
    await live.stop();
    throw problem;
  }

  // Per post, the number of the newest SCORE_CHANGED received and not yet taken by the watcher; made
  // when one arrives and let go once all are taken, so that an idle watcher holds no map.
  let newestScore: Map<number, number> | null = null;
  const superseded = (event: ThreadEventMessage): boolean => {
    if (!latestScoresOnly || event.kind !== 'SCORE_CHANGED' || newestScore === null) return false;
    const newest = newestScore.get(event.postId) ?? event.seq;
    if (newest === event.seq) newestScore.delete(event.postId);
    if (newestScore.size === 0) newestScore = null;
    return newest > event.seq;
  };
  const queue = new PushQueue<ThreadEventMessage>(() => void live.stop(), superseded);
  let last = afterSeq ?? state.lastSeq;
  // One link per delivery, so events go out one after another even when reading the outbox.
  let chain = Promise.resolve();
  // Synchronous when the filter answers at once; a promise only while it looks something up.
  const deliver = (event: ThreadEventMessage): void | Promise<void> => {
    if (event.seq <= last) return;
    last = event.seq;
    const verdict = wanted(event);
    if (typeof verdict === 'boolean') {
      if (verdict) queue.push(event);
      return;
    }
    return verdict.then((keep) => {
      if (keep) queue.push(event);
    });
  };
  const fail = (error: unknown) => queue.stop(error);
  // Events received and not yet in the queue; with the queue's, what the watcher has not taken.
  let inChain = 0;
  let replaying = afterSeq !== null;
  const receive = (event: ThreadEventMessage): void => {
    // A score the watcher takes at once can replace nothing waiting: only one that queues is noted.
    if (latestScoresOnly && event.kind === 'SCORE_CHANGED' && !(inChain === 0 && !replaying && queue.takesAtOnce)) {
      (newestScore ??= new Map()).set(event.postId, event.seq);
    }
    inChain += 1;
    if (backlog && inChain + queue.length > backlog.maxPending) {
      backlog.overflow();
      queue.stop();
      return;
    }
    if (inChain === 1 && !replaying && event.seq <= last + 1) {
      // Caught up and nothing pending: the event needs no link of the chain, only the filter's answer
      // (thousands of watchers of a thread each take this path for every event).
      const delivered = deliver(event);
      if (delivered === undefined) inChain -= 1;
      else {
        chain = delivered
          .then(() => {
            inChain -= 1;
          })
          .catch(fail);
      }
      return;
    }
    chain = chain
      .then(async () => {
        if (event.seq > last + 1) {
          for (const missed of await eventsAfter(db, questionId, last, event.seq - 1)) await deliver(missed);
        }
        await deliver(event);
        inChain -= 1;
      })
      .catch(fail);
  };
  if (afterSeq !== null) {
    chain = chain
      .then(async () => {
        for (const event of await eventsAfter(db, questionId, afterSeq)) await deliver(event);
        replaying = false;
      })
      .catch(fail);
  }
  live.deliverTo(receive);
  return queue;
}
