import { beforeAll, expect } from '@jest/globals';
import {
  PostScoreDocument,
  ReputationDocument,
  VoteDocument,
  type VoteValue,
} from '../../schema/trusted-documents/graphql.js';
import { signUpMany, type User } from './actions.js';
import type { TestServer } from './harness.js';
import { rowIdOf } from './ids.js';
import { startTestServer } from './servers.js';

/*
 * The shared setup of the vote suites: one server a file, a crowd of voters, and the reads that
 * check a vote: the post as a viewer sees it, its author's reputation and its stored rows.
 */

/** The file's server, started by `useVoteServer`. */
export let server: TestServer;
/** Users who only ever vote (so their reputation stays 0): sign-ups are slow, so they are shared. */
export let crowd: User[];

/** Starts `server` and signs a crowd of `crowdSize` voters up before the file's tests. */
export function useVoteServer(crowdSize: number): void {
  beforeAll(async () => {
    server = await startTestServer();
    crowd = await signUpMany(server, crowdSize);
  });
}

export function vote(user: User | null, targetId: string, value: VoteValue) {
  return server.gql(VoteDocument, { input: { targetId, value } }, user?.token);
}

/** The post as `viewer` (or an anonymous reader) sees it. */
export async function read(id: string, viewer?: User | null) {
  const result = await server.gql(PostScoreDocument, { id }, viewer?.token);
  expect(result.errors).toBeUndefined();
  const node = result.data!.node;
  if (node === null || !('score' in node)) return null;
  return node;
}

export async function reputationOf(user: User): Promise<number> {
  const result = await server.gql(ReputationDocument, { username: user.username });
  expect(result.errors).toBeUndefined();
  return result.data!.user!.reputation;
}

/** The vote rows of a post, as stored. */
export async function voteRows(postId: string): Promise<{ count: number; sum: number }> {
  const [row]: Array<{ count: number; sum: number }> = await server.db.query(
    'SELECT count(*)::integer AS count, coalesce(sum(value), 0)::integer AS sum FROM vote WHERE post_id = $1',
    [rowIdOf(postId)],
  );
  return row;
}
