/**
 * What a GraphQL document may ask for, checked before anything runs, over HTTP and WebSocket alike.
 * src/config.ts reads each from the environment variable named in its comment (a whole number > 0).
 */
export interface QueryLimits {
  /** Longest chain of nested fields, leaves included (`{ viewer { id } }` is 2). Introspection's
   * `ofType` chains do not count: they follow one type's wrappers. `MAX_QUERY_DEPTH`. @default 10 */
  depth: number;
  /** Aliases in the operation as it runs: one in a fragment counts once per spread. `MAX_ALIASES`. @default 30 */
  aliases: number;
  /** Lexical tokens of the document (punctuation, names, values; not comments). `MAX_TOKENS`. @default 2000 */
  tokens: number;
  /** Directives (`@include`, `@skip`, …) written in the document. `MAX_DIRECTIVES`. @default 20 */
  directives: number;
  /** Characters of the document. `MAX_DOCUMENT_CHARS`. @default 15000 */
  documentChars: number;
  /** Objects the operation can return, counted by `operationCost`. `MAX_QUERY_COST`. @default 50000 */
  cost: number;
}

/** Which limit a refusal names in `extensions.limit`. */
export type LimitName = keyof QueryLimits;

/** The defaults of {@link QueryLimits}, and the environment variable overriding each. */
export const limitDefaults: Readonly<Record<LimitName, { value: number; env: string }>> = {
  depth: { value: 10, env: 'MAX_QUERY_DEPTH' },
  aliases: { value: 30, env: 'MAX_ALIASES' },
  tokens: { value: 2000, env: 'MAX_TOKENS' },
  directives: { value: 20, env: 'MAX_DIRECTIVES' },
  documentChars: { value: 15_000, env: 'MAX_DOCUMENT_CHARS' },
  cost: { value: 50_000, env: 'MAX_QUERY_COST' },
};

/** The limits of {@link limitDefaults}, each overridden by its variable in `env`; throws on a malformed one. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): QueryLimits {
  const read = (name: LimitName): number => {
    const { value, env: variable } = limitDefaults[name];
    const text = env[variable];
    if (text === undefined || text === '') return value;
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw new Error(`${variable} must be a whole number > 0, got "${text}"`);
    return parsed;
  };
  return {
    depth: read('depth'),
    aliases: read('aliases'),
    tokens: read('tokens'),
    directives: read('directives'),
    documentChars: read('documentChars'),
    cost: read('cost'),
  };
}

/** The limits when the configuration gives none: every {@link limitDefaults} value. */
export const queryLimits: Readonly<QueryLimits> = limitsFromEnv({});
