import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AskQuestionDocument, ThreadPageDocument, VoteDocument } from '../schema/trusted-documents/graphql.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { wsUrl } from './support/ws.js';
import { waitFor } from './support/wait.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's section under `heading`, up to the next `## `. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The first fenced block of `language` in `text`. */
function codeBlock(text: string, language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text);
  if (!match) throw new Error(`no ${language} block`);
  return match[1];
}

type Free = Record<string, unknown>;

/**
 * Runs a README snippet as written: its `import … from` lines become the modules' exports (a path
 * `./` is the repository's root), and its free variables (`token`, `page`, `show`) are given.
 * Returns what `result` names in it.
 */
async function runSnippet(code: string, free: Free, result: string): Promise<unknown> {
  const bound: Free = { ...free };
  const body: string[] = [];
  for (const line of code.split('\n')) {
    const imported = /^import (?:(\w+)|\{ ([\w, ]+) \}) from '([^']+)';/.exec(line);
    if (!imported) {
      body.push(line);
      continue;
    }
    const module = (await import(imported[3].replace(/^\.\//, '../'))) as Free;
    if (imported[1]) bound[imported[1]] = module.default;
    for (const name of imported[2]?.split(',').map((each) => each.trim()) ?? []) bound[name] = module[name];
  }
  const run = new Function(...Object.keys(bound), `${body.join('\n')}\nreturn ${result};`) as (
    ...values: unknown[]
  ) => unknown;
  return run(...Object.values(bound));
}

/** The environment variables the service reads, found in src/ as `env.NAME` or `env: 'NAME'`. */
function variablesReadBySource(): Set<string> {
  const names = new Set<string>();
  const root = new URL('../src/', import.meta.url).pathname;
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const [, name] of source.matchAll(/\benv(?:\.|: '|\[')([A-Z][A-Z0-9_]+)/g)) names.add(name);
  }
  return names;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("the README's Watching a thread", () => {
  it('should run as written and show each vote since the page once, in order, with its cursor', async () => {
    const asker = await server.signUp();
    const input = { title: 'Comment attirer des entrepreneurs ?', body: 'Bonjour', tags: ['reseau'] };
    const asked = await server.gql(AskQuestionDocument, { input }, asker.token);
    const questionId = asked.data!.askQuestion.id;
    const page = (await server.gql(ThreadPageDocument, { id: questionId })).data!.question!;
    const vote = async () => {
      const voter = await server.signUp();
      const { data } = await server.gql(VoteDocument, { input: { targetId: questionId, value: 'UP' } }, voter.token);
      return data!.vote.score;
    };
    // Committed after the page was read and before the subscription: the hand-off must deliver it.
    const between = await vote();
    const shown: Array<{ cursor: string; kind: string; postId: string; score: number }> = [];
    const code = codeBlock(section('Watching a thread'), 'js').replace(
      'ws://localhost:4000/graphql',
      wsUrl(server.url),
    );
    const show = (event: (typeof shown)[number]) => shown.push(event);
    const reload = () => {
      throw new Error('the page cursor was refused as expired');
    };
    const client = (await runSnippet(code, { token: asker.token, page, show, reload }, 'client')) as {
      dispose(): Promise<void>;
    };
    try {
      await waitFor(() => shown.length > 0);
      const after = await vote();
      await waitFor(() => shown.at(-1)?.score === after);
      expect(shown.every((event) => event.kind === 'SCORE_CHANGED' && event.postId === questionId)).toBe(true);
      expect(shown.map((event) => event.score)).toEqual([between, after]);
      expect(new Set(shown.map((event) => event.cursor)).size).toBe(shown.length);
    } finally {
      await client.dispose();
    }
  });
});

describe("the README's Configuration", () => {
  it('should list every environment variable that src/ reads', () => {
    const listed = section('Configuration');
    const read = [...variablesReadBySource()];
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !listed.includes(`\`${name}\``))).toEqual([]);
  });
});
