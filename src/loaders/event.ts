import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import { createLoaders, type Loaders } from './index.js';
import { followsLoader, forViewer, visiblePostLoader, votesLoader } from './posts.js';

/**
 * The reads every watcher of one pushed event shares: one set per event, whatever the number of
 * watchers. Viewer-independent reads (posts, users, tags, pages) go through one anonymous set; the
 * viewers' own votes and follows go through loaders keyed by viewer, so all watchers' reads batch
 * into one statement.
 */
export class EventReads {
  private readonly anonymous: Loaders;
  private readonly votes: DataLoader<string, 1 | -1 | null>;
  private readonly follows: DataLoader<string, boolean>;
  /** Each answer of {@link answer}, by key: a promise while it is computed, then the value itself. */
  private answers?: Map<string, unknown>;

  constructor(db: Database) {
    this.anonymous = createLoaders(db, null);
    this.votes = votesLoader(db);
    this.follows = followsLoader(db);
  }

  /** The loaders to resolve the event for `viewer`, sharing every batch with its other watchers. */
  loadersFor(viewer: Viewer | null): Loaders {
    if (viewer === null) return this.anonymous;
    return {
      ...this.anonymous,
      viewerVote: forViewer(this.votes, viewer.userId),
      // The shared reads carry no viewer's vote.
      viewerVoteOf: new Map(),
      viewerFollows: forViewer(this.follows, viewer.userId),
      visiblePost: visiblePostLoader(this.anonymous.post, this.anonymous.anyPost, viewer),
    };
  }

  /**
   * What `compute` answers about this event, computed once per `key` whatever the number of
   * watchers asking: the key names the question and, when the answer depends on the viewer, their
   * class (e.g. author, moderator, everyone else). A promise until the answer is known, then the
   * answer itself, so that watchers asking later take it synchronously. A rejection is every
   * asker's.
   */
  answer<T>(key: string, compute: () => Promise<T>): T | Promise<T> {
    const answers = (this.answers ??= new Map());
    if (answers.has(key)) return answers.get(key) as T | Promise<T>;
    const pending = compute().then((value) => {
      answers.set(key, value);
      return value;
    });
    answers.set(key, pending);
    return pending;
  }
}

/**
 * Gives each event object its {@link EventReads}, made on first use and kept as long as the event
 * is. Pub/sub hands one object to all of a process's listeners, so they all get the same reads; an
 * event read back from the outbox (a replay) is its watcher's alone.
 */
export function eventReads(db: Database): (event: object) => EventReads {
  const byEvent = new WeakMap<object, EventReads>();
  return (event) => {
    let reads = byEvent.get(event);
    if (reads === undefined) byEvent.set(event, (reads = new EventReads(db)));
    return reads;
  };
}
