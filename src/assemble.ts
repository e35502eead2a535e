import type { Database } from './db/database.js';
import { Sessions } from './auth/sessions.js';
import { eventReads, type EventReads } from './loaders/event.js';
import { createLiveThreads, type LiveThreads } from './realtime/live.js';
import { createRealtime, type Across, type Realtime } from './realtime/pubsub.js';
import { createServices, type Services } from './services/index.js';
import {
  createRateLimits,
  type RateLimits,
  type RateLimitSettings,
  type SharedCounters,
} from './services/rate-limits.js';

/** The long-lived parts every request context is made from. */
export interface App {
  db: Database;
  /** Token → viewer, for every request and socket. */
  sessions: Sessions;
  services: Services;
  live: LiveThreads;
  rateLimits: RateLimits;
  /** The reads all watchers of one pushed event share (see {@link EventReads}). */
  readsOf(event: object): EventReads;
}

/** What {@link assembleApp} builds the services from. */
export interface AssemblyOptions {
  /**
   * The database every service reads and writes, migrated. Whoever opened it closes it: `close()`
   * leaves it open.
   */
  db: Database;
  /** The rate limits; a limit of 0 turns that limit off. */
  rateLimits: RateLimitSettings;
  /** How long a session token stays valid, in seconds. */
  sessionTtlSeconds: number;
  /**
   * What carries events to the other processes serving the same database: Redis, or PostgreSQL's
   * LISTEN/NOTIFY on `postgresUrl`. Without it, a watcher hears only the writes of this process.
   * @default undefined: in this process only
   */
  across?: Across;
  /**
   * Where the rate limits count, when several processes must share one count: Redis, or the
   * primary of a node:cluster (`'cluster'`, which must then serve them).
   * @default undefined: in this process's memory
   */
  counters?: SharedCounters;
  /** The accounts made ADMIN when they sign up (`ADMIN_USERNAMES`). @default none */
  adminUsernames?: string[];
  /** Open SPAM or RUDE flags from distinct members that hide a post (`FLAGS_TO_HIDE`). @default 3 */
  flagsToHide?: number;
}

/** An {@link App} with the pub/sub it publishes to, and how to let them go. */
export interface AssembledApp {
  app: App;
  realtime: Realtime;
  /** Closes the sessions' listener, the pub/sub and the rate limits, in that order; not the database. */
  close(): Promise<void>;
}

/** Makes the pub/sub and the rate limits, then the sessions, services and live streams over them. */
export async function assembleApp(options: AssemblyOptions): Promise<AssembledApp> {
  const { db } = options;
  const realtime = await createRealtime(options.across);
  const rateLimits = createRateLimits(options.rateLimits, options.counters);
  await rateLimits.connected();
  const sessions = new Sessions(db, realtime);
  const app: App = {
    db,
    sessions,
    services: createServices(db, realtime, options, rateLimits, sessions),
    live: createLiveThreads(db, realtime),
    rateLimits,
    readsOf: eventReads(db),
  };
  return {
    app,
    realtime,
    close: async () => {
      await sessions.close();
      await realtime.close();
      await rateLimits.close();
    },
  };
}
