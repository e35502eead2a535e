import type { PageComparison, PageRun } from './drive.js';
import type { FanOutResult, ProbeFigures } from './fanout.js';

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
function printRows(rows: Array<Array<string | number>>): void {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${cells.map(line).join('\n')}`);
}

/** Prints the summary table of a run (what latest.json holds) after its log. */
export function printTable(r: {
  page?: Record<'anonymous' | 'anonymousUncached' | 'signedIn', PageComparison>;
  mixed?: PageRun & { hitRate: number; votes: number };
  search?: PageRun;
  fanOut?: Record<'oneThread' | 'manyThreads', FanOutResult>;
  writes?: PageRun & { drift: number };
  settings: { writeRate: number };
  dataset: { loadSeconds: number };
  totalSeconds: number;
}): void {
  const run = (name: string, x: PageRun, note: string) => [
    name,
    x.requestsPerSecond,
    x.p50,
    x.p99,
    x.errors,
    `${x.cpu.process} + ${x.cpu.postgres} + ${x.cpu.driver}`,
    note,
  ];
  const rows: Array<Array<string | number>> = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'cores (node + pg + bench)', 'service / floor'],
  ];
  const names = { anonymous: 'anonymous, cached', anonymousUncached: 'anonymous, cache off', signedIn: 'signed in' };
  for (const mode of r.page ? (['anonymous', 'anonymousUncached', 'signedIn'] as const) : []) {
    const { service, floor, throughputRatio, p99Ratio, medianThroughputRatio } = r.page![mode];
    const ratios = `req/s ${throughputRatio}× (median ${medianThroughputRatio}×), p99 ${p99Ratio}×`;
    rows.push(run(`page ${names[mode]}: service`, service, ratios));
    rows.push(run(`page ${names[mode]}: floor`, floor, ''));
  }
  if (r.mixed) rows.push(run('pages + 1% votes, cached', r.mixed, `hit rate ${r.mixed.hitRate}%`));
  if (r.search) rows.push(run('search (8 connections)', r.search, ''));
  if (r.writes) rows.push(run(`votes (${r.settings.writeRate}/s offered)`, r.writes, `drift ${r.writes.drift}`));
  if (rows.length > 1) printRows(rows);
  const fan: Array<Array<string | number>> = [
    [
      'fan-out',
      'watchers',
      'votes',
      'p50 ms',
      'p99 ms',
      'max ms',
      'missed',
      'KiB/watcher',
      'bad sockets',
      'votes p99',
      'loop p99 idle → during',
      'other votes p99 idle → during',
      'other pages p99 idle → during',
    ],
  ];
  const idleDuring = (f: FanOutResult, figure: keyof ProbeFigures) =>
    f.idle && f.during ? `${f.idle[figure]} → ${f.during[figure]}` : '';
  for (const [name, f] of Object.entries(r.fanOut ?? {})) {
    const { p50, p99, max } = f.latencyMs;
    fan.push([
      name,
      f.watchers,
      f.votes,
      p50,
      p99,
      max,
      f.missed,
      f.rssPerWatcherKiB,
      f.socketFailures,
      f.votesMs.p99,
      idleDuring(f, 'loopDelayP99Ms'),
      idleDuring(f, 'votesP99Ms'),
      idleDuring(f, 'pagesP99Ms'),
    ]);
  }
  if (fan.length > 1) printRows(fan);
  console.log(`\nload ${r.dataset.loadSeconds} s, total ${r.totalSeconds} s; details in bench/results/latest.json`);
}
