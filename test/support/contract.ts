import { readFileSync } from 'node:fs';

/** The codes of Apollo's automatic persisted queries, which issue 18 adds to the contract's. */
const persistedQueryCodes = ['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'];

/**
 * The codes the contract allows in `extensions.code`, read from the comment of
 * ../shared/api-contract.graphql that lists them ("Every error carries extensions.code, one of: …").
 */
export const contractErrorCodes: ReadonlySet<string> = (() => {
  const contract = readFileSync(new URL('../../../shared/api-contract.graphql', import.meta.url), 'utf8');
  const list = /extensions\.code, one of:([\s\S]*?)\(internal details/.exec(contract)?.[1];
  if (!list) throw new Error('api-contract.graphql no longer lists its error codes where expected');
  return new Set([...(list.match(/[A-Z][A-Z_]+[A-Z]/g) ?? []), ...persistedQueryCodes]);
})();
