import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { gql, threadPageQuery, voteMutation } from './client.js';

/** What the probe asks of the service: votes on `postId` (UP, then NONE, …) and the page of `questionId`, as `token`. */
export interface ProbeData {
  serviceUrl: string;
  token: string;
  postId: string;
  questionId: string;
}

/** Each request's time from sending to its whole response, in ms. */
export interface ProbeTimes {
  votes: number[];
  pages: number[];
}

/*
 * The fan-out probe's loops, in a thread of their own: timed from the bench's main thread, whose
 * event loop reads the watchers' ten thousand messages an event, they measured that loop's delay as
 * much as the service's answer. 'start' starts a vote loop and four page loops, each pausing 20 ms
 * after a response; 'stop' ends them and posts their times.
 */
const { serviceUrl, token, postId, questionId } = workerData as ProbeData;
let running = false;
let loops: Array<Promise<void>> = [];
let times: ProbeTimes = { votes: [], pages: [] };
let up = false;
/** Page loops side by side: one gives too few pages in a fan-out's seconds for a p99 that holds from run to run. */
const pageLoops = 4;

const timed = async (request: () => Promise<unknown>, into: number[]) => {
  while (running) {
    const start = performance.now();
    await request();
    into.push(performance.now() - start);
    await sleep(20);
  }
};
const vote = () => {
  up = !up;
  return gql(serviceUrl, voteMutation, { input: { targetId: postId, value: up ? 'UP' : 'NONE' } }, token);
};
const page = () => gql(serviceUrl, threadPageQuery, { id: questionId }, token);

parentPort!.on('message', (message: 'start' | 'stop') => {
  if (message === 'start') {
    running = true;
    times = { votes: [], pages: [] };
    loops = [timed(vote, times.votes), ...Array.from({ length: pageLoops }, () => timed(page, times.pages))];
    return;
  }
  running = false;
  void Promise.all(loops).then(() => parentPort!.postMessage(times));
});
