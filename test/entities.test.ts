import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata.js';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/data-source.js';
import { notificationColumns, postColumns, selectList, tagColumns, userColumns } from '../src/db/rows.js';
import { createTestDatabase } from './support/harness.js';

/*
 * The entities are read and written through raw SQL as much as through TypeORM, and the migrations
 * are written by hand: nothing but this test keeps their mapping equal to the tables the migrations
 * make.
 */

/** Tables no entity maps, each with why: only raw SQL reads and writes them. */
const rawSqlOnly: Record<string, string> = {
  migration: "TypeORM's own record of the migrations applied",
  page_epoch:
    "one row a trigger bumps when a user's name changes, read with a thread's event number (src/http/page-version.ts)",
  post_search: 'search vectors, written by triggers and read by the search statement (src/loaders/search.ts)',
  thread_event: 'the outbox of thread events (src/realtime/outbox.ts)',
};

interface TableColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let tableColumns: TableColumn[];

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({ url: database.url });
  // An array's type is its elements' type with `[]`, as TypeORM names it.
  tableColumns = await db.query(
    `SELECT c.table_name AS "table", c.column_name AS "column",
            CASE WHEN c.data_type = 'ARRAY' THEN e.data_type || '[]' ELSE c.data_type END AS "type",
            c.is_nullable = 'YES' AS "nullable"
       FROM information_schema.columns c
       LEFT JOIN information_schema.element_types e
         ON (e.object_catalog, e.object_schema, e.object_name, e.object_type, e.collection_type_identifier)
          = (c.table_catalog, c.table_schema, c.table_name, 'TABLE', c.dtd_identifier)
      WHERE c.table_schema = current_schema()`,
  );
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

/** The table's column, or undefined. */
function tableColumn(table: string, column: string): TableColumn | undefined {
  return tableColumns.find((candidate) => candidate.table === table && candidate.column === column);
}

/** The type of `column` as information_schema names it. */
function typeOf(column: ColumnMetadata): string {
  return `${db.typeorm.driver.normalizeType(column)}${column.isArray ? '[]' : ''}`;
}

/**
 * A column declared on a child of single-table inheritance: TypeORM takes it as nullable, since
 * the other kinds' rows hold none, while the table may require it with a default.
 */
function ofChildEntity(metadata: EntityMetadata, column: ColumnMetadata): boolean {
  return column.target !== (metadata.parentEntityMetadata ?? metadata).target;
}

describe('entities', () => {
  it('should each map a table that the migrations make', () => {
    const tables = new Set(tableColumns.map(({ table }) => table));
    expect(db.typeorm.entityMetadatas.filter(({ tableName }) => !tables.has(tableName))).toEqual([]);
  });

  it('should map only columns that exist, with their type and nullability', () => {
    const mismatches: string[] = [];
    for (const metadata of db.typeorm.entityMetadatas) {
      for (const column of metadata.columns) {
        const where = `${metadata.name}.${column.propertyName} (${metadata.tableName}.${column.databaseName})`;
        const actual = tableColumn(metadata.tableName, column.databaseName);
        if (actual === undefined) {
          mismatches.push(`${where}: no such column`);
          continue;
        }
        if (actual.type !== typeOf(column))
          mismatches.push(`${where}: ${typeOf(column)}, the table has ${actual.type}`);
        const nullabilityAgrees =
          actual.nullable === column.isNullable || (column.isNullable && ofChildEntity(metadata, column));
        if (!nullabilityAgrees) {
          mismatches.push(`${where}: nullable ${column.isNullable}, the table has nullable ${actual.nullable}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('should leave unmapped only the tables that raw SQL alone reads, each with its reason', () => {
    const mapped = new Set(db.typeorm.entityMetadatas.map(({ tableName }) => tableName));
    const unmapped = [...new Set(tableColumns.map(({ table }) => table))].filter((table) => !mapped.has(table));
    expect(unmapped.sort()).toEqual(Object.keys(rawSqlOnly).sort());
  });
});

describe('the column lists of the raw reads (src/db/rows.ts)', () => {
  const lists = { post: postColumns, user: userColumns, tag: tagColumns, notification: notificationColumns };

  it.each(Object.entries(lists))('should read each column of %s into the property its entity maps', (table, names) => {
    const columns = db.typeorm.entityMetadatas
      .filter((metadata) => metadata.tableName === table)
      .flatMap((metadata) => metadata.columns);
    for (const name of names) {
      const column = columns.find((candidate) => candidate.databaseName === name);
      expect({ name, mapped: column !== undefined }).toEqual({ name, mapped: true });
      const property = column!.propertyName;
      expect(selectList([name])).toBe(property === name ? name : `${name} AS "${property}"`);
    }
  });
});
