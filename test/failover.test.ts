import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import WebSocket from 'ws';
import { freePort } from '../src/db/embedded.js';
import { ThreadEventsDocument } from '../schema/trusted-documents/graphql.js';
import { killServices, postTo, type ServiceProcess } from './support/process.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { watchWithGraphqlWs, type ThreadEvent } from './support/resume-snippets.js';
import { startNginx, type Nginx } from './support/nginx.js';
import { createTestDatabase, leave, startService } from './support/servers.js';
import { waitFor } from './support/wait.js';
import { wsClient, wsUrl } from './support/ws.js';

/*
 * Three instances with Redis behind nginx, as deployed: watchers connect through nginx and resume
 * with the documented client code (test/support/resume-snippets.ts) while votes flow. An instance
 * killed outright, and then all of them restarted, must cost no watcher an event nor give one twice.
 */

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`Skipping the instance-loss test: no Redis answers at ${redisUrl} (set REDIS_URL).`);
const withRedis = redisUp ? it : it.skip;

const WATCHERS = 30;

let env: Record<string, string | undefined>;
let ports: number[];
let instances: ServiceProcess[];
let nginx: Nginx;

/** Starts the instance on `port`, seeding the demo thread when asked. */
function startInstance(port: number, seed = false): Promise<ServiceProcess> {
  return startService({ ...env, PORT: String(port), SEED_DEMO: String(seed) });
}

beforeAll(async () => {
  if (!redisUp) return;
  const database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    RATE_LIMIT_PREFIX: `failover-${randomBytes(4).toString('hex')}`,
    VOTES_PER_MINUTE: '100000',
    QUERY_COST_PER_MINUTE: '0',
  };
  ports = [await freePort(), await freePort(), await freePort()];
  // The first one migrates; the others then start on the ready database together.
  const first = await startInstance(ports[0]);
  instances = [first, ...(await Promise.all(ports.slice(1).map((port) => startInstance(port))))];
  nginx = await startNginx(ports);
  leave(() => nginx.close());
}, 90_000);
// An instance that never listened is no leftover yet: kill it too.
afterAll(killServices);

/** One watcher through nginx, counting its connections. */
interface Watcher {
  events: ThreadEvent[];
  errors: unknown[];
  connections: number;
}

function startWatchers(page: { id: string; eventCursor: string }): Watcher[] {
  return Array.from({ length: WATCHERS }, () => {
    const watcher: Watcher = { events: [], errors: [], connections: 0 };
    const options = {
      url: wsUrl(nginx.url),
      webSocketImpl: WebSocket,
      retryWait: () => new Promise<void>((wait) => setTimeout(wait, 100 + Math.random() * 400)),
      on: { connected: () => void (watcher.connections += 1) },
    };
    const stop = watchWithGraphqlWs(options, page, {
      event: (event) => void watcher.events.push(event),
      expired: () => void watcher.errors.push('cursorExpired'),
      error: (error) => void watcher.errors.push(error),
    });
    leave(stop);
    return watcher;
  });
}

