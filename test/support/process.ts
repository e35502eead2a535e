import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

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
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors !== undefined) throw new Error(`the operation failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
