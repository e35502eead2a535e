import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from './support/process.js';
import { leave, startService } from './support/servers.js';

let dataDir: string;

async function questionsOf(url: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ questions { totalCount nodes { title score answerCount } } }' }),
  });
  return response.json();
}

/** The service on its own embedded database in `dataDir`. */
function start(): Promise<ServiceProcess> {
  return startService({ DATABASE_URL: undefined, DATA_DIR: dataDir });
}

describe('the service process (npm start)', () => {
  it('should start on an embedded database with the demo thread, stop on SIGTERM, and find its data again', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'thread-start-'));
    leave(() => rm(dataDir, { recursive: true, force: true }));
    await chmod(dataDir, 0o755);

    const first = await start();
    expect(first.lines.some((line) => line.includes('imported the demo thread'))).toBe(true);
    const before = await questionsOf(first.url);
    expect(before).toMatchObject({ data: { questions: { totalCount: 1, nodes: [{ score: 7, answerCount: 4 }] } } });
    const ready = await fetch(first.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start();
    expect(second.lines.some((line) => line.includes('imported the demo thread'))).toBe(false);
    expect(await questionsOf(second.url)).toEqual(before);
    expect(await second.stop('SIGINT')).toBe(0);
  }, 120_000);
});