/** Votes on the question through nginx until stopped, alternating UP and DOWN; failed votes are counted. */
function startVoting(questionId: string, token: string) {
  let running = true;
  let failed = 0;
  let votes = 0;
  const done = (async () => {
    for (let i = 0; running; i++) {
      await postTo(
        `${nginx.url}/graphql`,
        'mutation($id: ID!, $value: VoteValue!) { vote(input: { targetId: $id, value: $value }) { score } }',
        { id: questionId, value: i % 2 === 0 ? 'UP' : 'DOWN' },
        token,
      ).then(
        () => void (votes += 1),
        () => void (failed += 1),
      );
      await new Promise((tick) => setTimeout(tick, 20));
    }
  })();
  return {
    votes: () => votes,
    failed: () => failed,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Every event of the thread after `cursor`, replayed from the outbox by one instance. */
async function replay(instance: ServiceProcess, questionId: string, after: string, last: string) {
  const events: ThreadEvent[] = [];
  const client = wsClient(instance.url.replace('/graphql', ''));
  const stop = client.subscribe<{ threadEvents: ThreadEvent }>(
    { query: print(ThreadEventsDocument), variables: { questionId, after } },
    { next: ({ data }) => void (data && events.push(data.threadEvents)), error: () => undefined, complete: () => {} },
  );
  try {
    await waitFor(() => events.at(-1)?.cursor === last, 30_000);
  } finally {
    stop();
    await client.dispose();
  }
  return events.map((event) => event.cursor);
}

async function aThread(): Promise<{ page: { id: string; eventCursor: string }; voter: string }> {
  const signUp = (username: string) =>
    postTo<{ signUp: { token: string } }>(
      `${nginx.url}/graphql`,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      { input: { username, displayName: username, password: 'password123' } },
    ).then(({ signUp }) => signUp.token);
  const suffix = randomBytes(3).toString('hex');
  const asker = await signUp(`asker_${suffix}`);
  const { askQuestion } = await postTo<{ askQuestion: { id: string } }>(
    `${nginx.url}/graphql`,
    'mutation($input: AskQuestionInput!) { askQuestion(input: $input) { id } }',
    { input: { title: 'Que se passe-t-il quand un serveur tombe ?', body: 'Bonjour', tags: ['reseau'] } },
    asker,
  );
  const eventCursor = await cursorOf(askQuestion.id);
  return { page: { id: askQuestion.id, eventCursor }, voter: await signUp(`voter_${suffix}`) };
}

async function cursorOf(id: string): Promise<string> {
  const { question } = await postTo<{ question: { eventCursor: string } }>(
    `${nginx.url}/graphql`,
    'query($id: ID!) { question(id: $id) { eventCursor } }',
    { id },
  );
  return question.eventCursor;
}

/** Waits until every watcher holds the thread's events up to `last`, then gives each one's cursors. */
async function received(watchers: Watcher[], last: string): Promise<string[][]> {
  await waitFor(() => watchers.every((watcher) => watcher.events.at(-1)?.cursor === last), 30_000);
  // Anything more would be a duplicate arriving late.
  await new Promise((settle) => setTimeout(settle, 500));
  return watchers.map((watcher) => watcher.events.map((event) => event.cursor));
}

const pause = (ms: number) => new Promise((tick) => setTimeout(tick, ms));

describe('three instances with Redis behind nginx', () => {
  withRedis(
    'should resume every watcher of a killed instance on a survivor, with every event once and in order',
    async () => {
      const { page, voter } = await aThread();
      const watchers = startWatchers(page);
      await waitFor(() => watchers.every((watcher) => watcher.connections === 1), 30_000);
      const voting = startVoting(page.id, voter);
      await waitFor(() => voting.votes() >= 10, 30_000);

      await instances[1].stop('SIGKILL');
      await waitFor(() => voting.votes() >= 40, 60_000);
      await voting.stop();

      const last = await cursorOf(page.id);
      const everyEvent = await replay(instances[0], page.id, page.eventCursor, last);
      const got = await received(watchers, last);
      expect(got.filter((cursors) => cursors.join() !== everyEvent.join())).toEqual([]);
      // A vote lost with the instance may make its voter's next one change nothing: no event.
      expect(everyEvent.length).toBeGreaterThanOrEqual(voting.votes() - voting.failed());
      // nginx spread the watchers over the instances: those on the killed one came back through it.
      const reconnected = watchers.filter((watcher) => watcher.connections > 1).length;
      expect(reconnected).toBeGreaterThan(0);
      expect(reconnected).toBeLessThan(WATCHERS);
      expect(watchers.flatMap((watcher) => watcher.errors)).toEqual([]);
    },
    120_000,
  );

  withRedis(
    'should resume every watcher from its cursor when all instances stop and start again',
    async () => {
      instances[1] = await startInstance(ports[1]);
      const { page, voter } = await aThread();
      const watchers = startWatchers(page);
      await waitFor(() => watchers.every((watcher) => watcher.connections === 1), 30_000);
      const voting = startVoting(page.id, voter);
      await waitFor(() => voting.votes() >= 10, 30_000);

      await Promise.all(instances.map((instance) => instance.stop('SIGTERM')));
      const before = voting.votes();
      await pause(1000);
      instances = await Promise.all(ports.map((port) => startInstance(port)));
      await waitFor(() => voting.votes() >= before + 20, 60_000);
      await voting.stop();

      const last = await cursorOf(page.id);
      const everyEvent = await replay(instances[0], page.id, page.eventCursor, last);
      const got = await received(watchers, last);
      expect(got.filter((cursors) => cursors.join() !== everyEvent.join())).toEqual([]);
      expect(watchers.every((watcher) => watcher.connections > 1)).toBe(true);
      expect(watchers.flatMap((watcher) => watcher.errors)).toEqual([]);
    },
    120_000,
  );
});
