import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createRealtime, type Realtime } from '../src/realtime/pubsub.js';
import type { ThreadEventMessage } from '../src/realtime/topics.js';
import { createTestDatabase } from './support/harness.js';
import { waitFor } from './support/wait.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: pg.Client;
const errors: Error[] = [];
const realtimes: Realtime[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(realtimes.map((realtime) => realtime.close()));
  await admin?.end();
  await database?.drop();
});

/** Two processes' pub/sub, as two workers have them: each its own connections to one database. */
async function pair(): Promise<[Realtime, Realtime]> {
  const made = await Promise.all(
    [0, 1].map(() => createRealtime({ postgresUrl: database.url, onError: (error) => errors.push(error) })),
  );
  realtimes.push(...made);
  return made as [Realtime, Realtime];
}

const listeners = async () =>
  (
    await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN thread_api_pubsub'`,
    )
  ).rows.map((row) => row.pid);

const event = (questionId: number, seq: number): ThreadEventMessage => ({
  questionId,
  seq,
  kind: 'SCORE_CHANGED',
  postId: questionId,
  postKind: 'question',
  score: seq,
  at: new Date(0).toISOString(),
});

describe('pub/sub through PostgreSQL LISTEN/NOTIFY', () => {
  it("should hand one process's events to the other, in order, and to itself", async () => {
    const [a, b] = await pair();
    const heardByA: number[] = [];
    const heardByB: number[] = [];
    a.listenToThread(7).deliverTo((message) => heardByA.push(message.seq));
    b.listenToThread(7).deliverTo((message) => heardByB.push(message.seq));
    b.listenToThread(8).deliverTo(() => heardByB.push(-1));
    a.publishThreadEvents([1, 2, 3].map((seq) => event(7, seq)));
    a.publishThreadEvents([event(7, 4)]);
    await waitFor(() => heardByA.length === 4 && heardByB.length === 4);
    expect(heardByA).toEqual([1, 2, 3, 4]);
    expect(heardByB).toEqual([1, 2, 3, 4]);
  });

  it('should listen again after its connection is cut, and hear what is published from then on', async () => {
    const [a, b] = await pair();
    const heard: number[] = [];
    b.listenToThread(9).deliverTo((message) => heard.push(message.seq));
    const cut = await listeners();
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::integer[]) AS pid', [cut]);
    // Every process listens again, in new sessions.
    await waitFor(async () => {
      const now = await listeners();
      return now.length === cut.length && now.every((pid) => !cut.includes(pid));
    });
    a.publishThreadEvents([event(9, 1)]);
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual([1]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
