import { rm } from 'node:fs/promises';

/** Stops the embedded PostgreSQL that the global setup started, if any, and removes its files. */
export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.embeddedTestDatabase;
  if (!embedded) return;
  await embedded.server.stop();
  await rm(embedded.dataDir, { recursive: true, force: true });
}
