import type { RequestHandler } from 'express';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import Negotiator from 'negotiator';
import type { Sessions } from '../auth/sessions.js';
import { boundedCache } from '../bounded-map.js';
import type { Database } from '../db/database.js';
import { rowIdOf } from '../ids.js';
import { answerOrderings, replyOrdering } from '../loaders/orderings.js';
import {
  fieldsOf,
  pageStatement,
  type PageField,
  type PageStatement,
  type PageType,
} from '../loaders/page-statement.js';
import { checkFirst, type Ordering } from '../loaders/pagination.js';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { RateLimits } from '../services/rate-limits.js';
import { logOperation } from './apollo.js';
import { operationCost, queryLimitRules, type QueryLimits } from './limits.js';
import { planCapacity, readRequest } from './page-cache.js';

/** What thread pages are compiled against and answered with. */
export interface CompiledPagesOptions {
  schema: GraphQLSchema;
  db: Database;
  sessions: Pick<Sessions, 'viewerOf'>;
  /** A compiled page costs its client what graphql-js running it would. */
  rateLimits: RateLimits;
  queryLimits: QueryLimits;
  metrics: Metrics;
  log: Log;
}

/** A field of a compiled document, with what its arguments are read from on each request. */
interface PlannedField {
  key: string;
  name: string;
  node: FieldNode;
  /** The schema's field, for fields with arguments (the root, connections). */
  definition?: GraphQLField<unknown, unknown>;
  selection?: PlannedField[];
}

/** A document that is a thread page {@link pageStatement} can answer. */
interface CompiledPage {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  question: PlannedField;
  /** Its statements, one per shape of request (see statementOf). */
  statements: (shape: string, build: () => PageStatement) => PageStatement;
}

/** A request's page: the question and the selection with its pages' arguments. */
interface ResolvedPage {
  questionId: number;
  selection: PageField[];
}

/** Statements kept per compiled page: a handful of page sizes and orders, each with or without a viewer. */
const statementCapacity = 16;

/** What makes one request's statement text differ from another's: each page's size and order. */
function shapeOf(selection: readonly PageField[]): string {
  return selection
    .map(
      ({ page, selection: inner }) =>
        `${page ? `${page.first}${page.ordering.name}` : ''}(${inner ? shapeOf(inner) : ''})`,
    )
    .join();
}

/**
 * Distinct statement texts prepared at most. A page's text follows its document, which any client
 * writes: each prepared text stays in every session that ran it (and its name in this process), so
 * past these the rest are planned on each call instead.
 */
const preparedCapacity = 100;
/** The response types Apollo chooses among, in its order of preference; the callback one is left to it. */
const mediaTypes = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8'];
const withCallback = 'application/json; callbackSpec=1.0; charset=utf-8';

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The fields `set` selects on `parent`, its fragments' in their place, as graphql-js collects them:
 * a leaf asked for twice (`id` in a fragment and beside it) once, where it first comes. Null for a
 * directive, a fragment on another type, or an object field asked for twice, which graphql-js would
 * merge: those documents go to graphql-js. A fragment applies on its type and on the interfaces the
 * type implements (`on Post`, `on Node`).
 */
function collectFields(parent: GraphQLObjectType, set: SelectionSetNode, fragments: Fragments): FieldNode[] | null {
  const fields = new Map<string, FieldNode>();
  const collect = (selections: SelectionSetNode['selections']): boolean =>
    selections.every((node) => {
      if ((node.directives?.length ?? 0) > 0) return false;
      if (node.kind === Kind.FIELD) {
        const key = node.alias?.value ?? node.name.value;
        const seen = fields.get(key);
        if (seen === undefined) fields.set(key, node);
        return seen === undefined || (!seen.selectionSet && !node.selectionSet);
      }
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : fragments.get(node.name.value);
      const condition = fragment?.typeCondition?.name.value ?? parent.name;
      const applies = condition === parent.name || parent.getInterfaces().some((type) => type.name === condition);
      return fragment !== undefined && applies && (fragment.directives?.length ?? 0) === 0
        ? collect(fragment.selectionSet.selections)
        : false;
    });
  return collect(set.selections) ? [...fields.values()] : null;
}

