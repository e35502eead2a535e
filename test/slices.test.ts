import { describe, expect, it } from '@jest/globals';
import { deliveryLanes, type HandOut } from '../src/realtime/slices.js';

/** Keeps the thread busy for `ms`, as a task of real work would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** A hand-out to `count` listeners, each step running `onStep` with the listener's number. */
function handOutTo(count: number, onStep: (listener: number) => void): HandOut {
  let next = 0;
  return {
    step: () => {
      onStep(next++);
      return next < count;
    },
  };
}

/** A task to queue last, and a promise that settles once it ran. */
function lastTask(): { task: () => void; ran: Promise<void> } {
  let task = () => {};
  const ran = new Promise<void>((done) => (task = done));
  return { task, ran };
}

const nextTurn = () => new Promise((settle) => setImmediate(settle));

describe('deliveryLanes', () => {
  it('should write in order, in slices of its budget, letting others run between', async () => {
    const lanes = deliveryLanes({ budgetMs: 5 });
    const ran: string[] = [];
    const { task: lastRan, ran: allRan } = lastTask();
    for (let i = 0; i < 10; i++) lanes.write(() => (busy(2), ran.push(`write ${i}`)));
    lanes.write(lastRan);
    expect(ran).toEqual([]);
    setImmediate(() => setImmediate(() => ran.push('other')));
    await allRan;
    expect(ran.filter((entry) => entry.startsWith('write'))).toEqual(
      Array.from({ length: 10 }, (_, i) => `write ${i}`),
    );
    expect(ran.indexOf('other')).toBeGreaterThan(0);
    expect(ran.indexOf('other')).toBeLessThan(ran.length - 1);
  });

  it('should start again after the queue emptied', async () => {
    const lanes = deliveryLanes();
    const ran: number[] = [];
    await new Promise<void>((done) => lanes.write(() => done(void ran.push(1))));
    await new Promise<void>((done) => lanes.write(() => done(void ran.push(2))));
    expect(ran).toEqual([1, 2]);
  });

  it('should hand an event out at once when nothing waits, and queue those given after the budget is spent behind it', async () => {
    const lanes = deliveryLanes({ budgetMs: 5 });
    const ran: string[] = [];
    lanes.handOut(handOutTo(2, (listener) => ran.push(`a${listener}`)));
    expect(ran).toEqual(['a0', 'a1']);
    lanes.handOut(handOutTo(1, () => busy(6)));
    lanes.handOut(handOutTo(2, (listener) => ran.push(`b${listener}`)));
    lanes.handOut(handOutTo(1, (listener) => ran.push(`c${listener}`)));
    expect(ran).toEqual(['a0', 'a1']);
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual(['a0', 'a1', 'b0', 'b1', 'c0']);
  });

  it('should hand an event to more listeners only once the writes of those before went out', async () => {
    const lanes = deliveryLanes({ budgetMs: 1000, handOutsPerSlice: 2 });
    const ran: string[] = [];
    const { task: lastWritten, ran: allWritten } = lastTask();
    // Each listener's message is written a few promises after it was handed the event, as a watcher's is.
    lanes.handOut(
      handOutTo(5, (listener) => {
        ran.push(`hand ${listener}`);
        void Promise.resolve()
          .then(() => undefined)
          .then(() =>
            lanes.write(() => {
              ran.push(`write ${listener}`);
              if (listener === 4) lastWritten();
            }),
          );
      }),
    );
    await allWritten;
    expect(ran).toEqual([
      'hand 0',
      'hand 1',
      'write 0',
      'write 1',
      'hand 2',
      'hand 3',
      'write 2',
      'write 3',
      'hand 4',
      'write 4',
    ]);
  });
});
