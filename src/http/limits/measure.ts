import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { maxPageSize } from '../../loaders/pagination.js';
import { introspectionSize, reachUnder, type IntrospectionReach } from './introspection-sizes.js';

/** What {@link measureOperation} finds over the selection as it runs (fragments expanded). */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

const zero: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };

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
  reach: IntrospectionReach = 'one',
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
            (parent?.name.startsWith('__') && isList(field.type) ? introspectionSize(scope.schema, key, reach) : 1));
      const inner = selection.selectionSet
        ? measureSelections(scope, selection.selectionSet, type, reachUnder(key, reach))
        : zero;
      // `ofType` unwraps the type above it (`[Tag!]!` → `Tag!` → `Tag`): neither deeper nor more.
      if (key === '__Type.ofType') add(inner);
      else add(inner, 1, Math.max(copies, 1), copies);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? scope.schema.getType(selection.typeCondition.name.value) : parent;
      add(measureSelections(scope, selection.selectionSet, type, reach));
    } else {
      add(measureFragment(scope, selection.name.value, reach));
    }
  }
  return { depth, aliases, cost };
}

/** A fragment's measure, once per document however often it is spread; a cycle counts nothing more. */
function measureFragment(scope: Scope, name: string, reach: IntrospectionReach): OperationMeasure {
  const memoKey = `${reach} ${name}`;
  const known = scope.memo.get(memoKey);
  if (known !== undefined) return known ?? zero;
  const fragment = scope.fragments.get(name);
  if (!fragment) return zero;
  scope.memo.set(memoKey, null);
  const measure = measureSelections(
    scope,
    fragment.selectionSet,
    scope.schema.getType(fragment.typeCondition.name.value),
    reach,
  );
  scope.memo.set(memoKey, measure);
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

/**
 * {@link measureOperation}, telling also whether a page size came from `variables`: then the measure
 * holds for these variables only and must not be kept for the document.
 */
export function measureInScope(
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
