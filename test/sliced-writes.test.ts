import { describe, expect, it } from '@jest/globals';
import { slicedWrites } from '../src/http/fan-out.js';
import { slicedRunner } from '../src/realtime/slices.js';

describe('sliced writes', () => {
  it('should run the writes in order, at most a slice per turn of the event loop, letting others run between', async () => {
    const write = slicedWrites(3);
    const ran: string[] = [];
    let lastRan = () => {};
    const allRan = new Promise<void>((done) => (lastRan = done));
    for (let i = 0; i < 7; i++) write(() => ran.push(`write ${i}`));
    write(lastRan);
    expect(ran).toEqual([]);
    // Queued after the first slice was scheduled, so it runs after the first slice and before the second.
    setImmediate(() => ran.push('other'));
    await allRan;
    expect(ran).toEqual(['write 0', 'write 1', 'write 2', 'other', 'write 3', 'write 4', 'write 5', 'write 6']);
  });

  it('should start again after the queue emptied', async () => {
    const write = slicedWrites(2);
    const ran: number[] = [];
    await new Promise<void>((done) => write(() => done(void ran.push(1))));
    await new Promise<void>((done) => write(() => done(void ran.push(2))));
    expect(ran).toEqual([1, 2]);
  });
});

/** Keeps the thread busy for `ms`, as a task of real work would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('slicedRunner', () => {
  it('should end a slice once its budget of time is spent, letting others run before the rest', async () => {
    const run = slicedRunner({ budgetMs: 5 });
    const ran: string[] = [];
    let lastRan = () => {};
    const allRan = new Promise<void>((done) => (lastRan = done));
    for (let i = 0; i < 10; i++) run(() => (busy(2), ran.push(`task ${i}`)));
    run(lastRan);
    setImmediate(() => setImmediate(() => ran.push('other')));
    await allRan;
    expect(ran.filter((entry) => entry.startsWith('task'))).toEqual(Array.from({ length: 10 }, (_, i) => `task ${i}`));
    expect(ran.indexOf('other')).toBeGreaterThan(0);
    expect(ran.indexOf('other')).toBeLessThan(ran.length - 1);
  });

  it('should run a task at once when none waits, and queue those given after the budget is spent behind it', async () => {
    const run = slicedRunner({ budgetMs: 5, atOnce: true });
    const ran: number[] = [];
    run(() => ran.push(1));
    expect(ran).toEqual([1]);
    run(() => busy(6));
    run(() => ran.push(2));
    run(() => ran.push(3));
    expect(ran).toEqual([1]);
    await new Promise((settle) => setImmediate(settle));
    await new Promise((settle) => setImmediate(settle));
    expect(ran).toEqual([1, 2, 3]);
  });
});
