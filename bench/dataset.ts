import type { Database } from '../src/db/database.js';
import { hashPassword } from '../src/auth/password.js';
import { renderBodyHTML } from '../src/content/markdown.js';

/** The size of the synthetic forum. Post ids are laid out as questions, then answers, then replies. */
export const shape = {
  users: 5_000,
  tags: 200,
  questions: 2_000,
  answersPerQuestion: 10,
  repliesPerAnswer: 5,
  /** Distinct bodies, each rendered once; every post takes one of them at random. */
  bodies: 24_000,
  seed: 20_251_126,
  /** Every user's password. */
  password: 'bench-password',
};

const answers = shape.questions * shape.answersPerQuestion;
const replies = answers * shape.repliesPerAnswer;
const posts = shape.questions + answers + replies;
const firstAnswer = shape.questions + 1;
const firstReply = firstAnswer + answers;

/** Usernames are `user_00001` … : the row id is in the name. */
export const usernameOf = (userId: number): string => `user_${String(userId).padStart(5, '0')}`;

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `association bénévole budget citoyen collectif commune coopérative économie emploi énergie entreprise
  épargne équipe financement fondation habitant impact insertion jardin logement marché mécénat mutuelle numérique
  partenaire projet quartier réseau ressource salarié santé service société solidarité subvention territoire
  transition utilité ville village école élève famille région monnaie locale circuit court agriculture
  alimentation recyclage réemploi atelier vélo mobilité culture théâtre musique bibliothèque formation
  apprentissage accompagnement gouvernance statut sociétaire capital bilan comptable trésorerie prêt banque
  crédit investissement rentabilité bénéfice charge fiscalité déclaration contrat convention appel offre
  dossier réunion assemblée conseil bureau président trésorier secrétaire adhérent cotisation don legs
  été hiver printemps automne année mois semaine journée soirée matin début fin étape objectif résultat
  question réponse idée conseil exemple expérience difficulté solution problème avantage limite risque
  grand petit nouveau ancien premier dernier long court simple complexe utile nécessaire possible difficile
  important local national européen public privé social solidaire durable collectif humain juste clair
  faire avoir être pouvoir devoir vouloir savoir prendre donner trouver créer lancer gérer financer aider
  partager construire développer proposer organiser expliquer comprendre choisir recevoir demander répondre
  le la les un une des du de au aux ce cette ces notre votre leur mon ton son avec pour sans sous sur dans
  entre chez vers par mais ou et donc car ni puis ensuite aussi très plus moins bien mieux peu beaucoup
  déjà encore toujours jamais souvent parfois ici là même à côté après avant pendant depuis comme`
  .split(/\s+/)
  .filter(Boolean);

const FIRST_NAMES = `Amélie Bruno Camille Denis Élodie François Gaëlle Hélène Ingrid Jérôme Karine Léa Mathieu Noémie
  Olivier Pauline Quentin Rémi Sophie Thérèse Ulysse Valérie William Xavier Yasmine Zoé`.split(/\s+/);
const LAST_NAMES = `Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre
  Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont`.split(/\s+/);
const TAG_HEADS = `economie finance emploi habitat energie mobilite culture sante education alimentation
  agriculture numerique insertion gouvernance fiscalite droit financement territoire environnement recyclage`.split(
  /\s+/,
);
const TAG_TAILS =
  `sociale solidaire locale durable cooperative associative publique circulaire citoyenne partagee`.split(/\s+/);

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const between = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

function sentence(random: () => number): string {
  const words = Array.from({ length: between(random, 6, 16) }, () => pick(random, WORDS));
  if (random() < 0.15) words[between(random, 1, words.length - 1)] = `**${pick(random, WORDS)}**`;
  const text = words.join(' ');
  return text[0].toUpperCase() + text.slice(1) + (random() < 0.15 ? ' ?' : '.');
}

/** A Markdown body: 200–800 characters of French-like sentences in 1–3 paragraphs. */
function bodyOf(random: () => number): string {
  const length = between(random, 200, 800);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < length) {
    let paragraph = '';
    const target = Math.min(length - size, between(random, 150, 400));
    while (paragraph.length < target) paragraph += (paragraph ? ' ' : '') + sentence(random);
    paragraphs.push(paragraph);
    size += paragraph.length + 2;
  }
  const body = paragraphs.join('\n\n');
  return body.length > 800 ? body.slice(0, 799).trimEnd() + '.' : body;
}

function titleOf(random: () => number): string {
  const title = sentence(random).replace(/\.$/, ' ?').replaceAll('**', '');
  return title.length >= 10 ? title.slice(0, 200) : `${title} : comment faire ?`;
}

type Columns = Array<[name: string, type: string, values: unknown[]]>;

