import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { runUntilExit } from './support/process.js';
import { createTestDatabase, startService } from './support/servers.js';

const migrate = new URL('../dist/src/migrate.js', import.meta.url);

async function count(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>(sql)).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('several instances on one database', () => {
  it('should all become ready when three start at the same moment on an empty database, with one demo thread', async () => {
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, SEED_DEMO: 'true' };
    const instances = await Promise.all([startService(env), startService(env), startService(env)]);
    for (const instance of instances) {
      expect((await fetch(instance.url.replace('/graphql', '/readyz'))).status).toBe(200);
    }
    expect(await count(database.url, 'SELECT count(*) FROM post WHERE question_id IS NULL')).toBe(1);
    const imports = instances.filter((instance) => instance.lines.some((line) => line.includes('imported the demo')));
    expect(imports).toHaveLength(1);
  }, 120_000);

  it('should migrate with npm run migrate without serving, and skip migrating with MIGRATE=false', async () => {
    const database = await createTestDatabase();
    const skipped = await runUntilExit({ DATABASE_URL: database.url, MIGRATE: 'false', SEED_DEMO: 'true' });
    // Nothing migrated: the demo import finds no table.
    expect(skipped.code).toBe(1);
    expect(skipped.lines.join('\n')).toContain('relation \\"user\\" does not exist');

    const migrated = await runUntilExit({ DATABASE_URL: database.url }, migrate);
    expect(migrated.code).toBe(0);
    expect(migrated.lines.join('\n')).toContain('migrated the database');
    expect(await count(database.url, 'SELECT count(*) FROM migration')).toBeGreaterThan(0);

    const service = await startService({ DATABASE_URL: database.url, MIGRATE: 'false', SEED_DEMO: 'false' });
    expect(service.lines.join('\n')).not.toContain('migrated');
    expect((await fetch(service.url.replace('/graphql', '/readyz'))).status).toBe(200);
  }, 120_000);
});
