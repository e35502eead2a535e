import { readFileSync } from 'node:fs';

/**
 * The contract, vendored in schema/contract/ so that a clone needs nothing beside it; where
 * ../shared exists, `.ci/run` checks that both files equal it.
 */
export const contractFiles = {
  contract: new URL('../../schema/contract/api-contract.graphql', import.meta.url),
  extensions: new URL('../../schema/contract/api-contract-extensions.graphql', import.meta.url),
} as const;

/**
 * The codes the contract allows in `extensions.code`, read from the comment of
 * api-contract.graphql that lists them ("Every error carries extensions.code, one of: …").
 */
export const contractErrorCodes: ReadonlySet<string> = (() => {
  const contract = readFileSync(contractFiles.contract, 'utf8');
  const list = /extensions\.code, one of:([\s\S]*?)\(internal details/.exec(contract)?.[1];
  if (!list) throw new Error('api-contract.graphql no longer lists its error codes where expected');
  return new Set(list.match(/[A-Z][A-Z_]+[A-Z]/g));
})();
