import type { RequestHandler } from 'express';
import {
  GraphQLError,
  Kind,
  Lexer,
  SchemaMetaFieldDef,
  Source,
  TokenKind,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  isCompositeType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  valueFromAST,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { maxPageSize } from '../loaders/pagination.js';

/**
 * What a GraphQL document may ask for, checked before anything runs, over HTTP and WebSocket alike.
 * Each value can be overridden by the environment variable named in its comment (a whole number > 0).
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
  /** Objects the operation can return, counted by {@link operationCost}. `MAX_QUERY_COST`. @default 50000 */
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
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): QueryLimits {
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

/** The limits in force, read once from the environment at start-up. */
export const queryLimits: Readonly<QueryLimits> = limitsFromEnv();

/** Depth and cost are what the operation asks the server to do; the other limits are about the document. */
const tooComplex: ReadonlySet<LimitName> = new Set<LimitName>(['depth', 'cost']);

/**
 * A document refused by a limit: QUERY_TOO_COMPLEX for depth and cost, GRAPHQL_VALIDATION_FAILED for
 * the others. `extensions` name the `limit`, its `max`, and the measured value under the limit's name
 * (`{ limit: 'cost', max: 50000, cost: 2020200 }`).
 */
export class QueryLimitError extends GraphQLError {
  constructor(limit: LimitName, measured: number, max: number, nodes?: ASTNode) {
    const shown = Number.isFinite(measured) && measured < Number.MAX_SAFE_INTEGER ? measured : Number.MAX_SAFE_INTEGER;
    super(`The query's ${limit} is ${shown.toLocaleString('en')}, over the limit of ${max.toLocaleString('en')}`, {
      nodes,
      extensions: {
        code: tooComplex.has(limit) ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_VALIDATION_FAILED',
        limit,
        max,
        [limit]: shown,
      },
    });
  }
}

/** Counts the tokens of `source`, stopping past `max`; a lexical error ends the count (parsing reports it). */
function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A syntax error: the parser will refuse the document with GRAPHQL_PARSE_FAILED.
  }
  return count;
}

/**
 * The size limits that can be checked on the text alone, before it is parsed: characters, then tokens
 * (lexed only up to the limit). Returns the refusal, or undefined when the text is within them.
 */
export function checkDocumentText(source: string, limits: QueryLimits = queryLimits): QueryLimitError | undefined {
  if (source.length > limits.documentChars)
    return new QueryLimitError('documentChars', source.length, limits.documentChars);
  const tokens = countTokens(source, limits.tokens);
  return tokens > limits.tokens ? new QueryLimitError('tokens', tokens, limits.tokens) : undefined;
}

/** What {@link measureOperation} finds over the selection as it runs (fragments expanded). */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

const zero: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };

/** How many items each introspection list can hold in `schema`: its largest type, field list, … */
const introspectionSizes = new WeakMap<GraphQLSchema, Map<string, number>>();

function introspectionSizesOf(schema: GraphQLSchema): Map<string, number> {
  let sizes = introspectionSizes.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const most = (counts: number[]) => Math.max(1, ...counts);
  const fieldLists = types.flatMap((type) => (isObjectType(type) || isInterfaceType(type) ? [type.getFields()] : []));
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', most(fieldLists.map((fields) => Object.keys(fields).length))],
    [
      '__Type.inputFields',
      most(types.map((type) => (isInputObjectType(type) ? Object.keys(type.getFields()).length : 0))),
    ],
    ['__Type.enumValues', most(types.map((type) => (isEnumType(type) ? type.getValues().length : 0)))],
    ['__Type.interfaces', most(types.map((type) => ('getInterfaces' in type ? type.getInterfaces().length : 0)))],
    [
      '__Type.possibleTypes',
      most(types.map((type) => (isAbstractType(type) ? schema.getPossibleTypes(type).length : 0))),
    ],
    ['__Field.args', most(fieldLists.flatMap((fields) => Object.values(fields).map((field) => field.args.length)))],
    ['__Directive.args', most(schema.getDirectives().map((directive) => directive.args.length))],
  ]);
  introspectionSizes.set(schema, sizes);
  return sizes;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Where a measure runs: the schema, the fragments, and the variables when they are known. */