/** The fields of `set` on `parent`, or null when any is beyond what a page statement reads. */
function planSelection(parent: GraphQLObjectType, set: SelectionSetNode, fragments: Fragments): PlannedField[] | null {
  const allowed = fieldsOf[parent.name as PageType] as ReadonlySet<string> | undefined;
  const fields = collectFields(parent, set, fragments);
  if (allowed === undefined || fields === null) return null;
  const planned: PlannedField[] = [];
  for (const node of fields) {
    const name = node.name.value;
    if (!allowed.has(name)) return null;
    const definition = parent.getFields()[name] as GraphQLField<unknown, unknown> | undefined;
    const paged = name === 'answers' || name === 'replies';
    if (!paged && (node.arguments?.length ?? 0) > 0) return null;
    const field: PlannedField = {
      key: node.alias?.value ?? name,
      name,
      node,
      definition: paged ? definition : undefined,
    };
    if (node.selectionSet) {
      const type = definition && getNamedType(definition.type);
      const selection = isObjectType(type) ? planSelection(type, node.selectionSet, fragments) : null;
      if (selection === null) return null;
      field.selection = selection;
    }
    planned.push(field);
  }
  return planned;
}

/**
 * `query` as a compiled thread page: one valid query operation (named `operationName` when given)
 * whose one root field is `question(id:)` selecting only fields of {@link fieldsOf}, through
 * fragments on the types they are spread in or not.
 * Null for anything else, which graphql-js runs as usual.
 */
function compile(
  schema: GraphQLSchema,
  limits: QueryLimits,
  query: string,
  operationName: string | undefined,
): CompiledPage | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: limits.tokens });
  } catch {
    return null;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const fragments: Fragments = new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const [operation] = operations;
  if (operations.length !== 1 || operation.operation !== 'query') return null;
  if (operationName !== undefined && operation.name?.value !== operationName) return null;
  if (validate(schema, document, [...specifiedRules, ...queryLimitRules(limits)]).length > 0) return null;
  const queryType = schema.getQueryType();
  const roots = queryType && collectFields(queryType, operation.selectionSet, fragments);
  const root = roots?.length === 1 ? roots[0] : undefined;
  if (root?.name.value !== 'question' || !root.selectionSet) return null;
  const definition = queryType!.getFields().question;
  const questionType = getNamedType(definition.type);
  if (!isObjectType(questionType)) return null;
  const selection = planSelection(questionType, root.selectionSet, fragments);
  if (selection === null) return null;
  const question = { key: root.alias?.value ?? 'question', name: 'question', node: root, definition, selection };
  return { document, operation, question, statements: boundedCache(statementCapacity) };
}

/** Thrown when a request's page is one graphql-js must read: resolvePage then gives null. */
class NotCompiled extends Error {}

/** The page a connection's arguments ask for, checked as the resolvers do; only first pages are compiled. */
function pageOf(field: PlannedField, variables: Record<string, unknown>): PageField['page'] {
  const definition = field.definition!;
  const args = getArgumentValues(definition, field.node, variables);
  if (args.after != null || args.last != null || args.before != null) throw new NotCompiled();
  const fallback = definition.args.find((arg) => arg.name === 'first')?.defaultValue as number;
  const first = checkFirst((args.first as number | null) ?? fallback);
  const ordering: Ordering | undefined =
    field.name === 'answers' ? answerOrderings[args.orderBy as keyof typeof answerOrderings] : replyOrdering;
  if (ordering === undefined) throw new NotCompiled();
  return { first, ordering };
}

function resolveSelection(planned: readonly PlannedField[], variables: Record<string, unknown>): PageField[] {
  return planned.map((field) => ({
    key: field.key,
    name: field.name,
    ...(field.definition && { page: pageOf(field, variables) }),
    ...(field.selection && { selection: resolveSelection(field.selection, variables) }),
  }));
}

/**
 * The question and the selection this request asks for, its variables coerced and its arguments
 * checked as graphql-js and the resolvers would; null when either would answer with an error, or
 * the page is not a first page, so that graphql-js answers it.
 */
