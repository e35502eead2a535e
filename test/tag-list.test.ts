import { beforeAll, describe, expect, it } from '@jest/globals';
import { TagQuestionsDocument, TagsDocument, type TagsQuery } from '../schema/trusted-documents/graphql.js';
import { ask } from './support/actions.js';
import type { Response } from './support/harness.js';
import { asker, server, usePagesServer } from './support/pages.js';

usePagesServer();

describe('tags', () => {
  beforeAll(async () => {
    await ask(server, asker, {
      title: 'Innovation sociale, premier exemple',
      tags: ['innovation', 'innovation-sociale', 'inclusion'],
    });
    await ask(server, asker, {
      title: 'Innovation sociale, second exemple',
      tags: ['Innovation', 'innovation-sociale'],
    });
    await ask(server, asker, { title: 'Innovation, troisième exemple', tags: ['innovation', 'innovateur'] });
    await ask(server, asker, { title: 'Une question sur les outils innovants', tags: ['innovant', 'innobox'] });
  });

  it('should autocomplete a prefix, most used first, ties by name', async () => {
    const response = await server.gql(TagsDocument, { prefix: 'inno' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.tags.nodes.map(({ name, questionCount }) => ({ name, questionCount }))).toEqual([
      { name: 'innovation', questionCount: 3 },
      { name: 'innovation-sociale', questionCount: 2 },
      { name: 'innobox', questionCount: 1 },
      { name: 'innovant', questionCount: 1 },
      { name: 'innovateur', questionCount: 1 },
    ]);
    expect(response.data!.tags.totalCount).toBe(5);
    const upper = await server.gql(TagsDocument, { prefix: ' INNOVATION' });
    expect(upper.data?.tags.nodes.map((node) => node.name)).toEqual(['innovation', 'innovation-sociale']);
  });

  it('should treat % and _ in a prefix as themselves', async () => {
    for (const prefix of ['%', '_', 'inno%', 'inn_v']) {
      const response = await server.gql(TagsDocument, { prefix });
      expect({ prefix, tags: response.data?.tags }).toEqual({
        prefix,
        tags: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
      });
    }
  });

  it('should walk the tags of a prefix in pages, each once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: Response<TagsQuery> = await server.gql(TagsDocument, { prefix: 'inno', first: 2, after });
      expect(response.errors).toBeUndefined();
      seen.push(...response.data!.tags.nodes.map((node) => node.name));
      after = response.data!.tags.pageInfo.endCursor;
      if (!response.data!.tags.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['innovation', 'innovation-sociale', 'innobox', 'innovant', 'innovateur']);
  });

  it('should give a tag by name, whatever the case, with its questions', async () => {
    const response = await server.gql(TagQuestionsDocument, { name: 'INNOVATION-Sociale', orderBy: 'NEWEST' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.tag).toMatchObject({
      name: 'innovation-sociale',
      questionCount: 2,
      questions: {
        totalCount: 2,
        nodes: [{ title: 'Innovation sociale, second exemple' }, { title: 'Innovation sociale, premier exemple' }],
      },
    });
    expect((await server.gql(TagQuestionsDocument, { name: 'innovation-inconnue' })).data).toEqual({ tag: null });
  });
});
