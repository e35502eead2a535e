import { BadUserInputError } from '../errors/index.js';

/** The input limits of the API; each failure names the field and the rule in `extensions`. */
export const limits = {
  title: { min: 10, max: 200 },
  body: { min: 1, max: 30_000 },
  tags: { min: 1, max: 5, nameMax: 35 },
  username: { min: 3, max: 30 },
  displayName: { min: 1, max: 80 },
  password: { min: 8, max: 200 },
} as const;

function characters(text: string): number {
  return [...text].length;
}

/**
 * Refuses a NUL character, which PostgreSQL cannot store in text: any string input that reaches the
 * database goes through here.
 */
export function checkText(field: string, value: string): string {
  if (value.includes('\u0000')) {
    throw new BadUserInputError(`${field} must not contain the NUL character`, { field, rule: 'characters' });
  }
  return value;
}

function checkLength(field: string, value: string, { min, max }: { min: number; max: number }): string {
  checkText(field, value);
  const length = characters(value);
  if (length < min || length > max) {
    throw new BadUserInputError(`${field} must be ${min} to ${max} characters, got ${length}`, {
      field,
      rule: 'length',
      min,
      max,
    });
  }
  return value;
}

/** A question title, trimmed: 10-200 characters. */
export function checkTitle(title: string): string {
  return checkLength('title', title.trim(), limits.title);
}

/** A post body as written: 1-30,000 characters, not only white space. */
export function checkBody(body: string): string {
  checkLength('body', body, limits.body);
  if (body.trim() === '') throw new BadUserInputError('body must not be blank', { field: 'body', rule: 'blank' });
  return body;
}

/** Tags trimmed, lower-cased and deduplicated in order: 1-5 of `[a-z0-9-]{1,35}`. */
export function normalizeTags(tags: readonly string[]): string[] {
  const names = [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
  const bad = names.find((name) => !/^[a-z0-9-]+$/.test(name) || name.length > limits.tags.nameMax);
  if (bad !== undefined) {
    throw new BadUserInputError(`tag "${bad}" must be 1 to ${limits.tags.nameMax} of a-z, 0-9 and -`, {
      field: 'tags',
      rule: 'pattern',
      pattern: '^[a-z0-9-]{1,35}$',
    });
  }
  if (names.length < limits.tags.min || names.length > limits.tags.max) {
    throw new BadUserInputError(`a question takes ${limits.tags.min} to ${limits.tags.max} tags, got ${names.length}`, {
      field: 'tags',
      rule: 'count',
      min: limits.tags.min,
      max: limits.tags.max,
    });
  }
  return names;
}

/** A username: 3-30 of `[A-Za-z0-9_]`, as typed in @mentions. */
export function checkUsername(username: string): string {
  checkLength('username', username, limits.username);
  if (!/^[A-Za-z0-9_]+$/.test(username)) {
    throw new BadUserInputError('username may only hold A-Z, a-z, 0-9 and _', {
      field: 'username',
      rule: 'pattern',
      pattern: '^[A-Za-z0-9_]{3,30}$',
    });
  }
  return username;
}

export function checkDisplayName(displayName: string): string {
  return checkLength('displayName', displayName.trim(), limits.displayName);
}

export function checkPassword(password: string): string {
  return checkLength('password', password, limits.password);
}
