import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over posts, accent-insensitive: the `french_unaccent` configuration and a
 * generated, GIN-indexed `search_vector` on every post (a question's title weighs 'A', bodies 'B').
 *
 * French stop words are dropped before `unaccent` runs: the stemmer checks its stop list against the
 * word it is given, and after `unaccent` "à", "été" or "même" would no longer be found in that list.
 */
export class Search1764170000000 implements MigrationInterface {
  name = 'Search1764170000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE EXTENSION IF NOT EXISTS unaccent;

      CREATE TEXT SEARCH DICTIONARY french_stop (TEMPLATE = simple, StopWords = french, Accept = false);
      CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
      ALTER TEXT SEARCH CONFIGURATION french_unaccent
        ALTER MAPPING FOR hword, hword_part, word WITH french_stop, unaccent, french_stem;

      ALTER TABLE post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french_unaccent'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent'::regconfig, body), 'B')
      ) STORED;
      CREATE INDEX post_search_idx ON post USING gin (search_vector);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE post DROP COLUMN search_vector;
      DROP TEXT SEARCH CONFIGURATION french_unaccent;
      DROP TEXT SEARCH DICTIONARY french_stop;
      DROP EXTENSION IF EXISTS unaccent;
    `);
  }
}