interface Scope {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>> | undefined;
  /** Each fragment's measure, computed once per operation; `null` while it is being computed (a cycle). */
  memo: Map<string, OperationMeasure | null>;
  /** Set when a page size came from a variable: the measure then holds for these variables only. */
  readsVariables: boolean;
}

/** The page size a connection field asks for: its `first`, clamped to 0..100 (past that, the resolver refuses). */
function pageSizeOf(scope: Scope, node: FieldNode, field: GraphQLField<unknown, unknown>): number | undefined {
  const definition = field.args.find((arg) => arg.name === 'first');
  if (!definition) return undefined;
  const argument = node.arguments?.find((arg) => arg.name.value === 'first');
  let value: unknown = definition.defaultValue;
  if (argument?.value.kind === Kind.VARIABLE) {
    scope.readsVariables = true;
    const name = argument.value.name.value;
    const declared = scope.operation.variableDefinitions?.find((variable) => variable.variable.name.value === name);
    // Unknown before the variables come (validation results are cached per document): the variable's
    // default, else the largest page the field will give.
    value =
      scope.variables && name in scope.variables
        ? scope.variables[name]
        : declared?.defaultValue
          ? valueFromAST(declared.defaultValue, definition.type)
          : maxPageSize;
  } else if (argument) {
    value = valueFromAST(argument.value, definition.type);
  }
  if (value === null || value === undefined) value = definition.defaultValue ?? maxPageSize;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), maxPageSize) : maxPageSize;
}

function fieldOf(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string) {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

function measureSelections(
  scope: Scope,
  set: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
): OperationMeasure {
  let depth = 0;
  let aliases = 0;
  let cost = 0;
  const add = (part: OperationMeasure, selfDepth = 0, copies = 1, own = 0) => {
    depth = Math.max(depth, selfDepth + part.depth);
    aliases += part.aliases;
    cost += own + copies * part.cost;
  };
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fieldOf(scope.schema, parent, selection.name.value);
      const type = field ? getNamedType(field.type) : undefined;
      if (selection.alias) aliases++;
      const key = `${parent?.name}.${selection.name.value}`;
      // Each copy of an object field is one object; a connection is `first` of them, and so is an
      // introspection list (as many as the schema holds); everything under it is repeated as often.
      const copies =
        !field || !isCompositeType(type)
          ? 0
          : (pageSizeOf(scope, selection, field) ??
            (parent?.name.startsWith('__') && isList(field.type)
              ? (introspectionSizesOf(scope.schema).get(key) ?? 1)
              : 1));
      const inner = selection.selectionSet ? measureSelections(scope, selection.selectionSet, type) : zero;
      // `ofType` unwraps the type above it (`[Tag!]!` → `Tag!` → `Tag`): neither deeper nor more.
      if (key === '__Type.ofType') add(inner);
      else add(inner, 1, Math.max(copies, 1), copies);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? scope.schema.getType(selection.typeCondition.name.value) : parent;
      add(measureSelections(scope, selection.selectionSet, type));
    } else {
      add(measureFragment(scope, selection.name.value));
    }
  }
  return { depth, aliases, cost };
}

/** A fragment's measure, once per document however often it is spread; a cycle counts nothing more. */
function measureFragment(scope: Scope, name: string): OperationMeasure {
  const known = scope.memo.get(name);
  if (known !== undefined) return known ?? zero;
  const fragment = scope.fragments.get(name);
  if (!fragment) return zero;
  scope.memo.set(name, null);
  const measure = measureSelections(
    scope,
    fragment.selectionSet,
    scope.schema.getType(fragment.typeCondition.name.value),
  );
  scope.memo.set(name, measure);
  return measure;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Measures an operation over its selection as it runs (every fragment spread expanded), in time linear
 * in the document: each fragment is measured once, so a fragment spread 10 times in each of 10 levels
 * costs 10 × 10 steps, not 10¹⁰. Fragments in a cycle are not followed (graphql refuses cycles).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Readonly<Record<string, unknown>>,
): OperationMeasure {
  return measureInScope(schema, document, operation, variables).measure;
}

