import { findDrift } from '../src/db/consistency.js';
import { globalId, typeOf, voteMutation } from './client.js';
import type { BenchContext } from './context.js';
import { prng, shape } from './dataset.js';
import { drive } from './drive.js';

/** Writes: 1,000 votes/s offered on 100 posts by 1,000 signed-in users (none of them an author). */
export async function measureWrites({ db, tokens, service, databaseName, serviceOutput, settings, log }: BenchContext) {
  const { seconds, warmupSeconds, writeRate, writers, votedPosts } = settings;
  const targetsRows: Array<{ id: number; kind: keyof typeof typeOf }> = await db.query(
    `SELECT id, kind FROM post WHERE author_id > $1 ORDER BY md5(id::text) LIMIT $2`,
    [writers, votedPosts],
  );
  const targetIds = targetsRows.map((row) => globalId(typeOf[row.kind], row.id));
  const random = prng(shape.seed + 2);
  const values = ['UP', 'DOWN', 'NONE'];
  const voteRequest = () => ({
    body: JSON.stringify({
      query: voteMutation,
      variables: {
        input: {
          targetId: targetIds[Math.floor(random() * targetIds.length)],
          value: values[Math.floor(random() * values.length)],
        },
      },
    }),
    headers: { authorization: `Bearer ${tokens.get(1 + Math.floor(random() * writers))}` },
  });
  log(`writes: ${writeRate} votes/s offered for ${warmupSeconds} s + ${seconds} s`);
  // Warmed up as the pages are: the vote path's first second (compiling, reading 1,000 sessions) is not its rate.
  await drive(service, databaseName, warmupSeconds, 100, voteRequest, writeRate);
  const writeOutputBefore = serviceOutput.length;
  const writeRun = await drive(service, databaseName, seconds, 100, voteRequest, writeRate);
  const writeDrift = await findDrift(db);
  log(
    `  ${writeRun.requestsPerSecond} votes/s, p99 ${writeRun.p99} ms, ${writeRun.errors} errors, drift ${writeDrift.length}; ` +
      `service ${writeRun.cpu.process} + postgres ${writeRun.cpu.postgres} + bench ${writeRun.cpu.driver} cores`,
  );

  return {
    offeredPerSecond: writeRate,
    ...writeRun,
    drift: writeDrift.length,
    driftExamples: writeDrift.slice(0, 10),
    serviceOutput: serviceOutput.slice(writeOutputBefore, writeOutputBefore + 5),
  };
}
