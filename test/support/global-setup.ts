import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Jest loads global setup as CommonJS without its module mapper, so this import names the source file.
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.ts';

declare global {
  var embeddedTestDatabase: { server: EmbeddedDatabase; dataDir: string } | undefined;
}

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set, else an embedded one in a fresh
 * temporary folder. Each test file then makes its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'thread-test-pg-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const server = await startEmbeddedDatabase(dataDir);
  globalThis.embeddedTestDatabase = { server, dataDir };
  process.env.TEST_DATABASE_URL = server.url;
}
