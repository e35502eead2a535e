import type { Viewer } from './auth/viewer.js';
import type { App } from './assemble.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { LiveThreads } from './realtime/live.js';
import type { Backlog } from './realtime/stream.js';
import type { Services } from './services/index.js';

/** What every resolver receives: the viewer, this request's loaders, the services, the live streams. */
export interface Context {
  readonly requestId: string;
  readonly viewer: Viewer | null;
  /** The client's address (Express's `req.ip`), which log-in limits count by. */
  readonly clientIp: string;
  /** This request's loaders, or, in a context made by {@link forEvent}, the event's shared ones. */
  readonly loaders: Loaders;
  readonly services: Services;
  readonly live: LiveThreads;
  /** Over WebSocket: what to do with this socket's streams when it does not keep up (see Backlog). */
  readonly backlog?: Backlog;
  /**
   * The same caller's context for resolving the pushed `event`: its loaders are the ones every
   * watcher of that event shares, so one set of reads serves them all.
   */
  forEvent(event: object): Context;
  /**
   * `compute`'s answer about the pushed `event`, computed once per `key` for all of the event's
   * watchers, with the context of the first one to ask (see EventReads.answer): `key` must name
   * everything of the viewer that the answer depends on. Filters that each of thousands of watchers
   * runs on every event ask through it, rather than each making its own event context.
   */
  answerFor<E extends object, T>(
    event: E,
    key: string,
    compute: (eventContext: Context, event: E) => Promise<T>,
  ): T | Promise<T>;
}

/**
 * A class, so that a watcher's idle context holds its fields and no functions of its own; its
 * loaders are made on first use, since a watcher reads each event through the event's shared ones.
 */
class RequestContext implements Context {
  private made?: Loaders;

  constructor(
    private readonly app: App,
    readonly viewer: Viewer | null,
    readonly requestId: string,
    readonly clientIp: string,
    readonly backlog?: Backlog,
    private readonly event?: object,
  ) {}

  get loaders(): Loaders {
    return (this.made ??= this.event
      ? this.app.readsOf(this.event).loadersFor(this.viewer)
      : createLoaders(this.app.db, this.viewer));
  }

  get services(): Services {
    return this.app.services;
  }

  get live(): LiveThreads {
    return this.app.live;
  }

  forEvent(event: object): Context {
    return new RequestContext(this.app, this.viewer, this.requestId, this.clientIp, this.backlog, event);
  }

  answerFor<E extends object, T>(
    event: E,
    key: string,
    compute: (eventContext: Context, event: E) => Promise<T>,
  ): T | Promise<T> {
    return this.app.readsOf(event).answer(key, () => compute(this.forEvent(event), event));
  }
}

/** Builds the context of one request, or of one subscription (with its socket's `backlog`). */
export function createContext(
  app: App,
  viewer: Viewer | null,
  requestId: string,
  clientIp: string,
  backlog?: Backlog,
): Context {
  return new RequestContext(app, viewer, requestId, clientIp, backlog);
}
