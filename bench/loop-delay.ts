import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/*
 * Preloaded into the service by the bench (`node --import`), in the primary and in every worker, so
 * the service's own code stays as deployed: measures this process's event-loop delay and, on
 * SIGUSR2, writes its p99 and max since the last SIGUSR2 to BENCH_LOOP_DELAY_DIR/<pid>.json.
 */
const folder = process.env.BENCH_LOOP_DELAY_DIR;
if (folder) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const figures = { at: Date.now(), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max) };
    writeFileSync(join(folder, `${process.pid}.json`), JSON.stringify(figures));
    delay.reset();
  });
}
