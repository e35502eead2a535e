import { describe, expect, it } from '@jest/globals';
import { PushQueue, type QueueConsumer } from '../src/realtime/queue.js';

/** A consumer that records what it is handed, and resumes the queue only when told. */
function recorder(queue: PushQueue<number>) {
  const seen: Array<number | 'end' | `failed: ${string}`> = [];
  const consumer: QueueConsumer<number> = {
    take: (item) => void seen.push(item),
    end: (error) => void seen.push(error === undefined ? 'end' : `failed: ${String(error)}`),
  };
  return { seen, consumer, done: () => queue.resume() };
}

describe('PushQueue consumed', () => {
  it('should hand over what waits, then each item as it is pushed, one at a time until the consumer resumes', () => {
    const queue = new PushQueue<number>(() => undefined);
    queue.push(1);
    queue.push(2);
    const { seen, consumer, done } = recorder(queue);
    queue.consume(consumer);
    expect(seen).toEqual([1]);
    expect(queue.takesAtOnce).toBe(false);
    queue.push(3);
    expect(queue.length).toBe(2);
    done();
    expect(seen).toEqual([1, 2]);
    done();
    done();
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.takesAtOnce).toBe(true);
    queue.push(4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('should skip the stale items and end once the items before the end are taken', () => {
    let ended = 0;
    const queue = new PushQueue<number>(
      () => (ended += 1),
      (item) => item < 0,
    );
    const { seen, consumer, done } = recorder(queue);
    queue.consume(consumer);
    queue.push(1);
    queue.push(-2);
    queue.push(3);
    queue.stop();
    expect(ended).toBe(1);
    expect(seen).toEqual([1]);
    done();
    expect(seen).toEqual([1, 3]);
    done();
    expect(seen).toEqual([1, 3, 'end']);
    queue.push(5);
    done();
    expect(seen).toEqual([1, 3, 'end']);
  });

  it("should end with the producer's error, and hand nothing after the consumer returned", async () => {
    const failing = new PushQueue<number>(() => undefined);
    const failed = recorder(failing);
    failing.consume(failed.consumer);
    failing.stop(new Error('gone'));
    expect(failed.seen).toEqual(['failed: Error: gone']);

    const left = new PushQueue<number>(() => undefined);
    const leaving = recorder(left);
    left.consume(leaving.consumer);
    left.push(1);
    left.push(2);
    await left.return();
    leaving.done();
    left.push(3);
    expect(leaving.seen).toEqual([1]);
  });
});
