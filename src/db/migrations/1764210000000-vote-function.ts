import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `record_thread_events` as this migration makes it (a later one replaces it, and puts it back when undone). */
export const recordThreadEvents = `
      -- Numbering updates the question row, so it waits for (and then excludes) every other writer of
      -- the thread until commit: numbers follow commit order.
      CREATE FUNCTION record_thread_events(thread integer, kinds text[], post_ids integer[], post_kinds text[],
                                           scores integer[])
        RETURNS SETOF thread_event LANGUAGE plpgsql AS $$
      BEGIN
        RETURN QUERY
          WITH numbered AS (
            UPDATE post SET event_seq = event_seq + cardinality(kinds) WHERE id = thread
            RETURNING event_seq - cardinality(kinds) AS last
          )
          INSERT INTO thread_event (question_id, seq, kind, post_id, post_kind, score)
          SELECT thread, numbered.last + c.position, c.kind, c.post_id, c.post_kind, c.score
            FROM numbered, unnest(kinds, post_ids, post_kinds, scores)
                 WITH ORDINALITY AS c(kind, post_id, post_kind, score, position)
          RETURNING *;
      END
      $$;
`;

/**
 * A vote in one call. Its transaction took seven round trips to PostgreSQL (BEGIN, the locks, the
 * vote, its event, COMMIT…), each a wake-up of two processes that cost more than the statements;
 * `cast_vote` runs the same statements, in the same order and under the same locks, in one. Each of
 * its statements reads a fresh snapshot, as separate statements did, so the previous vote it reads
 * is the one its locks keep.
 *
 * `record_thread_events` numbers a thread's changes into the outbox, for `cast_vote` and for the
 * writes still made statement by statement (src/realtime/outbox.ts).
 */
export class VoteFunction1764210000000 implements MigrationInterface {
  name = 'VoteFunction1764210000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ${recordThreadEvents}
      -- Sets voter's vote on a live post of target_kind (choice 1, -1, or 0 to retract) and moves the
      -- post's score and its author's reputation by the change; gives the post as it is after, and the
      -- SCORE_CHANGED event when the score moved. No row when there is no such post. Whether the voter
      -- may vote is the caller's to decide (src/services/policy.ts).
      CREATE FUNCTION cast_vote(target integer, target_kind text, voter integer, choice integer)
        RETURNS TABLE (voted post, event thread_event) LANGUAGE plpgsql AS $$
      DECLARE
        thread integer;
        previous integer;
      BEGIN
        -- The question first, then the post, as every write to a thread locks them.
        SELECT coalesce(p.question_id, p.id) INTO thread FROM post p WHERE p.id = target;
        PERFORM FROM post p WHERE p.id IN (thread, target) AND p.deleted_at IS NULL ORDER BY p.id FOR UPDATE;
        SELECT * INTO voted FROM post p WHERE p.id = target AND p.kind = target_kind AND p.deleted_at IS NULL;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        previous := coalesce((SELECT v.value FROM vote v WHERE v.post_id = target AND v.user_id = voter), 0);
        IF previous <> choice THEN
          IF choice = 0 THEN
            DELETE FROM vote v WHERE v.post_id = target AND v.user_id = voter;
          ELSE
            INSERT INTO vote AS v (post_id, user_id, value) VALUES (target, voter, choice)
              ON CONFLICT (post_id, user_id) DO UPDATE SET value = excluded.value, updated_at = now();
          END IF;
          UPDATE "user" u SET reputation = u.reputation + choice - previous WHERE u.id = voted.author_id;
          UPDATE post p SET score = p.score + choice - previous WHERE p.id = target RETURNING * INTO voted;
          SELECT * INTO event FROM record_thread_events(thread, ARRAY['SCORE_CHANGED'], ARRAY[target],
                                                        ARRAY[target_kind], ARRAY[voted.score]);
        END IF;
        RETURN NEXT;
      END
      $$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION cast_vote(integer, text, integer, integer);
      DROP FUNCTION record_thread_events(integer, text[], integer[], text[], integer[]);
    `);
  }
}