/** Inserts rows column-wise through `unnest`, `rows` at a time on two connections (PostgreSQL gets both cores). */
async function insert(db: Database, table: string, columns: Columns, rows = 10_000): Promise<void> {
  const count = columns[0][2].length;
  const names = columns.map(([name]) => name).join(', ');
  const overriding = columns.some(([name]) => name === 'id') ? 'OVERRIDING SYSTEM VALUE' : '';
  const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  let next = 0;
  const connection = async () => {
    for (let start = next; start < count; start = next) {
      next += rows;
      await db.query(
        `INSERT INTO ${table} (${names}) ${overriding} SELECT * FROM unnest(${unnest})`,
        columns.map(([, , values]) => values.slice(start, start + rows)),
      );
    }
  };
  await Promise.all([connection(), connection()]);
}

/** Rows [from, to) of `columns`. */
const rowsOf = (columns: Columns, from: number, to: number): Columns =>
  columns.map(([name, type, values]) => [name, type, values.slice(from, to)]);

/** What the load made, for the bench to choose ids from. */
export interface Dataset {
  questionIds: { first: number; last: number };
  votes: number;
  seconds: number;
}

/**
 * Loads the synthetic forum into a migrated, empty database: users, tags, questions with their
 * tags and the asker's follow, answers, replies and votes, with every counter (score, reputation,
 * answer, reply, follower and question counts, last activity) computed from those rows.
 */
