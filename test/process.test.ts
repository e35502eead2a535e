import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const main = new URL('../dist/src/main.js', import.meta.url);
const leftovers: ChildProcess[] = [];
let dataDir: string;

interface Started {
  child: ChildProcess;
  url: string;
  lines: string[];
}

/** Runs `npm start`'s program (the build of src/main.ts) on loopback, and waits until it listens. */
async function start(): Promise<Started> {
  if (!existsSync(main)) throw new Error('dist/src/main.js is missing: npm test builds it first (npm run build)');
  const { DATABASE_URL: _external, ...inherited } = process.env;
  const env = { ...inherited, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [main.pathname], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  leftovers.push(child);
  const lines: string[] = [];
  const url = await new Promise<string>((listening, fail) => {
    child.once('exit', (code) => fail(new Error(`exited with ${code} before listening:\n${lines.join('\n')}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const graphql = /"graphql":"([^"]+)"/.exec(line)?.[1];
      if (graphql) listening(graphql);
    });
  });
  return { child, url, lines };
}

async function stop({ child }: Started, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  child.kill(signal);
  return exited;
}

async function questionsOf(url: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ questions { totalCount nodes { title score answerCount } } }' }),
  });
  return response.json();
}

afterAll(async () => {
  for (const child of leftovers) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the service process (npm start)', () => {
  it('should start on an embedded database with the demo thread, stop on SIGTERM, and find its data again', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'thread-start-'));
    await chmod(dataDir, 0o755);

    const first = await start();
    expect(first.lines.some((line) => line.includes('imported the demo thread'))).toBe(true);
    const before = await questionsOf(first.url);
    expect(before).toMatchObject({ data: { questions: { totalCount: 1, nodes: [{ score: 7, answerCount: 4 }] } } });
    const ready = await fetch(first.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await stop(first, 'SIGTERM')).toBe(0);

    const second = await start();
    expect(second.lines.some((line) => line.includes('imported the demo thread'))).toBe(false);
    expect(await questionsOf(second.url)).toEqual(before);
    expect(await stop(second, 'SIGINT')).toBe(0);
  }, 120_000);
});
