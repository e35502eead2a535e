import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  visit,
  type FieldNode,
  type ASTNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * Looking ahead in the query, so that a resolver can read children together with their parent. A
 * child counts only when selected exactly once (an alias counts as another). @skip and @include are
 * not looked at: a child read and then skipped only costs part of a statement.
 */

/** The fields named `name` selected under `parents`, through fragments. */
function fieldsNamed(info: GraphQLResolveInfo, parents: readonly FieldNode[], name: string): FieldNode[] {
  const found: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const parent of parents) visit(parent.selectionSet);
  return found;
}

const namesIn = new WeakMap<ASTNode, ReadonlySet<string>>();

/** The name of every field selected in `node` (a document, an operation, a fragment), gathered once per node. */
export function fieldNamesIn(node: ASTNode): ReadonlySet<string> {
  let names = namesIn.get(node);
  if (names === undefined) {
    const found = new Set<string>();
    visit(node, { Field: (field) => void found.add(field.name.value) });
    namesIn.set(node, (names = found));
  }
  return names;
}

/**
 * Whether the operation selects a field named `name` anywhere, fragments included (every fragment
 * of a valid document is spread somewhere).
 */
export function operationSelects(info: GraphQLResolveInfo, name: string): boolean {
  return (
    fieldNamesIn(info.operation).has(name) ||
    Object.values(info.fragments).some((fragment) => fieldNamesIn(fragment).has(name))
  );
}

/** A field of object type `typeName` as the query selects it, with its arguments (variables and defaults applied). */
export interface Selected {
  node: FieldNode;
  args: Record<string, unknown>;
}

/** Field `name` of the object the current field returns, when selected exactly once. */
export function selectedChild(info: GraphQLResolveInfo, name: string): Selected | null {
  return selectedUnder(info, info.fieldNodes, getNamedType(info.returnType).name, name);
}

/** Field `name` of type `typeName` selected under `parents`, when selected exactly once. */
export function selectedUnder(
  info: GraphQLResolveInfo,
  parents: readonly FieldNode[],
  typeName: string,
  name: string,
): Selected | null {
  const type = info.schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[name] : undefined;
  const found = field ? fieldsNamed(info, parents, name) : [];
  if (field === undefined || found.length !== 1) return null;
  return { node: found[0], args: getArgumentValues(field, found[0], info.variableValues) };
}

/** The nodes of a connection field as selected: under `nodes` and under `edges { node }`. */
export function connectionNodes(info: GraphQLResolveInfo, connection: FieldNode): FieldNode[] {
  const edges = fieldsNamed(info, [connection], 'edges');
  return [...fieldsNamed(info, [connection], 'nodes'), ...fieldsNamed(info, edges, 'node')];
}
