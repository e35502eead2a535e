import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { gql, percentiles, voteMutation } from './client.js';
import type { ProbeTimes } from './probe-worker.js';
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
  /** What else is asked of the service, idle and while the rounds are delivered. */
  probe?: Probe;
}

/** Requests unrelated to the watched threads (see probe-worker.ts), and the service's event-loop delay. */
export interface Probe {
  /** Starts a loop of votes on a thread nobody watches and one of uncached pages of another. */
  start(): void;
  /** Stops both loops; each request's time. */
  stop(): Promise<ProbeTimes>;
  /** The highest event-loop delay p99 of the service's processes since the last call, in ms. */
  loopDelayP99(): Promise<number>;
  /** Ends the probe's thread. */
  close(): Promise<void>;
}

/** What the probe saw over a stretch of time: p99s in ms. */
export interface ProbeFigures {
  loopDelayP99Ms: number;
  votesP99Ms: number;
  pagesP99Ms: number;
  votes: number;
  pages: number;
}

/** Runs `probe`'s votes and pages until `during` settles. */
async function probeWhile<T>(probe: Probe, during: () => Promise<T>): Promise<{ result: T; figures: ProbeFigures }> {
  await probe.loopDelayP99();
  probe.start();
  let outcome: { result: T; loopDelayP99Ms: number };
  try {
    const result = await during();
    outcome = { result, loopDelayP99Ms: await probe.loopDelayP99() };
  } catch (error) {
    await probe.stop();
    throw error;
  }
  const { votes, pages } = await probe.stop();
  return {
    result: outcome.result,
    figures: {
      loopDelayP99Ms: outcome.loopDelayP99Ms,
      votesP99Ms: percentiles(votes).p99,
      pagesP99Ms: percentiles(pages).p99,
      votes: votes.length,
      pages: pages.length,
    },
  };
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
  /** From sending each measured vote to its HTTP response, in ms. */
  votesMs: { p50: number; p99: number; max: number };
  /** Events expected (watchers × votes on their thread) but never received. */
  missed: number;
  /** Events received that no vote of the round explains (duplicates and strays). */
  unexpected: number;
  voteErrors: string[];
  rssBeforeMiB: number;
  rssWithWatchersMiB: number;
  rssPerWatcherKiB: number;
  openSeconds: number;
  /** The probe with the watchers open and no event, then while the rounds are delivered. */
  idle?: ProbeFigures;
  during?: ProbeFigures;
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
          const sentAt = performance.now();
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
            sentAt,
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

    const castAll = async () => {
      const cast = [];
      for (const round of plan.rounds) cast.push(...(await castRound(round)));
      return cast;
    };
    const idle = plan.probe && (await probeWhile(plan.probe, () => sleep(3000))).figures;
    const probed = plan.probe ? await probeWhile(plan.probe, castAll) : undefined;
    const measured = probed ? probed.result : await castAll();
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
      votesMs: percentiles(measured.map((vote) => vote.respondedAt - vote.sentAt)),
      missed,
      unexpected,
      voteErrors,
      rssBeforeMiB: Math.round(rssBefore / 1024),
      rssWithWatchersMiB: Math.round(rssWith / 1024),
      rssPerWatcherKiB: Math.round(((rssWith - rssBefore) / watchers.length) * 10) / 10,
      openSeconds: Math.round(openSeconds * 10) / 10,
      idle,
      during: probed?.figures,
    };
  } finally {
    for (const watcher of watchers) watcher.socket.terminate();
  }
}
