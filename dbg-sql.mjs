import { mkdtemp, chmod, rm } from 'node:fs/promises';
import pg from 'pg';
import { startEmbeddedDatabase } from './dist/src/db/embedded.js';
import { openDatabase } from './dist/src/db/data-source.js';
import { startServer } from './dist/src/http/server.js';
import { createLog } from './dist/src/log.js';
import { buildThreadSchema } from './dist/src/schema.js';
import { createApp } from './dist/src/context.js';
import { createRealtime } from './dist/src/realtime/pubsub.js';
import { loadDataset } from './dist/bench/dataset.js';
import { logIn, globalId, threadPageQuery, gql } from './dist/bench/client.js';
const dir = await mkdtemp('/tmp/dbgsql-'); await chmod(dir, 0o755);
const server = await startEmbeddedDatabase(dir);
const c = new pg.Client(server.url); await c.connect(); await c.query('CREATE DATABASE b'); await c.end();
const url = server.url.replace(/postgres$/, 'b');
const sql = [];
const db = await openDatabase({ url, onQuery: (s) => sql.push(s) });
try {
  await loadDataset(db, () => {});
  const realtime = createRealtime();
  const app = createApp(db, realtime, { sessionTtlSeconds: 3600 });
  const srv = await startServer({ app, schema: await buildThreadSchema(realtime.pubsub), log: createLog('silent'), port: 0, host: '127.0.0.1', nodeEnv: 'production' });
  const u = srv.url + '/graphql';
  const tokens = await logIn(u, [1], 1);
  for (const token of [undefined, tokens.get(1)]) {
    await gql(u, threadPageQuery, { id: globalId('Question', 5) }, token);
    sql.length = 0;
    const t = performance.now();
    await gql(u, threadPageQuery, { id: globalId('Question', 7) }, token);
    console.log(token ? 'SIGNED' : 'ANON', sql.length, 'statements', (performance.now()-t).toFixed(1), 'ms');
    for (const s of sql) console.log('  -', s.replace(/\s+/g, ' ').slice(0, 300));
  }
  // time per page in-process serial
  for (const token of [undefined, tokens.get(1)]) {
    const t = performance.now();
    for (let i = 0; i < 200; i++) await gql(u, threadPageQuery, { id: globalId('Question', 1 + (i * 7) % 2000) }, token);
    console.log(token ? 'SIGNED' : 'ANON', 'serial ms/page', ((performance.now()-t)/200).toFixed(2));
  }
  await srv.close(); 
} finally { await db.destroy(); await server.stop(); await rm(dir, { recursive: true, force: true }); }
