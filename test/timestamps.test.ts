import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { parseTimestamptz } from '../src/db/timestamps.js';
import { createTestDatabase, leave } from './support/servers.js';

const parseAnyTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);

let client: pg.Client;

beforeAll(async () => {
  const database = await createTestDatabase();
  // Text out, so both parsers see what the server prints.
  client = new pg.Client({ connectionString: database.url, types: { getTypeParser: () => (text: string) => text } });
  await client.connect();
  leave(() => client.end());
});

/** What PostgreSQL prints for `values` in time zone `zone`. */
async function printed(zone: string, values: string[]): Promise<string[]> {
  await client.query(`SET TIME ZONE '${zone}'`);
  const { rows } = await client.query<{ at: string }>(`SELECT v::timestamptz AS at FROM unnest($1::text[]) v`, [
    values,
  ]);
  return rows.map((row) => row.at);
}

const instants = [
  '2026-11-26 15:53:10.123456+00',
  '2026-11-26 15:53:10+00',
  '2026-11-26 15:53:10.1+00',
  '2026-11-26 15:53:10.999999+00',
  '2000-02-29 23:59:59.5+00',
  '1970-01-01 00:00:00+00',
  '1899-12-31 23:59:59.001+00',
  '0101-06-01 12:00:00+00',
  '0050-06-01 12:00:00+00',
  '0044-03-15 12:00:00+00 BC',
  '12026-01-01 00:00:00+00',
  'infinity',
  '-infinity',
];

describe('parseTimestamptz', () => {
  it.each(['UTC', 'Europe/Paris', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'America/Los_Angeles'])(
    'should read what PostgreSQL prints in %s as the default parser does',
    async (zone) => {
      const texts = await printed(zone, instants);
      // Paris before 1911 is +00:09:21: an offset with seconds.
      if (zone === 'Europe/Paris') expect(texts[6]).toMatch(/\+00:09:21$/);
      for (const text of texts) {
        const expected = parseAnyTimestamp(text) as Date | number;
        const actual = parseTimestamptz(text) as Date | number;
        expect([text, Number(actual)]).toEqual([text, Number(expected)]);
      }
    },
  );
});
