import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter of changes that show on thread pages without being thread events: a user's username or
 * display name. The anonymous page cache keys each page by it as well as by the thread's event
 * number (src/http/page-cache.ts); a row, not a sequence, so that it moves at the rename's commit.
 */
export class PageEpoch1764225000000 implements MigrationInterface {
  name = 'PageEpoch1764225000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE page_epoch (id boolean PRIMARY KEY DEFAULT true CHECK (id), value bigint NOT NULL DEFAULT 0);
      INSERT INTO page_epoch DEFAULT VALUES;

      CREATE FUNCTION bump_page_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE page_epoch SET value = value + 1;
        RETURN NULL;
      END
      $$;

      CREATE TRIGGER user_shown_on_pages AFTER UPDATE OF username, display_name ON "user"
        FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name)
        EXECUTE FUNCTION bump_page_epoch();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER user_shown_on_pages ON "user";
      DROP FUNCTION bump_page_epoch();
      DROP TABLE page_epoch;
    `);
  }
}
