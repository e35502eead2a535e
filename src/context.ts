import type { DataSource } from 'typeorm';
import { Sessions } from './auth/sessions.js';
import type { Viewer } from './auth/viewer.js';
import { loadersForEvent } from './loaders/event.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { Config } from './config.js';
import { createLiveThreads, type LiveThreads } from './realtime/live.js';
import type { Backlog } from './realtime/stream.js';
import { createRealtime, type Across, type Realtime } from './realtime/pubsub.js';
import { createServices, type Services } from './services/index.js';
import {
  createRateLimits,
  type RateLimits,
  type RateLimitSettings,
  type SharedCounters,
} from './services/rate-limits.js';

/** What every resolver receives: the viewer, this request's loaders, the services, the live streams. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  /** The client's address (Express's `req.ip`), which log-in limits count by. */
  clientIp: string;
  loaders: Loaders;
  services: Services;
  live: LiveThreads;
  /** Over WebSocket: what to do with this socket's streams when it does not keep up (see Backlog). */
  backlog?: Backlog;
  /** The loaders for resolving `event` for this viewer, shared with every other watcher of it. */
  loadersFor(event: object): Loaders;
}

/** The long-lived parts every context is made from. */
export interface App {
  db: DataSource;
  /** Token → viewer, for every request and socket. */
  sessions: Sessions;
  services: Services;
  live: LiveThreads;
  rateLimits: RateLimits;
}

/** Builds the context of one request, or of one subscription. */
export function createContext(app: App, viewer: Viewer | null, requestId: string, clientIp: string): Context {
  let loaders: Loaders | undefined;
  return {
    requestId,
    viewer,
    clientIp,
    // Made on first use: a subscription reads each event through the loaders its watchers share, so
    // thousands of idle watchers would otherwise each hold a set they never use.
    get loaders() {
      return (loaders ??= createLoaders(app.db, viewer));
    },
    set loaders(replaced) {
      loaders = replaced;
    },
    services: app.services,
    live: app.live,
    loadersFor: (event) => loadersForEvent(app.db, event, viewer),
  };
}

/** Wires the services and the live streams over one DataSource, one pub/sub and one set of rate limits. */
function createApp(
  db: DataSource,
  realtime: Realtime,
  config: Pick<Config, 'sessionTtlSeconds'> & Partial<Pick<Config, 'adminUsernames' | 'flagsToHide'>>,
  rateLimits: RateLimits,
): App {
  const sessions = new Sessions(db, realtime);
  return {
    db,
    sessions,
    services: createServices(db, realtime, config, rateLimits, sessions),
    live: createLiveThreads(db, realtime),
    rateLimits,
  };
}

/** An App with the pub/sub and rate limits made for it, and how to let them go. */
export interface AssembledApp {
  app: App;
  realtime: Realtime;
  close(): Promise<void>;
}

/**
 * Makes the pub/sub and rate limits (shared across processes as `across` and `counters` say, else in
 * this process) and the App over them.
 */
export async function assembleApp(
  db: DataSource,
  settings: RateLimitSettings &
    Pick<Config, 'sessionTtlSeconds'> &
    Partial<Pick<Config, 'adminUsernames' | 'flagsToHide'>>,
  across?: Across,
  counters?: SharedCounters,
): Promise<AssembledApp> {
  const realtime = await createRealtime(across);
  const rateLimits = createRateLimits(settings, counters);
  const app = createApp(db, realtime, settings, rateLimits);
  return {
    app,
    realtime,
    close: async () => {
      await app.sessions.close();
      await realtime.close();
      await rateLimits.close();
    },
  };
}
