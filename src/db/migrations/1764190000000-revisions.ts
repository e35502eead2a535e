import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revisions: every saved version of a post, the original first. `revision_count` counts them and
 * `edited_at` is when an edit last landed after the grace window of the post's first minutes.
 */
export class Revisions1764190000000 implements MigrationInterface {
  name = 'Revisions1764190000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE post_revision (
        post_id integer NOT NULL REFERENCES post (id),
        number integer NOT NULL CHECK (number >= 1),
        editor_id integer NOT NULL REFERENCES "user" (id),
        title text,
        body text NOT NULL,
        body_html text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- The transaction that saved it: an edit that could not see it never folds into it.
        saved_by xid8 NOT NULL DEFAULT pg_current_xact_id(),
        PRIMARY KEY (post_id, number)
      );
      ALTER TABLE post ADD COLUMN revision_count integer NOT NULL DEFAULT 1,
                       ADD COLUMN edited_at timestamptz(3);
      INSERT INTO post_revision (post_id, number, editor_id, title, body, body_html, tags, created_at)
      SELECT p.id, 1, p.author_id, p.title, p.body, p.body_html,
             coalesce((SELECT array_agg(t.name ORDER BY qt.position) FROM question_tag qt
                        JOIN tag t ON t.id = qt.tag_id WHERE qt.question_id = p.id), '{}'),
             p.created_at
        FROM post p;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE post_revision; ALTER TABLE post DROP COLUMN revision_count, DROP COLUMN edited_at');
  }
}
