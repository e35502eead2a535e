import { describe, expect, it } from '@jest/globals';
import {
  getIntrospectionQuery,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { readFileSync, readdirSync } from 'node:fs';
import {
  limitDefaults,
  limitsFromEnv,
  measureOperation,
  operationCost,
  queryLimitRules,
  queryLimits,
} from '../src/http/limits.js';
import { ThreadViewDocument } from '../schema/trusted-documents/graphql.js';
import { fanOutBomb, nestedConnections, schema } from './support/hostile.js';

/** The errors of a measure under the served schema, graphql's own rules and ours. */
function limitErrors(document: string): Array<Record<string, unknown> | undefined> {
  return validate(schema, parse(document), [...specifiedRules, ...queryLimitRules()]).map((error) => error.extensions);
}

/** Every operation of `schema/operations/*.graphql`, each in a document with the fragments it spreads. */
function clientOperations(): Array<[string, string]> {
  const definitions: DefinitionNode[] = readdirSync('schema/operations')
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(`schema/operations/${file}`, 'utf8')).definitions);
  const fragments = new Map(
    definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const spreads = (node: DefinitionNode): string[] =>
    [...print(node).matchAll(/\.\.\.([_A-Za-z]\w*)/g)].map((m) => m[1]);
  return definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const used = new Set<string>();
      const pending = spreads(operation);
      while (pending.length > 0) {
        const name = pending.pop()!;
        if (used.has(name) || !fragments.has(name)) continue;
        used.add(name);
        pending.push(...spreads(fragments.get(name)!));
      }
      const document = [operation, ...[...used].map((name) => fragments.get(name)!)].map((node) => print(node));
      return [operation.name!.value, document.join('\n')];
    });
}

/** The GraphQL documents of the README: its graphql blocks and the `query:` strings of its code. */
function readmeOperations(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  const strings = [...readme.matchAll(/query: `([^`]*)`/g)].map((m) => m[1]);
  return [...blocks, ...strings];
}

describe('query limits, measured before execution', () => {
  it('should cost the thread page 183, well under the limit of 50,000', () => {
    expect(operationCost(schema, ThreadViewDocument)).toBe(183);
    expect(queryLimits.cost).toBe(50_000);
  });

  it('should cost three nested first: 100 connections 2,020,200 and refuse them as QUERY_TOO_COMPLEX', () => {
    expect(operationCost(schema, parse(nestedConnections))).toBe(2_020_200);
    expect(limitErrors(nestedConnections)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50_000, cost: 2_020_200 },
    ]);
  });

  it("should take first from the variables when given, else the variable's default, else 100", () => {
    const document = parse(
      'query ($n: Int, $m: Int = 3) { questions(first: $n) { nodes { id } } tags(first: $m) { nodes { id } } }',
    );
    // questions: n + n × nodes; tags: m + m × nodes.
    expect(operationCost(schema, document, { variables: { n: 5, m: 7 } })).toBe(5 + 5 + 7 + 7);
    expect(operationCost(schema, document)).toBe(100 + 100 + 3 + 3);
  });

  it("should take the schema's default first when it is omitted, and clamp a first over 100 to 100", () => {
    expect(operationCost(schema, parse('{ questions { totalCount } }'))).toBe(10);
    expect(operationCost(schema, parse('{ tags { totalCount } }'))).toBe(20);
    expect(operationCost(schema, parse('{ questions(first: 1000000) { totalCount } }'))).toBe(100);
  });

  it('should measure a fragment fan-out bomb of 10⁹ expanded fields, fragment by fragment', () => {
    const document = parse(fanOutBomb);
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(measureOperation(schema, document, operation)).toEqual({ depth: 2, aliases: 0, cost: 1_000_000_000 });
  });

  it('should count an alias in a fragment once per spread', () => {
    const document =
      '{ ...A ...B } fragment A on Query { a: viewer { id } b: viewer { id } } fragment B on Query { ...A }';
    const operation = parse(document).definitions[0] as OperationDefinitionNode;
    expect(measureOperation(schema, parse(document), operation).aliases).toBe(4);
  });

  it.each([
    ['no options', {}],
    ['descriptions: false', { descriptions: false }],
    ['inputValueDeprecation: true', { inputValueDeprecation: true }],
    [
      'every option',
      {
        descriptions: true,
        inputValueDeprecation: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        oneOf: true,
      },
    ],
  ])("should let GraphiQL's introspection query (%s) through every limit", (_name, options) => {
    const query = getIntrospectionQuery(options);
    expect(limitErrors(query)).toEqual([]);
    expect(operationCost(schema, parse(query))).toBeLessThan(queryLimits.cost / 2);
  });

  it.each(clientOperations())('should let the client operation %s through every limit', (_name, document) => {
    expect(limitErrors(document)).toEqual([]);
  });

  it('should let every operation of the README through every limit', () => {
    const documents = readmeOperations();
    expect(documents.length).toBeGreaterThanOrEqual(2);
    for (const document of documents) expect(limitErrors(document)).toEqual([]);
  });

  it('should read each limit from its environment variable and refuse a malformed one', () => {
    expect(limitsFromEnv({})).toEqual({
      depth: 10,
      aliases: 30,
      tokens: 2000,
      directives: 20,
      documentChars: 15_000,
      cost: 50_000,
    });
    expect(
      limitsFromEnv({
        MAX_QUERY_DEPTH: '12',
        MAX_ALIASES: '5',
        MAX_TOKENS: '100',
        MAX_DIRECTIVES: '2',
        MAX_DOCUMENT_CHARS: '900',
        MAX_QUERY_COST: '7',
      }),
    ).toEqual({ depth: 12, aliases: 5, tokens: 100, directives: 2, documentChars: 900, cost: 7 });
    expect(() => limitsFromEnv({ MAX_QUERY_COST: 'lots' })).toThrow('MAX_QUERY_COST');
    expect(() => limitsFromEnv({ MAX_QUERY_DEPTH: '0' })).toThrow('MAX_QUERY_DEPTH');
  });

  it("should list every limit's default, variable and code in the README's Security section", () => {
    const security = readFileSync('README.md', 'utf8').split('\n## Security\n')[1] ?? '';
    for (const [name, { value, env }] of Object.entries(limitDefaults)) {
      const code = name === 'depth' || name === 'cost' ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_VALIDATION_FAILED';
      const row = new RegExp(
        `^\\| \`${name}\` .*\\| ${value.toLocaleString('en')} +\\| \`${env}\` +\\| \`${code}\` +\\|$`,
        'm',
      );
      expect(security).toMatch(row);
    }
  });
});
