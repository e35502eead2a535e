import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { freePort } from '../src/db/embedded.js';

/* The bench's child processes, and what /proc says of their memory and CPU. */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** `pid` and every process it started, and they started (a cluster's workers). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]) ?? []));
  return tree;
}

/** The resident memory of process `pid` and its children, in KiB. */
export function rssKiB(pid: number): number {
  return processTree(pid).reduce((sum, member) => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
    return sum + (match ? Number(match[1]) : NaN);
  }, 0);
}

/** User + system CPU time of `pid` so far, in ticks; 0 once it is gone. */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving `database` on this machine (their title names it). */
function backendsOf(database: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `);
      } catch {
        return false;
      }
    });
}

/**
 * CPU used, in cores (1 = one core busy the whole time), by a process (with its children), by its
 * database's backends, and by the bench itself (the load generator shares the machine).
 */
export interface CpuUse {
  process: number;
  postgres: number;
  driver: number;
}

/** CPU ticks of `pids` since `before` gave theirs; a process that started meanwhile counts whole. */
function ticksSince(pids: readonly number[], before: ReadonlyMap<number, number>): number {
  return pids.reduce((sum, pid) => sum + Math.max(0, cpuTicks(pid) - (before.get(pid) ?? 0)), 0);
}

/** Starts measuring; the function returned gives the CPU used since. */
export function measureCpu(pid: number, database: string): () => CpuUse {
  const at = performance.now();
  const ticksOf = (pids: number[]) => new Map(pids.map((member) => [member, cpuTicks(member)]));
  const before = { process: ticksOf(processTree(pid)), postgres: ticksOf(backendsOf(database)) };
  const driverBefore = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - at) / 1000;
    const cores = (cpuSeconds: number) => Math.round((cpuSeconds / seconds) * 100) / 100;
    const { user, system } = process.cpuUsage(driverBefore);
    return {
      process: cores(ticksSince(processTree(pid), before.process) / ticksPerSecond),
      postgres: cores(ticksSince(backendsOf(database), before.postgres) / ticksPerSecond),
      driver: cores((user + system) / 1e6),
    };
  };
}

/** A child process serving HTTP. */
export interface Served {
  /** http://127.0.0.1:port */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** The node that runs the service and the floor: BENCH_NODE, or the bench's own. */
export const benchNode = process.env.BENCH_NODE ?? process.execPath;

/**
 * Spawns {@link benchNode} `<script>` with PORT set to a free port and resolves once it answers HTTP there
 * (`GET /readyz`, any status). Every line it prints goes to `output`; an exit we did not ask for
 * is logged. Its stop goes on `cleanups`.
 */
export async function spawnNode(
  script: string,
  env: Record<string, string>,
  output: string[],
  cleanups: Array<() => Promise<unknown>>,
  log: (line: string) => void,
  nodeArgs: readonly string[] = [],
): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(benchNode, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => line.trim() && output.push(line));
  }
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  cleanups.push(stop);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    output.push(`exited with code ${code}, signal ${signal}`);
    log(`${script} exited with code ${code}, signal ${signal}; its last lines:\n${output.slice(-10).join('\n')}`);
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before listening`);
    if (Date.now() > deadline) throw new Error(`${script} did not answer on ${url} within 60 s`);
    const answered = await fetch(`${url}/readyz`).then(
      (response) => response.arrayBuffer(),
      () => null,
    );
    if (answered !== null) return { url, pid: child.pid!, stop };
    await new Promise((done) => setTimeout(done, 100));
  }
}
