import type { MigrationInterface, QueryRunner } from 'typeorm';
import { VoteFunction1764210000000 } from './1764210000000-vote-function.js';

/**
 * Moderation: roles and suspensions of users; closed, locked and hidden posts; members' flags; the
 * log of what moderators did. `locked_at` is set on every post of a locked thread, so the policy
 * decides on an answer or a reply from its own row. `cast_vote` takes whether the voter may vote in
 * a locked thread: it leaves a locked post's vote as it is otherwise.
 */
export class Moderation1764220000000 implements MigrationInterface {
  name = 'Moderation1764220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE "user"
        ADD COLUMN role text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('MEMBER', 'MODERATOR', 'ADMIN')),
        ADD COLUMN suspended_until timestamptz(3),
        ADD COLUMN suspension_reason text;

      ALTER TABLE post
        ADD COLUMN closed_at timestamptz(3),
        ADD COLUMN close_reason text CHECK (close_reason IN ('DUPLICATE', 'OFF_TOPIC', 'UNCLEAR', 'TOO_BROAD', 'SPAM')),
        ADD COLUMN duplicate_of_id integer REFERENCES post (id),
        ADD COLUMN locked_at timestamptz(3),
        ADD COLUMN hidden_at timestamptz(3),
        ADD CONSTRAINT post_closed_check CHECK ((closed_at IS NULL) = (close_reason IS NULL)),
        ADD CONSTRAINT post_duplicate_check CHECK ((close_reason IS NOT DISTINCT FROM 'DUPLICATE') = (duplicate_of_id IS NOT NULL)),
        ADD CONSTRAINT post_hidden_check CHECK (hidden_at IS NULL OR deleted_at IS NOT NULL);

      CREATE TABLE flag (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        post_id integer NOT NULL REFERENCES post (id),
        flagger_id integer NOT NULL REFERENCES "user" (id),
        reason text NOT NULL CHECK (reason IN ('SPAM', 'RUDE', 'OFF_TOPIC', 'DUPLICATE', 'NEEDS_MODERATOR')),
        note text CHECK (char_length(note) <= 500),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'HELPFUL', 'DECLINED')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        handled_by_id integer REFERENCES "user" (id),
        handled_at timestamptz(3),
        UNIQUE (post_id, flagger_id),
        CHECK ((status = 'OPEN') = (handled_at IS NULL) AND (handled_at IS NULL) = (handled_by_id IS NULL))
      );
      CREATE INDEX flag_queue_idx ON flag (status, id);

      CREATE TABLE moderation_action (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('POST_EDITED', 'POST_DELETED', 'POST_UNDELETED', 'QUESTION_CLOSED',
          'QUESTION_REOPENED', 'QUESTION_LOCKED', 'QUESTION_UNLOCKED', 'USER_SUSPENDED', 'USER_UNSUSPENDED',
          'ROLE_CHANGED', 'FLAG_HELPFUL', 'FLAG_DECLINED')),
        moderator_id integer NOT NULL REFERENCES "user" (id),
        post_id integer REFERENCES post (id),
        user_id integer REFERENCES "user" (id),
        reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );

      ALTER TABLE thread_event DROP CONSTRAINT thread_event_kind_check,
        ADD CONSTRAINT thread_event_kind_check CHECK (kind IN ('ANSWER_ADDED', 'REPLY_ADDED', 'SCORE_CHANGED',
          'POST_EDITED', 'POST_DELETED', 'ANSWER_ACCEPTED', 'ANSWER_UNACCEPTED', 'QUESTION_CLOSED',
          'QUESTION_REOPENED', 'QUESTION_LOCKED', 'QUESTION_UNLOCKED', 'POST_RESTORED'));
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check CHECK (kind IN ('MENTION', 'ANSWER_TO_YOUR_QUESTION',
          'REPLY_TO_YOUR_ANSWER', 'ACTIVITY_ON_FOLLOWED_QUESTION', 'ANSWER_ACCEPTED', 'MODERATION'));

      DROP FUNCTION cast_vote(integer, text, integer, integer);
      -- As before, but a vote on a locked post applies only when may_vote_locked: otherwise the post
      -- comes back as it is, with no event, and the caller refuses (src/services/policy.ts).
      CREATE FUNCTION cast_vote(target integer, target_kind text, voter integer, choice integer,
                                may_vote_locked boolean)
        RETURNS TABLE (voted post, event thread_event) LANGUAGE plpgsql AS $$
      DECLARE
        thread integer;
        previous integer;
      BEGIN
        SELECT coalesce(p.question_id, p.id) INTO thread FROM post p WHERE p.id = target;
        PERFORM FROM post p WHERE p.id IN (thread, target) AND p.deleted_at IS NULL ORDER BY p.id FOR UPDATE;
        SELECT * INTO voted FROM post p WHERE p.id = target AND p.kind = target_kind AND p.deleted_at IS NULL;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        IF voted.locked_at IS NOT NULL AND NOT may_vote_locked THEN
          RETURN NEXT;
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
      DROP FUNCTION cast_vote(integer, text, integer, integer, boolean);
      DROP FUNCTION record_thread_events(integer, text[], integer[], text[], integer[]);
      DELETE FROM thread_event WHERE kind IN ('QUESTION_CLOSED', 'QUESTION_REOPENED', 'QUESTION_LOCKED',
        'QUESTION_UNLOCKED', 'POST_RESTORED');
      DELETE FROM notification WHERE kind IN ('ANSWER_ACCEPTED', 'MODERATION');
      ALTER TABLE thread_event DROP CONSTRAINT thread_event_kind_check,
        ADD CONSTRAINT thread_event_kind_check CHECK (kind IN ('ANSWER_ADDED', 'REPLY_ADDED', 'SCORE_CHANGED',
          'POST_EDITED', 'POST_DELETED', 'ANSWER_ACCEPTED', 'ANSWER_UNACCEPTED'));
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check CHECK (kind IN ('MENTION', 'ANSWER_TO_YOUR_QUESTION',
          'REPLY_TO_YOUR_ANSWER', 'ACTIVITY_ON_FOLLOWED_QUESTION'));
      DROP TABLE moderation_action, flag;
      ALTER TABLE post DROP COLUMN closed_at, DROP COLUMN close_reason, DROP COLUMN duplicate_of_id,
        DROP COLUMN locked_at, DROP COLUMN hidden_at;
      ALTER TABLE "user" DROP COLUMN role, DROP COLUMN suspended_until, DROP COLUMN suspension_reason;
    `);
    // The post row type lost its columns: the functions over it are made again as they were.
    await new VoteFunction1764210000000().up(db);
  }
}
