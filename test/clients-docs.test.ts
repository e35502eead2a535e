import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

const page = readFileSync('docs/clients.md', 'utf8');

describe('docs/clients.md', () => {
  it.each([
    'test/clients/apollo-split.ts',
    'test/clients/urql.ts',
    'test/clients/urql-subscriptions.ts',
    'test/clients/apollo-http.ts',
    'test/clients/graphql-request.ts',
    'test/clients/fetch-sse.ts',
  ])('should show %s verbatim, the code its test runs', (file) => {
    expect(page).toContain('```ts\n' + readFileSync(file, 'utf8') + '```');
  });
});
