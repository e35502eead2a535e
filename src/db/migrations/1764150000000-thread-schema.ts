import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The thread graph: users and their sessions, posts (question, answer, reply), votes, tags, follows. */
export class ThreadSchema1764150000000 implements MigrationInterface {
  name = 'ThreadSchema1764150000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "user" (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_]{3,30}$'),
        display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 80),
        bio text,
        password_hash text NOT NULL,
        reputation integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX user_username_key ON "user" (lower(username));

      CREATE TABLE session (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3)
      );
      CREATE INDEX session_user_idx ON session (user_id);

      CREATE TABLE post (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('question', 'answer', 'reply')),
        question_id integer REFERENCES post (id),
        answer_id integer REFERENCES post (id),
        author_id integer NOT NULL REFERENCES "user" (id),
        title text,
        body text NOT NULL,
        body_html text NOT NULL,
        score integer NOT NULL DEFAULT 0,
        answer_count integer NOT NULL DEFAULT 0 CHECK (answer_count >= 0),
        reply_count integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
        follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
        accepted_answer_id integer REFERENCES post (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        last_activity_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        CHECK ((kind = 'question') = (question_id IS NULL)),
        CHECK ((kind = 'question') = (title IS NOT NULL)),
        CHECK ((kind = 'reply') = (answer_id IS NOT NULL))
      );
      CREATE INDEX post_question_active_idx ON post (last_activity_at DESC, id DESC)
        WHERE kind = 'question' AND deleted_at IS NULL;
      CREATE INDEX post_question_newest_idx ON post (created_at DESC, id DESC)
        WHERE kind = 'question' AND deleted_at IS NULL;
      CREATE INDEX post_question_top_idx ON post (score DESC, id DESC)
        WHERE kind = 'question' AND deleted_at IS NULL;
      CREATE INDEX post_answer_top_idx ON post (question_id, score DESC, created_at, id)
        WHERE kind = 'answer' AND deleted_at IS NULL;
      CREATE INDEX post_answer_date_idx ON post (question_id, created_at, id)
        WHERE kind = 'answer' AND deleted_at IS NULL;
      CREATE INDEX post_reply_idx ON post (answer_id, created_at, id)
        WHERE kind = 'reply' AND deleted_at IS NULL;
      CREATE INDEX post_thread_idx ON post (question_id);
      CREATE INDEX post_author_idx ON post (author_id, kind, created_at DESC, id DESC)
        WHERE deleted_at IS NULL;

      CREATE TABLE vote (
        post_id integer NOT NULL REFERENCES post (id),
        user_id integer NOT NULL REFERENCES "user" (id),
        value smallint NOT NULL CHECK (value IN (-1, 1)),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, user_id)
      );
      CREATE INDEX vote_user_idx ON vote (user_id, post_id);

      CREATE TABLE tag (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9-]{1,35}$'),
        question_count integer NOT NULL DEFAULT 0 CHECK (question_count >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX tag_popular_idx ON tag (question_count DESC, name);
      CREATE INDEX tag_prefix_idx ON tag (name text_pattern_ops);

      CREATE TABLE question_tag (
        question_id integer NOT NULL REFERENCES post (id),
        tag_id integer NOT NULL REFERENCES tag (id),
        position smallint NOT NULL,
        PRIMARY KEY (question_id, tag_id)
      );
      CREATE INDEX question_tag_tag_idx ON question_tag (tag_id, question_id);

      CREATE TABLE follow (
        question_id integer NOT NULL REFERENCES post (id),
        user_id integer NOT NULL REFERENCES "user" (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (question_id, user_id)
      );
      CREATE INDEX follow_user_idx ON follow (user_id, question_id);

      CREATE TABLE post_mention (
        post_id integer NOT NULL REFERENCES post (id),
        user_id integer NOT NULL REFERENCES "user" (id),
        position smallint NOT NULL,
        PRIMARY KEY (post_id, user_id)
      );
      CREATE INDEX post_mention_user_idx ON post_mention (user_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE post_mention, follow, question_tag, tag, vote, post, session, "user"');
  }
}
