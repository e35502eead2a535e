import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globalId, typeOf } from './client.js';
import type { BenchContext } from './context.js';
import { runFanOut, type FanOutPlan, type FanOutVote, type Probe } from './fanout.js';
import { processTree } from './proc.js';
import type { ProbeData, ProbeTimes } from './probe-worker.js';
import { Worker } from 'node:worker_threads';

/** The fan-out scenarios (bench/fanout.ts runs one): who votes on what, the probe, a fresh service each. */
export async function measureFanOut(bench: BenchContext) {
  const { db, tokens, loopDelayDir, log } = bench;
  const { writers } = bench.settings;

  // Voters are signed-in users who have not voted on the target and did not write it.
  const pickVoters = async (postIds: number[]): Promise<number[]> => {
    const taken = new Set<number>();
    const chosen: number[] = [];
    for (const postId of postIds) {
      const rows: Array<{ user: number }> = await db.query(
        `SELECT u AS "user" FROM generate_series(1, $2::integer) u
          WHERE u <> (SELECT author_id FROM post WHERE id = $1)
            AND NOT EXISTS (SELECT 1 FROM vote WHERE post_id = $1 AND user_id = u) ORDER BY u`,
        [postId, writers],
      );
      const user = rows.map((row) => row.user).find((u) => !taken.has(u))!;
      taken.add(user);
      chosen.push(user);
    }
    return chosen;
  };
  const threadPosts = async (questionId: number) => {
    const rows: Array<{ id: number; kind: 'answer' | 'reply' }> = await db.query(
      `SELECT id, kind FROM post WHERE question_id = $1 ORDER BY kind, id`,
      [questionId],
    );
    return rows;
  };
  const votesOn = async (targets: Array<{ thread: number; postId: number; kind: keyof typeof typeOf }>) => {
    const voters = await pickVoters(targets.map((t) => t.postId));
    return targets.map((t, i): FanOutVote => ({
      thread: t.thread,
      targetId: globalId(typeOf[t.kind], t.postId),
      token: tokens.get(voters[i])!,
    }));
  };

  /** The highest event-loop delay p99 of `pid`'s processes since the last read (bench/loop-delay.ts). */
  const loopDelayP99 = async (pid: number): Promise<number> => {
    const since = Date.now();
    const tree = processTree(pid);
    for (const member of tree) process.kill(member, 'SIGUSR2');
    const p99s: number[] = [];
    for (const member of tree) {
      for (let tries = 0; tries < 200; tries++) {
        const figures = await readFile(join(loopDelayDir, `${member}.json`), 'utf8')
          .then((text) => JSON.parse(text) as { at: number; p99Ms: number })
          .catch(() => undefined);
        if (figures && figures.at >= since) {
          p99s.push(figures.p99Ms);
          break;
        }
        await new Promise((wait) => setTimeout(wait, 10));
      }
    }
    return Math.max(...p99s);
  };
  /** Votes (UP, then NONE) on a post of an unwatched thread, and its uncached (signed-in) page, from a thread of their own. */
  const probeOf = async (pid: number, serviceUrl: string, questionId: number): Promise<Probe> => {
    const [post] = await threadPosts(questionId);
    const [{ token }] = await votesOn([{ thread: 0, postId: post.id, kind: post.kind }]);
    const data: ProbeData = {
      serviceUrl,
      token,
      postId: globalId(typeOf[post.kind], post.id),
      questionId: globalId('Question', questionId + 1),
    };
    const worker = new Worker(new URL('./probe-worker.js', import.meta.url), { workerData: data });
    return {
      start: () => worker.postMessage('start'),
      stop: () =>
        new Promise<ProbeTimes>((stopped) => {
          worker.once('message', stopped);
          worker.postMessage('stop');
        }),
      loopDelayP99: () => loopDelayP99(pid),
      close: () => worker.terminate().then(() => undefined),
    };
  };

  // Each fan-out runs on a fresh service, so that its RSS before the watchers is a clean baseline.
  const fanOut = async (
    title: string,
    plan: Omit<FanOutPlan, 'graphqlUrl' | 'servicePid' | 'log' | 'probe'>,
    probeThread?: number,
  ) => {
    log(title);
    const fresh = await bench.startService();
    let probe: Probe | undefined;
    try {
      probe = probeThread === undefined ? undefined : await probeOf(fresh.pid, fresh.url, probeThread);
      const result = await runFanOut({ ...plan, graphqlUrl: fresh.url, servicePid: fresh.pid, log, probe });
      const { p50, p99 } = result.latencyMs;
      log(
        `  latency p50 ${p50} ms, p99 ${p99} ms; votes p99 ${result.votesMs.p99} ms; missed ${result.missed}, ${result.rssPerWatcherKiB} KiB/watcher`,
      );
      for (const [when, figures] of Object.entries({ idle: result.idle, during: result.during })) {
        if (!figures) continue;
        log(
          `  ${when}: event-loop delay p99 ${figures.loopDelayP99Ms} ms, unrelated votes p99 ${figures.votesP99Ms} ms (${figures.votes}), pages p99 ${figures.pagesP99Ms} ms (${figures.pages})`,
        );
      }
      return result;
    } finally {
      await probe?.close();
      await fresh.stop();
    }
  };

  const fanOutQuestion = 1;
  const posts1 = await threadPosts(fanOutQuestion);
  const oneThreadTargets = [...posts1.filter((p) => p.kind === 'answer'), ...posts1.filter((p) => p.kind === 'reply')]
    .slice(0, 20)
    .map((p) => ({ thread: 0, postId: p.id, kind: p.kind }));
  const oneThread = await fanOut(
    'fan-out: 10,000 watchers on one thread, 20 votes',
    {
      threads: [globalId('Question', fanOutQuestion)],
      watchersPerThread: 10_000,
      ready: await votesOn([{ thread: 0, postId: fanOutQuestion, kind: 'question' }]),
      rounds: (await votesOn(oneThreadTargets)).map((vote) => [vote]),
    },
    1000,
  );
  const tenThreads = Array.from({ length: 10 }, (_, i) => fanOutQuestion + 1 + i);
  const firstAnswers = await Promise.all(tenThreads.map(async (q) => (await threadPosts(q))[0]));
  const manyThreads = await fanOut('fan-out: 1,000 watchers on each of 10 threads, one vote each', {
    threads: tenThreads.map((q) => globalId('Question', q)),
    watchersPerThread: 1_000,
    ready: await votesOn(tenThreads.map((q, thread) => ({ thread, postId: q, kind: 'question' }))),
    rounds: [await votesOn(firstAnswers.map((p, thread) => ({ thread, postId: p.id, kind: p.kind })))],
  });
  return { oneThread, manyThreads };
}
