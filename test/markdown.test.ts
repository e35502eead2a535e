import { describe, expect, it } from '@jest/globals';

import { findMentionCandidates, renderBodyHTML } from '../src/content/markdown.js';

const REL = 'rel="nofollow noopener noreferrer"';

const mentionable: ReadonlyMap<string, string> = new Map([
  ['jean_philippe_ryo', 'Jean_Philippe_RYO'],
  ['claire', 'Claire'],
]);

/** Renders and checks that every link in the output carries the nofollow rel. */
function render(body: string): string {
  const html = renderBodyHTML(body, mentionable);
  const anchors = html.match(/<a\b[^>]*>/g) ?? [];
  for (const anchor of anchors) expect(anchor).toContain(REL);
  return html;
}

/** Every start tag in an HTML string (escaped text such as `&lt;img …&gt;` is not a tag). */
function tags(html: string): string[] {
  return html.match(/<[a-z][^>]*>/gi) ?? [];
}

/** The href values of every link in an HTML string. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
}

describe('findMentionCandidates', () => {
  it('returns mentioned usernames without the @, in order of first appearance', () => {
    expect(findMentionCandidates('Bonjour @claire et @Jean_Philippe_RYO, merci !')).toEqual([
      'claire',
      'Jean_Philippe_RYO',
    ]);
  });

  it('dedupes case-insensitively and keeps the first spelling', () => {
    expect(findMentionCandidates('@Claire puis @claire puis @CLAIRE et @bob_42')).toEqual(['Claire', 'bob_42']);
  });

  it('finds a mention followed by trailing punctuation', () => {
    expect(findMentionCandidates('Merci @Jean_Philippe_RYO.')).toEqual(['Jean_Philippe_RYO']);
    expect(findMentionCandidates('(@claire), @claire!')).toEqual(['claire']);
  });

  it('does not treat an email address as a mention', () => {
    expect(findMentionCandidates('Écrivez à jean@example.com')).toEqual([]);
  });

  it('ignores an @ glued to a word, a dot, a slash or another @', () => {
    expect(findMentionCandidates('abc@claire x.@claire /@claire @@claire _@claire')).toEqual([]);
  });

  it('ignores mentions in code spans and fenced or indented code blocks', () => {
    const body = 'Voir `@claire` ici\n\n```\n@claire\n```\n\n    @claire indenté\n\nmais @bob_42';
    expect(findMentionCandidates(body)).toEqual(['bob_42']);
  });

  it('ignores a run of name characters longer than 30 instead of truncating it', () => {
    expect(findMentionCandidates(`@${'a'.repeat(31)}`)).toEqual([]);
    expect(findMentionCandidates(`@${'a'.repeat(30)}`)).toEqual(['a'.repeat(30)]);
  });

  it('ignores names shorter than 3 characters', () => {
    expect(findMentionCandidates('@ab @abc')).toEqual(['abc']);
  });

  it('ignores @name inside URLs and link text', () => {
    expect(findMentionCandidates('https://x.y/@claire www.x.org/@claire [@claire](https://x.y)')).toEqual([]);
  });
});

describe('renderBodyHTML mentions', () => {
  it('links a known mention to the canonical profile and keeps the spelling as written', () => {
    expect(render('Merci @jean_philippe_ryo.')).toBe(
      `<p>Merci <a ${REL} href="/users/Jean_Philippe_RYO" class="mention">@jean_philippe_ryo</a>.</p>\n`,
    );
  });

  it('leaves an unknown mention such as @ruchequiditoui as plain text', () => {
    const html = render('Bravo @ruchequiditoui et @Claire');
    expect(html).toContain('Bravo @ruchequiditoui et ');
    expect(html).toContain(`<a ${REL} href="/users/Claire" class="mention">@Claire</a>`);
    expect(html).not.toContain('/users/ruchequiditoui');
  });

  it('does not link mentions in code spans or code blocks', () => {
    const html = render('`@claire`\n\n```\n@claire\n```');
    expect(html).not.toContain('class="mention"');
    expect(html).toContain('<code>@claire</code>');
  });

  it('does not touch @name inside a URL or an existing link', () => {
    const html = render('https://x.y/@claire et [@claire](https://x.y/z)');
    expect(html).not.toContain('class="mention"');
    expect(hrefs(html)).toEqual(['https://x.y/@claire', 'https://x.y/z']);
  });

  it('does not link an email address as a mention', () => {
    const html = render('claire@example.com');
    expect(html).not.toContain('class="mention"');
    expect(hrefs(html)).toEqual(['mailto:claire@example.com']);
  });
});

describe('renderBodyHTML links and line breaks', () => {
  it('links bare www. URLs with rel nofollow, leaving a trailing ellipsis outside', () => {
    const html = render('Voir www.avise.org/annuaire-des-dispositifs/disposit... pour les dispositifs');
    expect(html).toContain(
      `<a ${REL} href="http://www.avise.org/annuaire-des-dispositifs/disposit">www.avise.org/annuaire-des-dispositifs/disposit</a>...`,
    );
  });

  it('links a bare domain with a path such as mouves.org/', () => {
    expect(hrefs(render('Le site mouves.org/ est utile'))).toEqual(['http://mouves.org/']);
    expect(hrefs(render('mouves.org/le-mouves/les-regions-du-mouves/midi...'))).toEqual([
      'http://mouves.org/le-mouves/les-regions-du-mouves/midi',
    ]);
  });

  it('links a bare URL in parentheses without swallowing the parentheses', () => {
    expect(render('Le réseau (www.lamiel.org) accompagne')).toContain(
      `(<a ${REL} href="http://www.lamiel.org">www.lamiel.org</a>)`,
    );
  });

  it('links URLs with a scheme', () => {
    expect(hrefs(render('Lien : https://x.y/z'))).toEqual(['https://x.y/z']);
  });

  it('turns single newlines into line breaks', () => {
    const html = render('ligne 1\nligne 2');
    expect(html).toMatch(/^<p>ligne 1<br \/>\nligne 2<\/p>/);
  });

  it('keeps ordinary Markdown formatting', () => {
    const html = render('# Titre\n\n**gras** *italique* ~~barré~~\n\n> citation\n\n- un\n- deux');
    for (const tag of ['<h1>', '<strong>', '<em>', '<s>', '<blockquote>', '<ul>', '<li>']) {
      expect(html).toContain(tag);
    }
  });
});

describe('renderBodyHTML sanitizing', () => {
  it('escapes a script tag instead of emitting it', () => {
    const html = render('<script>alert(1)</script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('emits no img tag and no onerror attribute for raw HTML images', () => {
    const html = render('<img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<img/i);
    for (const tag of tags(html)) expect(tag).not.toMatch(/\sonerror\s*=/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('emits no img tag for Markdown images and keeps them as plain links', () => {
    const html = render('![photo](https://x.y/p.png)');
    expect(html).not.toMatch(/<img/i);
    expect(hrefs(html)).toEqual(['https://x.y/p.png']);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](java&#x09;script:alert(1))',
    '[x](vbscript:msgbox(1))',
    '<javascript:alert(1)>',
  ])('produces no dangerous href for %s', (body) => {
    const html = render(body);
    for (const href of hrefs(html)) {
      expect(href).not.toMatch(/^\s*(java|vb)\s*(%09|&#x?0*9;?|\t)?\s*script|^\s*data:/i);
      expect(href).toMatch(/^(https?:|mailto:|\/[^/\\])/i);
    }
    for (const tag of tags(html)) expect(tag).not.toMatch(/script:|data:/i);
  });

  it('drops protocol-relative and path-relative hrefs but keeps site-relative ones', () => {
    expect(hrefs(render('[a](//evil.example) [b](foo/bar) [c](/users/Claire)'))).toEqual(['/users/Claire']);
  });

  it('keeps mailto links', () => {
    expect(hrefs(render('<mailto:contact@example.org>'))).toEqual(['mailto:contact@example.org']);
  });

  it('puts rel nofollow noopener noreferrer on every link', () => {
    const html = render('@claire https://x.y [a](https://a.b) <https://c.d> www.e.org x@y.fr');
    const anchors = html.match(/<a\b[^>]*>/g) ?? [];
    expect(anchors).toHaveLength(6);
    for (const anchor of anchors) expect(anchor).toContain(REL);
  });

  it('emits no style, event handler or non-mention class attributes', () => {
    const html = render('| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```js\ncode\n```');
    for (const tag of tags(html)) expect(tag).not.toMatch(/\s(style|on\w+|class)\s*=/i);
    expect(html).toContain('<table>');
  });
});
