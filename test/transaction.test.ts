import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Database, Transaction } from '../src/db/database.js';
import { openDatabase } from '../src/db/data-source.js';
import { createTestDatabase, leave } from './support/servers.js';

let db: Database;

beforeAll(async () => {
  const database = await createTestDatabase();
  db = await openDatabase({ url: database.url });
  leave(() => db.destroy());
  await db.query('CREATE TABLE lock_probe (id integer PRIMARY KEY)');
  await db.query('INSERT INTO lock_probe VALUES (1), (2)');
});

describe('Database.transaction', () => {
  it('should run again a transaction that a prepared statement found deadlocked, so both writers succeed', async () => {
    const attempts = { a: 0, b: 0 };
    let firstLocks = 0;
    let bothLocked: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothLocked = resolve));
    const lock = (m: Transaction, id: number) => m.prepared('SELECT id FROM lock_probe WHERE id = $1 FOR UPDATE', [id]);
    const writer = (name: 'a' | 'b', first: number, second: number) =>
      db.transaction(async (m) => {
        attempts[name] += 1;
        await lock(m, first);
        if (attempts[name] === 1) {
          if ((firstLocks += 1) === 2) bothLocked();
          await barrier;
        }
        await lock(m, second);
        return name;
      });

    await expect(Promise.all([writer('a', 1, 2), writer('b', 2, 1)])).resolves.toEqual(['a', 'b']);
    // PostgreSQL aborted one of them (40P01, raised by pg itself, not wrapped by TypeORM); it ran again.
    expect(attempts.a + attempts.b).toBe(3);
  });
});
