/** Parser for the scraped French Q&A thread in seed-thread.txt (beside this module), used as demo data. */

export interface SeedPost {
  author: string;
  body: string;
  score: number;
}

export interface SeedAnswer extends SeedPost {
  replies: SeedPost[];
}

export interface SeedThread {
  question: { body: string; tagLine: string; score: number; followerCount: number };
  answers: SeedAnswer[];
}

/**
 * The scraped text does not say which posts are answers and which are replies. The page listed
 * each answer followed by its replies in date order, so we decided that the posts at these 1-based
 * positions (Jean_Philippe_RYO, RomainChambonnier, the first oimoci post, SandrineBARBOTIN) are
 * the answers and every other post replies to the nearest answer before it. This only holds for
 * exactly EXPECTED_POST_COUNT posts, so any other count is rejected.
 */
const ANSWER_POSITIONS: ReadonlySet<number> = new Set([1, 3, 5, 16]);
const EXPECTED_POST_COUNT = 16;

const QUESTION_END = 'Merci !';
const HEADER = /^il y a \d+ \S+ par (\S+)$/;
const INTEGER = /^-?\d+$/;
const ANSWER_COUNT_LINE = /^\d+ réponses?$/;

const isBlank = (line: string): boolean => line.trim() === '';

/** Joins lines into a body, dropping leading and trailing blank lines; throws if nothing is left. */
function bodyOf(lines: string[], what: string): string {
  const start = lines.findIndex((line) => !isBlank(line));
  const end = lines.findLastIndex((line) => !isBlank(line));
  if (start < 0) {
    throw new Error(`Seed thread: ${what} has an empty body`);
  }
  return lines.slice(start, end + 1).join('\n');
}

function integerOf(line: string | undefined, what: string): number {
  if (line === undefined || !INTEGER.test(line)) {
    throw new Error(`Seed thread: expected ${what} as an integer line, found ${JSON.stringify(line)}`);
  }
  return Number(line);
}

function expectBlank(line: string | undefined, what: string): void {
  if (line === undefined || !isBlank(line)) {
    throw new Error(`Seed thread: expected a blank line ${what}, found ${JSON.stringify(line)}`);
  }
}

/**
 * Parses the seed thread text into its question and its answers with their replies.
 *
 * Bodies are kept exactly as written (inner blank lines included), minus leading and trailing
 * blank lines; `\r\n` is normalized to `\n`. Each post's score is its last integer-only line, and
 * everything after the last integer-only line of the text (the site footer) is ignored.
 *
 * @throws Error if the text does not have the expected layout or does not hold exactly 16 posts.
 */
export function parseSeedThread(text: string): SeedThread {
  const lines = text.replace(/\r\n/g, '\n').split('\n');

  const questionEnd = lines.indexOf(QUESTION_END);
  if (questionEnd < 0) {
    throw new Error(`Seed thread: no "${QUESTION_END}" line ending the question`);
  }
  const [blankAfterBody, tagLine, scoreLine, followerLine, blankAfterCounts, answerCountLine] = lines.slice(
    questionEnd + 1,
    questionEnd + 7,
  );
  expectBlank(blankAfterBody, 'after the question body');
  if (tagLine === undefined || isBlank(tagLine)) {
    throw new Error('Seed thread: missing the tag line after the question body');
  }
  const question = {
    body: bodyOf(lines.slice(0, questionEnd + 1), 'the question'),
    tagLine,
    score: integerOf(scoreLine, 'the question score'),
    followerCount: integerOf(followerLine, 'the question follower count'),
  };
  expectBlank(blankAfterCounts, 'after the follower count');
  if (answerCountLine === undefined || !ANSWER_COUNT_LINE.test(answerCountLine)) {
    throw new Error(`Seed thread: expected "N réponses", found ${JSON.stringify(answerCountLine)}`);
  }

  const postsStart = questionEnd + 7;
  const headers: { line: number; author: string }[] = [];
  lines.forEach((line, index) => {
    const match = index >= postsStart ? HEADER.exec(line) : null;
    if (match?.[1] !== undefined) headers.push({ line: index, author: match[1] });
  });
  const firstHeader = headers[0];
  if (firstHeader === undefined) {
    throw new Error('Seed thread: no post header ("il y a … par <Author>") found');
  }
  if (!lines.slice(postsStart, firstHeader.line).every(isBlank)) {
    throw new Error('Seed thread: unexpected text between "N réponses" and the first post');
  }
  if (headers.length !== EXPECTED_POST_COUNT) {
    throw new Error(
      `Seed thread: expected ${EXPECTED_POST_COUNT} posts, found ${headers.length}; ` +
        'the answer positions no longer apply',
    );
  }
  // The footer starts right after the last integer-only line of the text.
  const postsEnd = lines.findLastIndex((line) => INTEGER.test(line)) + 1;

  const posts = headers.map(({ line, author }, i): SeedPost => {
    const what = `post ${i + 1} (${author})`;
    const content = lines.slice(line + 1, headers[i + 1]?.line ?? postsEnd);
    const scoreIndex = content.findLastIndex((bodyLine) => !isBlank(bodyLine));
    const score = integerOf(content[scoreIndex], `the score of ${what}`);
    return { author, body: bodyOf(content.slice(0, scoreIndex), what), score };
  });

  const answers: SeedAnswer[] = [];
  posts.forEach((post, i) => {
    if (ANSWER_POSITIONS.has(i + 1)) {
      answers.push({ ...post, replies: [] });
    } else {
      const answer = answers.at(-1);
      if (answer === undefined) throw new Error(`Seed thread: post ${i + 1} precedes every answer`);
      answer.replies.push(post);
    }
  });

  return { question, answers };
}
