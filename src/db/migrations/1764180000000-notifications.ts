import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications: one per user per post, written in the transaction of the post that causes it. */
export class Notifications1764180000000 implements MigrationInterface {
  name = 'Notifications1764180000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notification (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES "user" (id),
        kind text NOT NULL CHECK (kind IN ('MENTION', 'ANSWER_TO_YOUR_QUESTION', 'REPLY_TO_YOUR_ANSWER',
          'ACTIVITY_ON_FOLLOWED_QUESTION')),
        post_id integer NOT NULL REFERENCES post (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        read_at timestamptz(3),
        UNIQUE (user_id, post_id)
      );
      CREATE INDEX notification_user_idx ON notification (user_id, id DESC);
      CREATE INDEX notification_unread_idx ON notification (user_id, id DESC) WHERE read_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE notification');
  }
}