function measureInScope(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): { measure: OperationMeasure; readsVariables: boolean } {
  const scope: Scope = {
    schema,
    fragments: fragmentsOf(document),
    operation,
    variables,
    memo: new Map(),
    readsVariables: false,
  };
  const measure = measureSelections(
    scope,
    operation.selectionSet,
    schema.getRootType(operation.operation) ?? undefined,
  );
  return { measure, readsVariables: scope.readsVariables };
}

/**
 * Costs that no variable changes, by schema, document and operation name. Apollo hands every request
 * of a cached document the same DocumentNode, so such a document is measured once, not per request.
 */
const fixedCosts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();

/**
 * The cost of an operation: how many objects it can return, counted before it runs. Every field of
 * object type counts one object per copy of its parent; a connection (a field with `first`) counts
 * `first` objects (its value, its default when omitted, 100 when it comes from a variable whose value
 * is not given; clamped to 0..100) and repeats everything under it `first` times; an introspection
 * list counts as many items as the schema could give it. Leaves cost nothing. So the thread page
 * (10 answers with 5 replies each) costs 183, and three nested `first: 100` connections 2,020,200.
 *
 * Pass `variables` when they are known (rate limiting); `operationName` picks the operation of a
 * document holding several (the first one when omitted). Returns 0 for a document with no operation.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  { operationName, variables }: { operationName?: string | null; variables?: Readonly<Record<string, unknown>> } = {},
): number {
  let bySchema = fixedCosts.get(schema);
  if (!bySchema) fixedCosts.set(schema, (bySchema = new WeakMap()));
  let byName = bySchema.get(document);
  if (!byName) bySchema.set(document, (byName = new Map()));
  const known = byName.get(operationName ?? '');
  if (known !== undefined) return known;
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation) return 0;
  const { measure, readsVariables } = measureInScope(schema, document, operation, variables);
  if (!readsVariables) byName.set(operationName ?? '', measure.cost);
  return measure.cost;
}

/** One measure of each operation of the document under validation, shared by the three rules below. */
const measures = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationMeasure>>();

function measured(context: ValidationContext, operation: OperationDefinitionNode): OperationMeasure {
  const document = context.getDocument();
  let byOperation = measures.get(document);
  if (!byOperation) measures.set(document, (byOperation = new Map()));
  let measure = byOperation.get(operation);
  if (!measure) byOperation.set(operation, (measure = measureOperation(context.getSchema(), document, operation)));
  return measure;
}

function operationRule(limit: 'depth' | 'aliases' | 'cost', limits: QueryLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const value = measured(context, operation)[limit];
      if (value > limits[limit]) context.reportError(new QueryLimitError(limit, value, limits[limit], operation));
    },
  });
}

/** Refuses a document with more directives than the limit. */
function directivesRule(limits: QueryLimits): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      Directive() {
        count++;
      },
      Document: {
        leave(document) {
          if (count > limits.directives) {
            context.reportError(new QueryLimitError('directives', count, limits.directives, document));
          }
        },
      },
    };
  };
}

/** Refuses, after parsing, a document over the size limits (for paths that did not check the text first). */
function documentTextRule(limits: QueryLimits): ValidationRule {
  return (context) => ({
    Document(document) {
      const text = document.loc?.source.body;
      const refusal = text === undefined ? undefined : checkDocumentText(text, limits);
      if (refusal) context.reportError(refusal);
    },
  });
}

