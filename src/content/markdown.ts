import MarkdownIt, { type Env, type StateCore, type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * `@name` where the name is 3–30 of `[A-Za-z0-9_]`, the `@` is not glued to a preceding word,
 * path, dotted name or `@`, and the whole run of name characters is taken (a longer run, or one
 * running on into an accented letter, is not a mention).
 */
const MENTION = /(?<![\p{L}\p{N}_./@])@([A-Za-z0-9_]{3,30})(?![\p{L}\p{N}_])/gu;

/** Per-call mention state, keyed by the markdown-it `env` object of that call. */
interface MentionContext {
  /** Lower-cased username → canonical spelling; absent when only collecting candidates. */
  readonly mentionable?: ReadonlyMap<string, string>;
  /** Every mention as written, in order, duplicates included. */
  readonly found: string[];
}

const contexts = new WeakMap<Env, MentionContext>();

/** Splits one text token into text and mention-link tokens; returns it alone if nothing links. */
function splitMentions(state: StateCore, token: Token, context: MentionContext): Token[] {
  const out: Token[] = [];
  const push = (type: string, tag: string, nesting: -1 | 0 | 1, content = ''): Token => {
    const node = new state.Token(type, tag, nesting);
    node.content = content;
    node.level = token.level;
    out.push(node);
    return node;
  };
  let last = 0;
  for (const match of token.content.matchAll(MENTION)) {
    const written = match[1];
    context.found.push(written);
    const canonical = context.mentionable?.get(written.toLowerCase());
    if (canonical === undefined) continue;
    if (match.index > last) push('text', '', 0, token.content.slice(last, match.index));
    push('link_open', 'a', 1).attrs = [
      ['href', `/users/${encodeURIComponent(canonical)}`],
      ['class', 'mention'],
    ];
    push('text', '', 0, match[0]);
    push('link_close', 'a', -1);
    last = match.index + match[0].length;
  }
  if (last === 0) return [token];
  if (last < token.content.length) push('text', '', 0, token.content.slice(last));
  return out;
}

/**
 * Core rule (runs last, after linkify and text_join): applies {@link splitMentions} to every text
 * token outside links. Code spans and code blocks are not text tokens, so they are never touched.
 */
function mentionRule(state: StateCore): void {
  const context = contexts.get(state.env);
  if (context === undefined) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue;
    let linkDepth = 0;
    block.children = block.children.flatMap((token) => {
      if (token.type === 'link_open') linkDepth += 1;
      if (token.type === 'link_close') linkDepth -= 1;
      return token.type === 'text' && linkDepth === 0 ? splitMentions(state, token, context) : [token];
    });
  }
}

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
// linkify-it 6 defaults fuzzyLink to false: without this, `www.x.org` and `x.org/` stay plain text.
md.linkify.set({ fuzzyLink: true });
// Images are not allowed: `![alt](url)` then reads as `!` followed by a plain link to the image.
md.disable('image');
md.core.ruler.push('mention', mentionRule);

const LINK_REL = 'nofollow noopener noreferrer';

/** http(s)/mailto URLs and site-relative paths (not `//host` or `/\host`); no whitespace. */
const SAFE_HREF = /^(?:https?:|mailto:|\/(?![/\\]))[^\s\p{Cc}]*$/iu;

/** Allowlist applied to markdown-it's output as defence in depth. */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'class', 'rel'] },
  allowedClasses: { a: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const safe: sanitizeHtml.Attributes = { rel: LINK_REL };
      if (attribs.href !== undefined && SAFE_HREF.test(attribs.href)) safe.href = attribs.href;
      if (attribs.class === 'mention') safe.class = 'mention';
      return { tagName, attribs: safe };
    },
  },
};

/**
 * The usernames mentioned as `@username` in a Markdown body, without the `@`, unique
 * case-insensitively (first spelling kept), in order of first appearance. Mentions in code spans,
 * code blocks and link text or URLs are ignored, so these are exactly the mentions
 * {@link renderBodyHTML} can link.
 */
export function findMentionCandidates(body: string): string[] {
  const env: Env = {};
  const context: MentionContext = { found: [] };
  contexts.set(env, context);
  md.parse(body, env);
  const seen = new Set<string>();
  return context.found.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Markdown body to sanitized HTML: no raw HTML, single newlines become `<br>`, bare URLs become
 * links, and mentions of users in `mentionable` (lower-cased username → canonical spelling) become
 * `<a href="/users/Canonical" class="mention">@AsWritten</a>`. Only http, https, mailto and
 * site-relative hrefs survive, and every link carries `rel="nofollow noopener noreferrer"`.
 */
export function renderBodyHTML(body: string, mentionable: ReadonlyMap<string, string>): string {
  const env: Env = {};
  contexts.set(env, { mentionable, found: [] });
  return sanitizeHtml(md.render(body, env), SANITIZE_OPTIONS);
}
