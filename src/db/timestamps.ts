import pg from 'pg';

/** What pg parses a timestamptz with by default (postgres-date): every form PostgreSQL may print. */
const parseAnyTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A timestamptz as PostgreSQL prints it in ISO style, `2026-11-26 15:53:10.123456+00` (offset
 * `+HH`, `+HH:MM` or `+HH:MM:SS`), read digit by digit. A page reads some 300 timestamps; the
 * default parser's regular expression was 4% of the service's CPU under load. Anything else
 * (BC years, infinity, years before 100 or past 9999) goes to the default parser.
 */
export function parseTimestamptz(text: string): Date {
  let at = 19;
  let milliseconds = 0;
  if (text.charCodeAt(at) === 46 /* . */) {
    let scale = 100;
    for (at += 1; text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57; at++) {
      milliseconds += (text.charCodeAt(at) - 48) * scale;
      scale /= 10;
    }
    milliseconds = Math.floor(milliseconds);
  }
  const sign = text.charCodeAt(at) === 43 /* + */ ? 1 : text.charCodeAt(at) === 45 /* - */ ? -1 : 0;
  const offsetLength = text.length - at - 1;
  const year = digits(text, 0, 4);
  if (text.charCodeAt(10) !== 32 || sign === 0 || ![2, 5, 8].includes(offsetLength) || !(year >= 100)) {
    return parseAnyTimestamp(text);
  }
  const offsetSeconds =
    digits(text, at + 1, 2) * 3600 +
    (offsetLength >= 5 ? digits(text, at + 4, 2) * 60 : 0) +
    (offsetLength === 8 ? digits(text, at + 7, 2) : 0);
  const utc = Date.UTC(
    year,
    digits(text, 5, 2) - 1,
    digits(text, 8, 2),
    digits(text, 11, 2),
    digits(text, 14, 2),
    digits(text, 17, 2),
    milliseconds,
  );
  const time = utc - sign * offsetSeconds * 1000;
  return Number.isNaN(time) ? parseAnyTimestamp(text) : new Date(time);
}

/** Makes every pg client of this process read timestamptz with {@link parseTimestamptz}. */
export function useFastTimestamps(): void {
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);
}