/**
 * The validation rules of {@link QueryLimits}, to run after graphql's own (`specifiedRules`): they
 * need no variables, so a validated document may be cached. Depth, aliases and cost are measured over
 * the expanded selection of each operation (see {@link measureOperation}).
 */
export function queryLimitRules(limits: QueryLimits = queryLimits): ValidationRule[] {
  return [
    documentTextRule(limits),
    directivesRule(limits),
    operationRule('depth', limits),
    operationRule('aliases', limits),
    operationRule('cost', limits),
  ];
}

/** graphql's "Did you mean …?" at the end of a validation message, which describes the schema. */
const suggestion = / ?Did you mean .+\?$/;

/**
 * A `validate` for graphql-ws: graphql's rules and {@link queryLimitRules}. graphql's own errors get
 * the code GRAPHQL_VALIDATION_FAILED, as over HTTP (graphql-ws sends them without a code); with
 * `hideSuggestions`, "Did you mean …?" is cut from the messages (Apollo's
 * `hideSchemaDetailsFromClientErrors` does the same over HTTP).
 */
export function validateWithLimits({
  limits = queryLimits,
  hideSuggestions = false,
}: { limits?: QueryLimits; hideSuggestions?: boolean } = {}): typeof validate {
  const rules = [...specifiedRules, ...queryLimitRules(limits)];
  return (schema, document) =>
    validate(schema, document, rules).map((error) =>
      error instanceof QueryLimitError
        ? error
        : new GraphQLError(hideSuggestions ? error.message.replace(suggestion, '') : error.message, {
            nodes: error.nodes,
            originalError: error.originalError,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
    );
}

/**
 * For graphql-ws, before it parses: refuses a source over the size limits, or one that does not parse
 * (GRAPHQL_PARSE_FAILED), as an error of that operation. (graphql-ws would close the whole socket with
 * 4500 on a syntax error, ending the client's other subscriptions.)
 */
export function checkSource(source: string, limits: QueryLimits = queryLimits): GraphQLError | undefined {
  const tooLarge = checkDocumentText(source, limits);
  if (tooLarge) return tooLarge;
  try {
    parse(source, { maxTokens: limits.tokens, noLocation: true });
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return new GraphQLError(error.message, {
      source: error.source,
      positions: error.positions,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  }
}

/**
 * Apollo answers every validation error as GRAPHQL_VALIDATION_FAILED, overwriting the code of a
 * {@link QueryLimitError}: wraps `formatError` to give such errors their code back (QUERY_TOO_COMPLEX).
 */
export function withLimitCodes(
  format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = error instanceof GraphQLError ? error.originalError : undefined;
    const restored =
      original instanceof QueryLimitError
        ? { ...formatted, extensions: { ...formatted.extensions, code: original.extensions.code } }
        : formatted;
    return format(restored, error);
  };
}

/** How many accepted document texts {@link refuseLargeDocuments} remembers (at most 15,000 characters each). */
const acceptedTextsKept = 500;

/**
 * Express middleware for the GraphQL endpoint, after the JSON parser: refuses a query over the
 * character or token limit before anything parses it, with status 400 and a GraphQL error body
 * (code GRAPHQL_VALIDATION_FAILED, `extensions.limit`, the request id from `res.locals.requestId`).
 */
export function refuseLargeDocuments(limits: QueryLimits = queryLimits): RequestHandler {
  // Clients send the same few documents over and over: each text found within the limits is lexed
  // once. A bounded set, forgotten all at once when full.
  const accepted = new Set<string>();
  return (req, res, next) => {
    const query = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || accepted.has(query)) return next();
    const refusal = checkDocumentText(query, limits);
    if (!refusal) {
      if (accepted.size >= acceptedTextsKept) accepted.clear();
      accepted.add(query);
      return next();
    }
    const requestId = res.locals.requestId as string | undefined;
    res.status(400).json({ errors: [{ message: refusal.message, extensions: { ...refusal.extensions, requestId } }] });
  };
}
