import { readFile, writeFile } from 'node:fs/promises';
import { createRealtime } from './realtime/pubsub.js';
import { buildThreadSchema, printSortedSchema } from './schema.js';

/** Writes schema/schema.graphql from the resolver classes; with --check, fails when it is stale instead. */
const path = new URL('../../schema/schema.graphql', import.meta.url);
const printed = printSortedSchema(await buildThreadSchema((await createRealtime()).pubsub));
if (process.argv.includes('--check')) {
  if ((await readFile(path, 'utf8')) !== printed) {
    console.error('schema/schema.graphql is stale: run npm run schema');
    process.exit(1);
  }
} else {
  await writeFile(path, printed);
  console.log(`wrote ${path.pathname}`);
}
