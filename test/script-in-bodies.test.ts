import { beforeAll, describe, expect, it } from '@jest/globals';
import { PostAnswerDocument } from '../schema/trusted-documents/graphql.js';
import type { ThreadIds, User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { expectStillServing, targetThread } from './support/hostile.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let ids: ThreadIds;
let bob: User;
beforeAll(async () => {
  server = await startTestServer();
  ({ bob, ids } = await targetThread(server));
});

/** Decodes the character references a browser would decode in an attribute value. */
function decodeEntities(value: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    colon: ':',
    tab: '\t',
    newline: '\n',
  };
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (entity, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return named[ref.toLowerCase()] ?? entity;
  });
}

/** What in a piece of HTML would run script in a browser: script-like tags, on* handlers, script URLs. */
function executable(html: string): string[] {
  const found: string[] = [];
  for (const [tag, name, attributes] of html.matchAll(/<([a-z][a-z0-9-]*)([^>]*)>/gi)) {
    if (/^(script|iframe|frame|object|embed|svg|math|style|link|meta|base|form|img)$/i.test(name)) found.push(tag);
    for (const [, attribute, , double, single, bare] of attributes.matchAll(
      /([^\s"'=/>]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
    )) {
      if (/^on/i.test(attribute)) found.push(tag);
      const value = [...decodeEntities(double ?? single ?? bare ?? '')]
        .filter((c) => c.codePointAt(0)! > 0x20)
        .join('');
      if (/^(href|src|action|formaction|xlink:href)$/i.test(attribute) && /^(javascript|vbscript|data):/i.test(value)) {
        found.push(tag);
      }
    }
  }
  return found;
}

describe('script in bodies', () => {
  it('should find what it looks for in a hand-written unsafe snippet', () => {
    expect(executable('<p><a href="jav&#x09;ascript:alert(1)">x</a><b onclick="x()">y</b><img src=x></p>')).toEqual([
      '<a href="jav&#x09;ascript:alert(1)">',
      '<b onclick="x()">',
      '<img src=x>',
    ]);
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '[x](javascript:alert(1))',
    '[x](jav&#x09;ascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](vbscript:msgbox(1))',
    '![x](javascript:alert(1))',
    '<javascript:alert(1)>',
    '<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</p>',
  ])('should give back %j in bodyHTML with nothing executable, and keep serving', async (body) => {
    const answer = await server.gql(PostAnswerDocument, { input: { questionId: ids.question, body } }, bob.token);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.postAnswer.body).toBe(body);
    expect(executable(answer.data!.postAnswer.bodyHTML)).toEqual([]);
    await expectStillServing(server, ids);
  });
});
