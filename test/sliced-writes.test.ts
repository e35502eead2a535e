import { describe, expect, it } from '@jest/globals';
import { slicedWrites } from '../src/http/fan-out.js';

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
