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
    'test/clients/trusted-fetch.ts',
    'test/clients/apollo-trusted.ts',
  ])('should show %s verbatim, the code its test runs', (file) => {
    expect(page).toContain('```ts\n' + readFileSync(file, 'utf8') + '```');
  });

  it("should show the trusted documents' part of codegen.yml verbatim, the one `npm run codegen` runs", () => {
    const codegen = readFileSync('codegen.yml', 'utf8');
    const trusted = codegen.slice(codegen.indexOf('  schema/trusted-documents/:'));
    expect(page).toContain('```yaml\ngenerates:\n' + trusted + '```');
  });
});
