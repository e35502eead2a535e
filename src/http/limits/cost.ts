import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { measureInScope } from './measure.js';

/**
 * Costs that no variable changes, by schema, document and operation name. Apollo hands every request
 * of a cached document the same DocumentNode, so such a document is measured once, not per request.
 */
const fixedCosts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();

/** Which operation of a document to cost, and with which variables. */
export interface OperationCostOptions {
  /** The operation of a document holding several. @default the first one */
  operationName?: string | null;
  /** The request's variables, when known (rate limiting). @default unknown: see {@link operationCost} */
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * The cost of an operation: how many objects it can return, counted before it runs. Every field of
 * object type counts one object per copy of its parent; a connection (a field with `first`) counts
 * `first` objects (its value, its default when omitted, 100 when it comes from a variable whose value
 * is not given; clamped to 0..100) and repeats everything under it `first` times; an introspection
 * list counts as many items as the schema could give it. Leaves cost nothing. So the thread page
 * (10 answers with 5 replies each) costs 183, and three nested `first: 100` connections 2,020,200.
 * Returns 0 for a document with no operation.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  { operationName, variables }: OperationCostOptions = {},
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
