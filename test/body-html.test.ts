import { describe, expect, it } from '@jest/globals';
import { answer, ask } from './support/actions.js';
import { alice, bob, questionSnapshot, REL, server, startTags, usePostsServer } from './support/posts.js';

usePostsServer();

describe('bodyHTML', () => {
  it('should render Markdown', async () => {
    const question = await ask(server, alice, { body: '**gras** et *italique*' });
    expect(question.bodyHTML).toBe('<p><strong>gras</strong> et <em>italique</em></p>\n');
  });

  it('should never give a script tag, an img tag or a javascript: link', async () => {
    const question = await ask(server, alice, { body: '<script>alert(1)</script>' });
    expect(startTags(question.bodyHTML)).toEqual(['<p>']);
    expect(question.bodyHTML).not.toMatch(/<script/i);
    const image = await answer(server, bob, question.id, '<img src=x onerror=alert(1)>');
    expect(startTags(image.bodyHTML)).toEqual(['<p>']);
    expect(image.bodyHTML).not.toMatch(/<img/i);
    const link = await answer(server, bob, question.id, '[x](javascript:alert(1))');
    expect(link.bodyHTML).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(startTags(link.bodyHTML).filter((tag) => tag.startsWith('<a'))).toEqual([]);
  });

  it('should link a bare www address with rel nofollow noopener noreferrer', async () => {
    const question = await ask(server, alice, { body: "Voir www.avise.org/annuaire pour l'annuaire." });
    expect(startTags(question.bodyHTML)).toEqual(['<p>', `<a ${REL} href="http://www.avise.org/annuaire">`]);
    expect(question.bodyHTML).toContain('>www.avise.org/annuaire</a>');
  });

  it("should link an existing user's @username and list them in mentions; an unknown @nobody stays text", async () => {
    const question = await ask(server, alice, { body: 'Merci @carol_posts et @nobody !' });
    expect(question.bodyHTML).toBe(
      `<p>Merci <a ${REL} href="/users/Carol_posts" class="mention">@carol_posts</a> et @nobody !</p>\n`,
    );
    expect(question.mentions).toEqual([{ username: 'Carol_posts' }]);
  });

  it('should give the body back exactly as written', async () => {
    const body = '  Première ligne  \n\n* un point\n*   deux\n\n```\ncode  \n```\n\n';
    const question = await ask(server, alice, { body });
    expect(question.body).toBe(body);
    expect((await questionSnapshot(question.id)).body).toBe(body);
  });
});
