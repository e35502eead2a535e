import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search vectors move out of `post` into `post_search`, one narrow row per live post, kept by a
 * trigger in the transaction that writes the post.
 *
 * A search checks the vector of every post that holds its words (a phrase or an exclusion needs the
 * positions, which the GIN index does not keep) and ranks the vectors of the most recent matches:
 * read from wide `post` rows, half of them spilled to TOAST, that cost five times as much. Every
 * update of a post (a vote's score, a counter) also recomputed the generated column; the trigger
 * runs only when the title, the body or `deleted_at` is written.
 */
export class SearchTable1764200000000 implements MigrationInterface {
  name = 'SearchTable1764200000000';

  async up(db: QueryRunner): Promise<void> {
    // The backfill reads every post (and so does the way back): it may outlast the pool's statement timeout.
    await db.query(`
      SET LOCAL statement_timeout = 0;
      ALTER TABLE post DROP COLUMN search_vector;

      CREATE FUNCTION post_search_vector(title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN setweight(to_tsvector('french_unaccent'::regconfig, coalesce(title, '')), 'A') ||
               setweight(to_tsvector('french_unaccent'::regconfig, body), 'B');

      -- Deleted posts have no row: a search never filters them out one by one.
      CREATE TABLE post_search (
        post_id integer PRIMARY KEY REFERENCES post (id),
        search_vector tsvector NOT NULL
      );

      CREATE FUNCTION post_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.deleted_at IS NULL THEN
          INSERT INTO post_search (post_id, search_vector) VALUES (NEW.id, post_search_vector(NEW.title, NEW.body))
            ON CONFLICT (post_id) DO UPDATE SET search_vector = excluded.search_vector;
        ELSE
          DELETE FROM post_search WHERE post_id = NEW.id;
        END IF;
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER post_search_write AFTER INSERT OR UPDATE OF title, body, deleted_at ON post
        FOR EACH ROW EXECUTE FUNCTION post_search_write();

      INSERT INTO post_search (post_id, search_vector)
        SELECT id, post_search_vector(title, body) FROM post WHERE deleted_at IS NULL;
      CREATE INDEX post_search_vector_idx ON post_search USING gin (search_vector);
      -- Until autovacuum gets to it, searches would be planned blind on a new table.
      ANALYZE post_search;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      SET LOCAL statement_timeout = 0;
      DROP TRIGGER post_search_write ON post;
      DROP FUNCTION post_search_write();
      DROP TABLE post_search;
      DROP FUNCTION post_search_vector(text, text);
      ALTER TABLE post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french_unaccent'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent'::regconfig, body), 'B')
      ) STORED;
      CREATE INDEX post_search_idx ON post USING gin (search_vector);
    `);
  }
}
