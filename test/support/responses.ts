import type { Response } from './harness.js';

/** The `extensions.code` of each error of a response; undefined when it has none. */
export function codesOf(response: Response<unknown>): unknown[] | undefined {
  return response.errors?.map((error) => error.extensions?.code);
}

/**
 * The code, field and rule of the only error of a response (absent ones are left out); anything
 * else (no error, several) comes back whole, so that a failing `toEqual` shows what happened.
 */
export function problem(response: Response<unknown>): Record<string, unknown> {
  if (response.errors?.length !== 1) return { errors: response.errors, data: response.data };
  const { code, field, rule } = response.errors[0].extensions ?? {};
  return Object.fromEntries(Object.entries({ code, field, rule }).filter(([, value]) => value !== undefined));
}

/** The `extensions.code` of the first error of a response. */
export function codeOf(response: Response<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}

/** The `extensions.rule` of the first error of a response. */
export function ruleOf(response: Response<unknown>): unknown {
  return response.errors?.[0]?.extensions?.rule;
}
