/** How {@link slicedRunner} cuts its work into turns of the event loop. */
export interface SliceOptions {
  /** Work per slice, in ms: a slice ends with the first task that ends past it. @default 1 */
  budgetMs?: number;
  /** Tasks per slice at most. @default Infinity */
  maxPerSlice?: number;
  /**
   * Runs a task at once when none waits and this turn's slice has time left, rather than always in a
   * later turn. @default false
   */
  atOnce?: boolean;
}

/**
 * Runs the tasks it is given in order, in slices of about `budgetMs` of work each, the rest after
 * `setImmediate`: delivering one event to ten thousand watchers then lets HTTP requests and other
 * sockets' messages run between slices instead of waiting for the whole delivery. A budget of time
 * rather than of tasks, because a task's cost varies with the machine and its load.
 */
export function slicedRunner({ budgetMs = 1, maxPerSlice = Infinity, atOnce = false }: SliceOptions = {}): (
  task: () => void,
) => void {
  const queue: Array<() => void> = [];
  let head = 0;
  let scheduled = false;
  // The slice of the current turn: when it started, and how many tasks it ran.
  let sliceOpen = false;
  let sliceStart = 0;
  let ran = 0;
  const openSlice = () => {
    sliceOpen = true;
    sliceStart = performance.now();
    ran = 0;
  };
  const spent = () => ran >= maxPerSlice || performance.now() - sliceStart >= budgetMs;
  const drain = () => {
    scheduled = false;
    openSlice();
    while (head < queue.length && !spent()) {
      ran += 1;
      queue[head++]();
    }
    if (head < queue.length) return schedule();
    queue.length = 0;
    head = 0;
    // Tasks given later in this turn start a slice of their own.
    sliceOpen = false;
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };
  return (task) => {
    if (atOnce && head === queue.length) {
      if (!sliceOpen) {
        openSlice();
        // The slice ends with this turn.
        setImmediate(() => (sliceOpen = false));
      }
      if (!spent()) {
        ran += 1;
        task();
        return;
      }
    }
    queue.push(task);
    schedule();
  };
}
