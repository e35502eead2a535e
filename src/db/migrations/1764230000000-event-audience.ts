import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recordThreadEvents } from './1764210000000-vote-function.js';

/**
 * The deletions of a post hidden by flags are not for every watcher: its author and moderators still
 * read the post, so its hiding is not theirs to see, while its deletion for good is theirs alone
 * (src/realtime/topics.ts, ThreadEventMessage.audience). `author_id` is the post's author, so
 * that each watcher is told apart without a read per event; no foreign key, whose check every vote's
 * event would pay.
 */
export class EventAudience1764230000000 implements MigrationInterface {
  name = 'EventAudience1764230000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE thread_event
        ADD COLUMN audience text CHECK (audience IN ('others', 'readers')),
        ADD COLUMN author_id integer,
        ADD CONSTRAINT thread_event_audience_author_check CHECK ((audience IS NULL) = (author_id IS NULL));

      DROP FUNCTION record_thread_events(integer, text[], integer[], text[], integer[]);
      -- As before, with each event's audience and author (null for every watcher); cast_vote's calls
      -- without them still match.
      CREATE FUNCTION record_thread_events(thread integer, kinds text[], post_ids integer[], post_kinds text[],
                                           scores integer[], audiences text[] DEFAULT NULL,
                                           author_ids integer[] DEFAULT NULL)
        RETURNS SETOF thread_event LANGUAGE plpgsql AS $$
      BEGIN
        RETURN QUERY
          WITH numbered AS (
            UPDATE post SET event_seq = event_seq + cardinality(kinds) WHERE id = thread
            RETURNING event_seq - cardinality(kinds) AS last
          )
          INSERT INTO thread_event (question_id, seq, kind, post_id, post_kind, score, audience, author_id)
          SELECT thread, numbered.last + c.position, c.kind, c.post_id, c.post_kind, c.score, c.audience, c.author_id
            FROM numbered, unnest(kinds, post_ids, post_kinds, scores, audiences, author_ids)
                 WITH ORDINALITY AS c(kind, post_id, post_kind, score, audience, author_id, position)
          RETURNING *;
      END
      $$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION record_thread_events(integer, text[], integer[], text[], integer[], text[], integer[]);
      DELETE FROM thread_event WHERE audience = 'readers';
      ALTER TABLE thread_event DROP COLUMN audience, DROP COLUMN author_id;
      ${recordThreadEvents}
    `);
  }
}