export async function loadDataset(db: Database, log: (line: string) => void): Promise<Dataset> {
  const started = performance.now();
  const random = prng(shape.seed);
  const now = Date.now();
  const day = 86_400_000;

  // Posts: parent, author, creation time. Index = post id.
  const kind: Array<'question' | 'answer' | 'reply'> = new Array(posts + 1);
  const questionOf = new Int32Array(posts + 1);
  const answerOf = new Int32Array(posts + 1);
  const author = new Int32Array(posts + 1);
  const created = new Float64Array(posts + 1);
  const lastActivity = new Float64Array(shape.questions + 1);
  for (let q = 1; q <= shape.questions; q += 1) {
    kind[q] = 'question';
    author[q] = between(random, 1, shape.users);
    created[q] = now - 10 * day - Math.floor(random() * 355 * day);
    lastActivity[q] = created[q];
    for (let i = 0; i < shape.answersPerQuestion; i += 1) {
      const a = firstAnswer + (q - 1) * shape.answersPerQuestion + i;
      kind[a] = 'answer';
      questionOf[a] = q;
      author[a] = between(random, 1, shape.users);
      created[a] = created[q] + between(random, 60_000, 5 * day);
      for (let j = 0; j < shape.repliesPerAnswer; j += 1) {
        const r = firstReply + (a - firstAnswer) * shape.repliesPerAnswer + j;
        kind[r] = 'reply';
        questionOf[r] = q;
        answerOf[r] = a;
        author[r] = between(random, 1, shape.users);
        created[r] = created[a] + between(random, 60_000, 4 * day);
        lastActivity[q] = Math.max(lastActivity[q], created[r]);
      }
      lastActivity[q] = Math.max(lastActivity[q], created[a]);
    }
  }

  // Votes: distinct voters per post, never its author; the score is their sum. About 300,000 in all.
  const votePost: number[] = [];
  const voteUser: number[] = [];
  const voteValue: number[] = [];
  const score = new Int32Array(posts + 1);
  const reputation = new Int32Array(shape.users + 1);
  const votesPer = { question: [0, 20], answer: [0, 12], reply: [0, 3] } as const;
  for (let p = 1; p <= posts; p += 1) {
    const voters = new Set<number>();
    const [min, max] = votesPer[kind[p]];
    const wanted = between(random, min, max);
    while (voters.size < wanted) {
      const user = between(random, 1, shape.users);
      if (user !== author[p]) voters.add(user);
    }
    for (const user of voters) {
      const value = random() < 0.8 ? 1 : -1;
      votePost.push(p);
      voteUser.push(user);
      voteValue.push(value);
      score[p] += value;
    }
    reputation[author[p]] += score[p];
  }

  // Tags: 2–4 distinct per question, in order.
  const tagNames = TAG_HEADS.flatMap((head) => TAG_TAILS.map((tail) => `${head}-${tail}`)).slice(0, shape.tags);
  const tagCount = new Int32Array(shape.tags + 1);
  const qtQuestion: number[] = [];
  const qtTag: number[] = [];
  const qtPosition: number[] = [];
  for (let q = 1; q <= shape.questions; q += 1) {
    const tags = new Set<number>();
    const wanted = between(random, 2, 4);
    while (tags.size < wanted) tags.add(between(random, 1, shape.tags));
    [...tags].forEach((tag, i) => {
      qtQuestion.push(q);
      qtTag.push(tag);
      qtPosition.push(i + 1);
      tagCount[tag] += 1;
    });
  }

  const passwordHash = await hashPassword(shape.password);
  const userIds = Array.from({ length: shape.users }, (_, i) => i + 1);
  await insert(db, '"user"', [
    ['id', 'integer', userIds],
    ['username', 'text', userIds.map(usernameOf)],
    ['display_name', 'text', userIds.map((id) => `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)} ${id}`)],
    ['password_hash', 'text', userIds.map(() => passwordHash)],
    ['reputation', 'integer', userIds.map((id) => reputation[id])],
    ['created_at', 'timestamptz', userIds.map(() => new Date(now - 400 * day).toISOString())],
  ]);
  const tagIds = tagNames.map((_, i) => i + 1);
  await insert(db, 'tag', [
    ['id', 'integer', tagIds],
    ['name', 'text', tagNames],
    ['question_count', 'integer', tagIds.map((id) => tagCount[id])],
  ]);
  log(`  users and tags after ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const bodies = Array.from({ length: shape.bodies }, () => bodyOf(random));
  const html = bodies.map((body) => renderBodyHTML(body, new Map()));
  log(`  ${shape.bodies} bodies rendered after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const ids = Array.from({ length: posts }, (_, i) => i + 1);
  const bodyIndex = ids.map(() => Math.floor(random() * shape.bodies));
  const iso = (t: number) => new Date(t).toISOString();
  const isQuestion = (id: number) => kind[id] === 'question';
  const postColumns: Columns = [
    ['id', 'integer', ids],
    ['kind', 'text', ids.map((id) => kind[id])],
    ['question_id', 'integer', ids.map((id) => (isQuestion(id) ? null : questionOf[id]))],
    ['answer_id', 'integer', ids.map((id) => (kind[id] === 'reply' ? answerOf[id] : null))],
    ['author_id', 'integer', ids.map((id) => author[id])],
    ['title', 'text', ids.map((id) => (isQuestion(id) ? titleOf(random) : null))],
    ['body', 'text', bodyIndex.map((i) => bodies[i])],
    ['body_html', 'text', bodyIndex.map((i) => html[i])],
    ['score', 'integer', ids.map((id) => score[id])],
    ['answer_count', 'integer', ids.map((id) => (isQuestion(id) ? shape.answersPerQuestion : 0))],
    ['reply_count', 'integer', ids.map((id) => (kind[id] === 'answer' ? shape.repliesPerAnswer : 0))],
    ['follower_count', 'integer', ids.map((id) => (isQuestion(id) ? 1 : 0))],
    ['created_at', 'timestamptz', ids.map((id) => iso(created[id]))],
    ['updated_at', 'timestamptz', ids.map((id) => iso(created[id]))],
    ['last_activity_at', 'timestamptz', ids.map((id) => iso(isQuestion(id) ? lastActivity[id] : created[id]))],
  ];
  // Questions, then answers, then replies: each refers to rows of the one before.
  for (const [from, to] of [
    [0, firstAnswer - 1],
    [firstAnswer - 1, firstReply - 1],
    [firstReply - 1, posts],
  ]) {
    await insert(db, 'post', rowsOf(postColumns, from, to), 5_000);
  }
  log(`  ${posts} posts after ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const questionIds = Array.from({ length: shape.questions }, (_, i) => i + 1);
  await insert(db, 'question_tag', [
    ['question_id', 'integer', qtQuestion],
    ['tag_id', 'integer', qtTag],
    ['position', 'smallint', qtPosition],
  ]);
  // Each post as written is its first revision.
  await db.query(
    `INSERT INTO post_revision (post_id, number, editor_id, title, body, body_html, tags, created_at)
     SELECT p.id, 1, p.author_id, p.title, p.body, p.body_html,
            coalesce(array_agg(t.name ORDER BY qt.position) FILTER (WHERE t.id IS NOT NULL), '{}'), p.created_at
       FROM post p LEFT JOIN question_tag qt ON qt.question_id = p.id LEFT JOIN tag t ON t.id = qt.tag_id
      GROUP BY p.id`,
  );
  await insert(db, 'follow', [
    ['question_id', 'integer', questionIds],
    ['user_id', 'integer', questionIds.map((q) => author[q])],
  ]);
  await insert(
    db,
    'vote',
    [
      ['post_id', 'integer', votePost],
      ['user_id', 'integer', voteUser],
      ['value', 'smallint', voteValue],
    ],
    25_000,
  );
  for (const table of ['"user"', 'tag', 'post']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await db.query('VACUUM ANALYZE');
  const seconds = (performance.now() - started) / 1000;
  log(`  ${votePost.length} votes; loaded in ${seconds.toFixed(1)} s`);
  return { questionIds: { first: 1, last: shape.questions }, votes: votePost.length, seconds };
}