function resolvePage(schema: GraphQLSchema, page: CompiledPage, inputs: Record<string, unknown>): ResolvedPage | null {
  const variables = getVariableValues(schema, page.operation.variableDefinitions ?? [], inputs, { maxErrors: 1 });
  if (variables.errors) return null;
  const { coerced } = variables;
  try {
    const { id } = getArgumentValues(page.question.definition!, page.question.node, coerced);
    const questionId = rowIdOf(id as string, ['Question'], 'id').rowId;
    return { questionId, selection: resolveSelection(page.question.selection!, coerced) };
  } catch {
    return null;
  }
}

/**
 * Thread pages from one SQL statement, in front of Apollo on /graphql: a POST or GET whose document is a
 * page {@link compile} accepts is answered with the JSON PostgreSQL writes (see {@link pageStatement}),
 * identical to what Apollo would send, with the same cost charged, log line and metrics. Anything
 * else, or anything that would end in an error (a bad id, a bad token, an exhausted budget, a failed
 * statement), passes to Apollo, which answers as it always does.
 */
export function compiledPages(options: CompiledPagesOptions): RequestHandler {
  const { schema, db, sessions, rateLimits, queryLimits, metrics, log } = options;
  const plans = boundedCache<string, CompiledPage | null>(planCapacity);
  const contentTypes = boundedCache<string, string | null>(planCapacity);
  const preparedTexts = new Set<string>();
  const read = (text: string, values: unknown[]) => {
    const prepare = preparedTexts.has(text) || preparedTexts.size < preparedCapacity;
    if (prepare) preparedTexts.add(text);
    return prepare ? db.prepared<{ body: string }>(text, values) : db.unprepared<{ body: string }>(text, values);
  };
  const planOf = (query: string, operationName: string | undefined) =>
    plans(`${operationName ?? ''}\n${query}`, () => compile(schema, queryLimits, query, operationName));
  const contentTypeOf = (accept: string | undefined) =>
    accept === undefined
      ? mediaTypes[0]
      : contentTypes(accept, () => {
          const preferred = new Negotiator({ headers: { accept } }).mediaType([...mediaTypes, withCallback]);
          return preferred === withCallback ? null : (preferred ?? null);
        });
  /** The page's statement, built once per shape (pages asked, a viewer or none) and given this request's values. */
  const statementOf = (page: CompiledPage, resolved: ResolvedPage, viewerId: number | null) => {
    const shape = `${viewerId === null ? 0 : 1}${shapeOf(resolved.selection)}`;
    const built = page.statements(shape, () => pageStatement(page.question.key, resolved.selection, viewerId !== null));
    return { text: built.text, values: built.values(resolved.questionId, viewerId) };
  };

  return async (req, res, next) => {
    // A GET with a body type is Apollo's to refuse.
    if (req.method !== 'POST' && (req.method !== 'GET' || req.headers['content-type'] !== undefined)) return next();
    const started = performance.now();
    const request = readRequest(req);
    const page = request && planOf(request.query, request.operationName);
    const contentType = contentTypeOf(req.headers.accept);
    if (!request || !page || contentType === null) return next();
    const resolved = resolvePage(schema, page, request.variables);
    if (resolved === null) return next();
    let body: string;
    let viewerId: number | null;
    try {
      viewerId = (await sessions.viewerOf(req.headers.authorization))?.userId ?? null;
      await rateLimits.queryCost(
        req.ip ?? '',
        operationCost(schema, page.document, { operationName: request.operationName, variables: request.variables }),
      );
      const { text, values } = statementOf(page, resolved, viewerId);
      [{ body }] = await read(text, values);
    } catch {
      // A bad token, an exhausted budget, a failed statement: Apollo refuses or fails the request, in
      // the shape and with the status of every other.
      return next();
    }
    res.status(200).setHeader('content-type', contentType);
    res.send(`${body}\n`);
    const operationName = page.operation.name?.value ?? null;
    metrics.compiledPages.inc();
    metrics.operation(operationName, 'query', 'success', (performance.now() - started) / 1000);
    logOperation(log, { requestId: res.locals.requestId as string, operationName, started, viewerId, errorCodes: [] });
  };
}
