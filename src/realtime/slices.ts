/** One event on its way to the listeners it was published to, a listener at a time. */
export interface HandOut {
  /** Hands the event to the next listener; false once none is left. */
  step(): boolean;
}

/** The two stages of pushing an event to its watchers (see {@link deliveryLanes}). */
export interface DeliveryLanes {
  /** Queues an event's hand-out to its listeners; it starts at once when nothing waits. */
  handOut(handOut: HandOut): void;
  /** Queues a write to a socket (a pushed message, a ping); it waits at least for the end of this turn. */
  write(task: () => void): void;
}

/** How {@link deliveryLanes} cuts its work into turns of the event loop. */
export interface LaneOptions {
  /** Work per slice, in ms: a slice ends with the first step or write that ends past it. @default 1 */
  budgetMs?: number;
  /** Listeners an event is handed to per slice, at most. @default 256 */
  handOutsPerSlice?: number;
}

/**
 * Runs both stages of a delivery in slices of about `budgetMs` of work per turn of the event loop,
 * the rest after `setImmediate`, so that an event with ten thousand watchers lets HTTP requests and
 * other sockets' messages run between slices. Writes come first: an event is handed to more
 * listeners (at most `handOutsPerSlice` a slice) only once no write waits. The watchers between the
 * two stages, each holding its message, promises and closures, are then a few hundred rather than
 * every watcher of the thread: with all of them waiting to be written, each scavenge of the young
 * generation during a delivery copied them all, pausing the event loop 10–30 ms.
 */
export function deliveryLanes({ budgetMs = 1, handOutsPerSlice = 256 }: LaneOptions = {}): DeliveryLanes {
  const writes: Array<() => void> = [];
  let writeHead = 0;
  const handOuts: HandOut[] = [];
  let scheduled = false;
  // The slice of the current turn: when it started, and how many listeners it handed to.
  let sliceOpen = false;
  let sliceStart = 0;
  let handed = 0;
  const openSlice = () => {
    sliceOpen = true;
    sliceStart = performance.now();
    handed = 0;
  };
  const spent = () => performance.now() - sliceStart >= budgetMs;
  /** Hands `handOut`'s event on while this slice allows; true once every listener has it. */
  const handOutSome = (handOut: HandOut): boolean => {
    while (handed < handOutsPerSlice && !spent()) {
      handed += 1;
      if (!handOut.step()) return true;
    }
    return false;
  };
  const drain = () => {
    scheduled = false;
    openSlice();
    while (!spent()) {
      if (writeHead < writes.length) writes[writeHead++]();
      else if (handOuts.length > 0 && handed < handOutsPerSlice) {
        if (handOutSome(handOuts[0])) handOuts.shift();
      } else break;
    }
    if (writeHead === writes.length) {
      writes.length = 0;
      writeHead = 0;
    }
    if (writes.length > 0 || handOuts.length > 0) return schedule();
    // What is given later in this turn starts a slice of its own.
    sliceOpen = false;
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };
  return {
    handOut: (handOut) => {
      if (handOuts.length === 0 && writeHead === writes.length) {
        if (!sliceOpen) {
          openSlice();
          // The slice ends with this turn.
          setImmediate(() => (sliceOpen = false));
        }
        if (handOutSome(handOut)) return;
      }
      handOuts.push(handOut);
      schedule();
    },
    write: (task) => {
      writes.push(task);
      schedule();
    },
  };
}
