import { afterAll } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type { Database } from '../../src/db/database.js';
import type WebSocket from 'ws';
import * as harness from './harness.js';
import * as processes from './process.js';
import * as ws from './ws.js';

/*
 * The harness's servers, databases, sockets and processes, each registered as a leftover when made
 * and all disposed of in one afterAll, newest first (a server closes before its database drops), so
 * a test file writes no cleanup of its own. One that fails does not keep the others: the afterAll
 * fails with the first error once all were tried.
 */

type Dispose = () => unknown;

const leftovers: Dispose[] = [];
afterAll(async () => {
  const errors: unknown[] = [];
  while (leftovers.length > 0) {
    try {
      await leftovers.pop()!();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
});

/** Disposes of `dispose`'s resource after the file, with the rest: for what this module does not make. */
export function leave(dispose: Dispose): void {
  leftovers.push(dispose);
}

/** {@link harness.startTestServer}, closed after the file. */
export async function startTestServer(options?: harness.ServeOptions): Promise<harness.TestServer> {
  const server = await harness.startTestServer(options);
  leave(() => server.close());
  return server;
}

/** {@link harness.serve}, closed after the file. */
export async function serve(db: Database, options?: harness.ServeOptions): ReturnType<typeof harness.serve> {
  const served = await harness.serve(db, options);
  leave(() => served.close());
  return served;
}

/** {@link harness.createTestDatabase}, dropped after the file. */
export async function createTestDatabase(): ReturnType<typeof harness.createTestDatabase> {
  const database = await harness.createTestDatabase();
  leave(() => database.drop());
  return database;
}

/** {@link ws.wsClient}, disposed of after the file. */
export function wsClient(...args: Parameters<typeof ws.wsClient>): Client {
  const client = ws.wsClient(...args);
  leave(() => client.dispose());
  return client;
}

/** {@link ws.rawSocket}, terminated after the file. */
export function rawSocket(httpUrl: string): WebSocket {
  const socket = ws.rawSocket(httpUrl);
  leave(() => socket.terminate());
  return socket;
}

/** {@link processes.startService}, killed after the file if it still runs. */
export async function startService(env: Record<string, string | undefined>): Promise<processes.ServiceProcess> {
  const service = await processes.startService(env);
  leave(() => {
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  });
  return service;
}
