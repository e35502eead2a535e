import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import { createLoaders, type Loaders } from './index.js';
import { followsLoader, forViewer, votesLoader } from './posts.js';

/** The reads every watcher of one event shares: one set per event, whatever the number of watchers. */
interface SharedReads {
  anonymous: Loaders;
  votes: DataLoader<string, 1 | -1 | null>;
  follows: DataLoader<string, boolean>;
}

const sharedByEvent = new WeakMap<object, SharedReads>();

/**
 * The loaders to resolve one pushed event for one watcher. Viewer-independent reads (posts, users,
 * tags, pages) come from a set shared by every watcher of that event; the viewer's own votes and
 * follows go through loaders keyed by viewer, so all watchers' reads batch into one statement. The
 * shared set lives as long as the event object does.
 */
export function loadersForEvent(db: Database, event: object, viewer: Viewer | null): Loaders {
  let shared = sharedByEvent.get(event);
  if (shared === undefined) {
    shared = { anonymous: createLoaders(db, null), votes: votesLoader(db), follows: followsLoader(db) };
    sharedByEvent.set(event, shared);
  }
  if (viewer === null) return shared.anonymous;
  return {
    ...shared.anonymous,
    viewerVote: forViewer(shared.votes, viewer.userId),
    // The shared reads carry no viewer's vote.
    viewerVoteOf: new Map(),
    viewerFollows: forViewer(shared.follows, viewer.userId),
  };
}
