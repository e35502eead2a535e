import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { gql, percentiles, voteMutation } from './client.js';
import { rssKiB } from './proc.js';

const watchQuery = `subscription Watch($questionId: ID!) { scoreChanged(questionId: $questionId) { score post { id score } } }`;

/** One vote to cast: UP on `targetId` (a post of thread `thread`) as the holder of `token`. */
export interface FanOutVote {
  thread: number;
  targetId: string;
  token: string;
}

/** A fan-out scenario: `watchers[i]` sockets on thread `threads[i]`, then rounds of votes. */
export interface FanOutPlan {
  graphqlUrl: string;
  servicePid: number;
  /** Global ids of the watched questions. */
  threads: string[];
  watchersPerThread: number;
  /** Unmeasured: one vote per thread, to know every watcher is subscribed before measuring. */
  ready: FanOutVote[];
  /** Measured rounds; the votes of a round go out together, a round starts once the last one is delivered. */
  rounds: FanOutVote[][];
  log: (line: string) => void;
}

export interface FanOutResult {
  watchers: number;
  threads: number;
  votes: number;
  /** Sockets that did not open or subscribe, or closed before the end. */
  socketFailures: number;
  /** Watchers that did not get the unmeasured first event within the wait. */
  notReady: number;
  /** From each vote's HTTP response to each watcher's receipt of its event, in ms (0 when it came first). */
  latencyMs: { p50: number; p99: number; max: number };
  /** Events expected (watchers × votes on their thread) but never received. */
  missed: number;
  /** Events received that no vote of the round explains (duplicates and strays). */
  unexpected: number;
  voteErrors: string[];
  rssBeforeMiB: number;
  rssWithWatchersMiB: number;
  rssPerWatcherKiB: number;
  openSeconds: number;
}

interface Watcher {
  socket: WebSocket;
  thread: number;
  /** Event key (`postId:score`) → time of receipt. */
  received: Map<string, number>;
  failed: boolean;
  unexpected: number;
}

/** Opens one graphql-transport-ws socket and subscribes; resolves once the subscribe message is sent. */
function openWatcher(wsUrl: string, questionId: string, thread: number, onEvent: (key: string) => void) {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
  const watcher: Watcher = { socket, thread, received: new Map(), failed: false, unexpected: 0 };
  const subscribed = new Promise<Watcher>((done) => {
    const fail = () => {
      watcher.failed = true;
      done(watcher);
    };
    socket.on('error', fail);
    socket.on('close', fail);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data: Buffer) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as {
        type: string;
        payload?: { data?: { scoreChanged?: { score: number; post: { id: string } } } };
      };
      if (message.type === 'next') {
        const change = message.payload?.data?.scoreChanged;
        const key = change ? `${change.post.id}:${change.score}` : 'error';
        if (watcher.received.has(key)) watcher.unexpected += 1;
        else watcher.received.set(key, at);
        onEvent(key);
      } else if (message.type === 'connection_ack') {
        const payload = { query: watchQuery, variables: { questionId } };
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }), () => done(watcher));
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'error' || message.type === 'complete') {
        fail();
      }
    });
  });
  return subscribed;
}

/**
 * Runs one fan-out scenario: opens the watchers in batches of `batch`, casts the unmeasured
 * readiness votes and waits for them, reads the server's RSS, then casts each round and waits up
 * to `waitMs` for its delivery. Closes every socket before returning.
 */
export async function runFanOut(plan: FanOutPlan, batch = 500, waitMs = 15_000): Promise<FanOutResult> {
  const wsUrl = plan.graphqlUrl.replace(/^http/, 'ws');
  const counts = new Map<string, number>();
  const onEvent = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const rssBefore = rssKiB(plan.servicePid);
  const watchers: Watcher[] = [];
  const opening = performance.now();
  try {
    const total = plan.threads.length * plan.watchersPerThread;
    for (let start = 0; start < total; start += batch) {
      const opened = Array.from({ length: Math.min(batch, total - start) }, (_, i) => {
        const thread = (start + i) % plan.threads.length;
        return openWatcher(wsUrl, plan.threads[thread], thread, onEvent);
      });
      watchers.push(...(await Promise.all(opened)));
    }
    const openSeconds = (performance.now() - opening) / 1000;
    plan.log(`  ${watchers.length} watchers open in ${openSeconds.toFixed(1)} s`);
    const voteErrors: string[] = [];

    /** Casts the votes together; waits until each thread's watchers have all got its events. */
    const castRound = async (votes: FanOutVote[]) => {
      const cast = await Promise.all(
        votes.map(async (vote) => {
          const response = await gql<{ vote: { id: string; score: number } }>(
            plan.graphqlUrl,
            voteMutation,
            { input: { targetId: vote.targetId, value: 'UP' } },
            vote.token,
          );
          const respondedAt = performance.now();
          if (!response.data?.vote) voteErrors.push(JSON.stringify(response.errors));
          return {
            ...vote,
            respondedAt,
            key: response.data ? `${response.data.vote.id}:${response.data.vote.score}` : '',
          };
        }),
      );
      const deadline = performance.now() + waitMs;
      const done = () => cast.every(({ key }) => (counts.get(key) ?? 0) >= plan.watchersPerThread);
      while (!done() && performance.now() < deadline) await sleep(10);
      return cast;
    };

    const ready = await castRound(plan.ready);
    const notReady = watchers.filter((w) => !ready.some((v) => v.thread === w.thread && w.received.has(v.key))).length;
    await sleep(500);
    const rssWith = rssKiB(plan.servicePid);
    plan.log(
      `  ready (${notReady} not ready); server RSS ${(rssBefore / 1024).toFixed(0)} → ${(rssWith / 1024).toFixed(0)} MiB`,
    );

    const measured = [];
    for (const round of plan.rounds) measured.push(...(await castRound(round)));
    await sleep(1000);
    const latencies: number[] = [];
    let missed = 0;
    for (const watcher of watchers) {
      for (const vote of measured.filter((v) => v.thread === watcher.thread)) {
        const at = watcher.received.get(vote.key);
        if (at === undefined) missed += 1;
        else latencies.push(Math.max(0, at - vote.respondedAt));
      }
    }
    const explained = new Set([...ready, ...measured].map((vote) => vote.key));
    const unexpected = watchers.reduce(
      (sum, w) => sum + w.unexpected + [...w.received.keys()].filter((key) => !explained.has(key)).length,
      0,
    );
    return {
      watchers: watchers.length,
      threads: plan.threads.length,
      votes: measured.length,
      socketFailures: watchers.filter((w) => w.failed).length,
      notReady,
      latencyMs: percentiles(latencies),
      missed,
      unexpected,
      voteErrors,
      rssBeforeMiB: Math.round(rssBefore / 1024),
      rssWithWatchersMiB: Math.round(rssWith / 1024),
      rssPerWatcherKiB: Math.round(((rssWith - rssBefore) / watchers.length) * 10) / 10,
      openSeconds: Math.round(openSeconds * 10) / 10,
    };
  } finally {
    for (const watcher of watchers) watcher.socket.terminate();
  }
}
