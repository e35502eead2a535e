import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox of thread events. Each thread numbers its events itself: the number is
 * taken under the question's row lock, so within a thread it follows commit order.
 */
export class ThreadEvents1764160000000 implements MigrationInterface {
  name = 'ThreadEvents1764160000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE post
        ADD COLUMN event_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN events_pruned_through integer NOT NULL DEFAULT 0;

      CREATE TABLE thread_event (
        question_id integer NOT NULL REFERENCES post (id),
        seq integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ANSWER_ADDED', 'REPLY_ADDED', 'SCORE_CHANGED', 'POST_EDITED',
          'POST_DELETED', 'ANSWER_ACCEPTED', 'ANSWER_UNACCEPTED')),
        post_id integer NOT NULL REFERENCES post (id),
        post_kind text NOT NULL CHECK (post_kind IN ('question', 'answer', 'reply')),
        score integer,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (question_id, seq)
      );
      CREATE INDEX thread_event_created_idx ON thread_event (created_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE thread_event;
      ALTER TABLE post DROP COLUMN event_seq, DROP COLUMN events_pruned_through;
    `);
  }
}
