import type { Database } from '../db/database.js';
import type { Post } from '../../entities/post.entity.js';
import { BadUserInputError } from '../errors/index.js';
import {
  afterCondition,
  decodeCursor,
  orderBy,
  toPage,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';
import { postReadColumns, type PostReader, type PostReadRow } from '../db/rows.js';

/** One search result: the post, its cursor, and where it matches (see `snippet`). */
export interface SearchEdge {
  cursor: string;
  node: Post;
  /** HTML-escaped text of the post (a question: title, then body) with the matched words in <mark>. */
  snippet: string;
}

/** A page of search results: a page of posts whose edges also carry a snippet. */
export interface SearchPage extends Omit<Page<Post>, 'edges'> {
  edges: SearchEdge[];
}

/** Longest query accepted, in characters. */
export const maxQueryLength = 500;

/**
 * Best match first. ts_rank_cd's rank is a float: it is normalized into 0..1 (flag 32, same order)
 * and kept as an integer of billionths, so a cursor holds it exactly and the next page compares
 * the very value it was sorted by. The post id breaks ties.
 */
export const searchOrdering: Ordering = {
  name: 'RELEVANCE',
  keys: [
    { column: 'rank', property: 'rank', descending: true, type: 'integer' },
    { column: 'id', property: 'rowId', descending: false, type: 'integer' },
  ],
};

const tsquery = `websearch_to_tsquery('french_unaccent', $1)`;

/** The searched text, HTML-escaped before ts_headline so the only markup in its output is its own <mark>. */
const escapedText = `replace(replace(replace(replace(concat_ws(chr(10), p.title, p.body),
  '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')`;

/** Up to two extracts around the matches (fragments keep the text before an early match). */
const headlineOptions =
  'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=10, FragmentDelimiter=" … "';

/**
 * "les" is missing from PostgreSQL's French stop list, and the stemmer turns it into "le": it would
 * match nearly every post. Spelled as "le", a listed stop word, it is dropped while a quoted phrase
 * keeps its word distances.
 */
const les = /(?<![\p{L}\p{N}_])l[eèéêë]s(?![\p{L}\p{N}_])/giu;

/**
 * The query as searched: NFC, white space (and NUL, which PostgreSQL text cannot hold) collapsed,
 * "les" made a stop word. Longer than `maxQueryLength` gives BAD_USER_INPUT on `query`.
 */
export function normalizeQuery(query: string): string {
  const normalized = query.normalize('NFC').replaceAll('\0', ' ').replace(/\s+/gu, ' ').trim();
  const length = [...normalized].length;
  if (length > maxQueryLength) {
    throw new BadUserInputError(`query must be at most ${maxQueryLength} characters, got ${length}`, {
      field: 'query',
      rule: 'length',
      min: 0,
      max: maxQueryLength,
    });
  }
  return normalized.replace(les, 'le');
}

/** How many of the most recent matches a search ranks (see searchPage). */
export const maxRanked = 1000;

/** The ids and vectors of the `maxRanked` most recent matches when `when` holds, sorted by `id` descending. */
const recent = (when: string, id: string) => `(SELECT s.post_id, s.search_vector FROM post_search s
  WHERE s.search_vector @@ ${tsquery} AND ${when} ORDER BY ${id} DESC LIMIT ${maxRanked})`;

/**
 * Walking the ids down stops at the last match needed, quick while matches are common. PostgreSQL
 * estimates a phrase (a quoted one, or a hyphenated word) as common as its words together, far above
 * how often they stand side by side, and would walk every post for a rare one: a query that needs a
 * phrase (one in what the index can search, `querytree`, so not an excluded one) gathers every match
 * through the GIN index and sorts them instead (`+ 0` hides the id order). The test reads $1 alone,
 * so PostgreSQL plans only one branch to run.
 */
const hasPhrase = `strpos(querytree(${tsquery}), '<') > 0`;
const recentMatches = `${recent(`NOT ${hasPhrase}`, 's.post_id')} UNION ALL ${recent(hasPhrase, 's.post_id + 0')}`;

/**
 * A page of the posts (questions, answers, replies) that match `query` in websearch_to_tsquery
 * syntax ("quoted phrases", -exclusions, or), best match first among the `maxRanked` most recent
 * matches, with a highlighted snippet each. totalCount counts every match.
 * Deleted posts never match (deleting a post soft-deletes everything under it, see PostService).
 * One statement for the page, which also brings each post's author and the viewer's vote through
 * `reader`; the count runs only when asked for. A query without a searchable word (blank,
 * punctuation, stop words) gives an empty page.
 */
export async function searchPage(
  db: Database,
  reader: PostReader,
  args: PageArgs & { query: string },
): Promise<SearchPage> {
  const query = normalizeQuery(args.query);
  const scope = `search ${query}`;
  const params: unknown[] = [query, args.first + 1, reader.viewerId];
  let after = 'true';
  if (args.after != null) {
    params.push(...decodeCursor(searchOrdering, scope, args.after));
    after = afterCondition(searchOrdering, 'r', (i) => `$${i + 4}`);
  }
  if (query === '') return { edges: [], hasNextPage: false, hasPreviousPage: args.after != null, totalCount: 0 };
  const { select, join } = postReadColumns('$3');
  // Rank and cut the page on ids first; only the page's rows are then read whole and headlined.
  // Ranking reads every candidate's vector: a word found in most posts would rank them all, so only
  // the most recent `maxRanked` matches are ranked.
  const rows: Array<PostReadRow & { rank: number; snippet: string }> = await db.query(
    `SELECT ${select}, hit.rank,
            ts_headline('french_unaccent', ${escapedText}, ${tsquery}, '${headlineOptions}') AS snippet
       FROM (
         SELECT * FROM (
           SELECT c.post_id AS id, (ts_rank_cd(c.search_vector, ${tsquery}, 32) * 1e9)::integer AS rank
             FROM (${recentMatches}) c
         ) r
          WHERE ${after}
          ORDER BY ${orderBy(searchOrdering, 'r')}
          LIMIT $2
       ) hit
       JOIN post p ON p.id = hit.id
       ${join}
      ORDER BY ${orderBy(searchOrdering, 'hit')}`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM post_search s WHERE s.search_vector @@ ${tsquery}`,
      [query],
    );
    return total;
  };
  const page = toPage(searchOrdering, scope, rows, args, ({ rank, snippet, ...row }) => reader.read(row), count);
  return { ...page, edges: page.edges.map((edge, i) => ({ ...edge, snippet: rows[i].snippet })) };
}
