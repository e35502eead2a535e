import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/data-source.js';
import { EventReads } from '../src/loaders/event.js';
import { createTestDatabase } from './support/harness.js';

describe('EventReads.answer', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase({ url: database.url, poolSize: 1 });
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('should compute an answer once per key whatever the number of askers, and give it synchronously once known', async () => {
    const reads = new EventReads(db);
    const computed: string[] = [];
    const compute = (key: string) => async () => (computed.push(key), key.length);
    const asked = Array.from({ length: 1000 }, () => reads.answer('postExists', compute('postExists')));
    expect(new Set(asked).size).toBe(1);
    expect(await asked[0]).toBe(10);
    expect(reads.answer('postExists', compute('postExists'))).toBe(10);
    expect(await reads.answer('moderator', compute('moderator'))).toBe(9);
    expect(computed).toEqual(['postExists', 'moderator']);
  });

  it('should give every asker the same rejection, computed once', async () => {
    const reads = new EventReads(db);
    let computed = 0;
    const failing = async () => {
      computed += 1;
      throw new Error('the read failed');
    };
    await expect(reads.answer('postExists', failing)).rejects.toThrow('the read failed');
    await expect(reads.answer('postExists', failing)).rejects.toThrow('the read failed');
    expect(computed).toBe(1);
  });
});
