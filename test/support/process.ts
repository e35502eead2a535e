import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { bearer, postGraphql } from './harness.js';

const main = new URL('../../dist/src/main.js', import.meta.url);

/** The service running as its own process. */
export interface ServiceProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port/graphql */
  url: string;
  /** Its log lines so far. */
  lines: string[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running: ChildProcess[] = [];

/**
 * Runs `npm start`'s program (the build of src/main.ts) on loopback with `env` on top of this
 * process's environment (where `undefined` removes a variable), and waits until it listens.
 */
export async function startService(env: Record<string, string | undefined>): Promise<ServiceProcess> {
  if (!existsSync(main)) throw new Error('dist/src/main.js is missing: npm test builds it first (npm run build)');
  const merged: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [main.pathname], { env: merged, stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  const lines: string[] = [];
  const url = await new Promise<string>((listening, fail) => {
    child.once('exit', (code) => fail(new Error(`exited with ${code} before listening:\n${lines.join('\n')}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const graphql = /"graphql":"([^"]+)"/.exec(line)?.[1];
      if (graphql) listening(graphql);
    });
  });
  return {
    child,
    url,
    lines,
    stop: (signal = 'SIGTERM') => {
      const exited = new Promise<number | null>((done) => child.once('exit', done));
      child.kill(signal);
      return exited;
    },
  };
}

/** Kills every service process still running (for afterAll). */
export function killServices(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Posts a query to a service's /graphql URL, as `token` when given, and gives its data (no errors allowed). */
export async function postTo<T>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const { data, errors } = await postGraphql(url, { query, variables }, bearer(token));
  if (errors !== undefined) throw new Error(`the operation failed: ${JSON.stringify(errors)}`);
  return data as T;
}

/** How a service process that was expected to stop by itself ended. */
export interface EndedProcess {
  code: number | null;
  /** Its stderr, line by line. */
  lines: string[];
  /** Milliseconds from spawn to exit. */
  ms: number;
}

/** Runs `npm start`'s program like {@link startService} and resolves when it exits by itself. */
export async function runUntilExit(env: Record<string, string | undefined>, script = main): Promise<EndedProcess> {
  const merged: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const started = Date.now();
  const child = spawn(process.execPath, [script.pathname], { env: merged, stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  const lines: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  return { code, lines, ms: Date.now() - started };
}
