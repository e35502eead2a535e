import {
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** What every post of a thread shows, each moving with an event of the thread. */
const postFields = [
  'id',
  'body',
  'createdAt',
  'updatedAt',
  'editedAt',
  'score',
  'viewerVote',
  'author',
  'revisionCount',
];
const connectionFields = new Set(['nodes', 'edges', 'pageInfo', 'totalCount']);
const edgeFields = new Set(['cursor', 'node']);

/**
 * The fields an anonymous thread page may hold and still be cached: each changes only with a thread
 * event of its thread (a post, an edit, a vote, a deletion, an acceptance) or with a rename, which
 * moves the page epoch (migration 1764225000000). Left out, because they change without either:
 * reputation and bio, follower counts, tag counts, bodyHTML and mentions (a sign-up turns an
 * @mention into a link), revisions' editors, and the viewer's permissions.
 */
const cacheableFields: Readonly<Record<string, ReadonlySet<string>>> = {
  Query: new Set(['question', 'node']),
  Node: new Set(['id']),
  // eventCursor is the thread's event number, which keys the page itself.
  Question: new Set([
    ...postFields,
    'title',
    'lastActivityAt',
    'tags',
    'answers',
    'answerCount',
    'acceptedAnswer',
    'eventCursor',
  ]),
  Answer: new Set([...postFields, 'question', 'replies', 'replyCount', 'isAccepted']),
  Reply: new Set(postFields),
  User: new Set(['id', 'username', 'displayName']),
  Tag: new Set(['id', 'name']),
  AnswerConnection: connectionFields,
  AnswerEdge: edgeFields,
  ReplyConnection: connectionFields,
  ReplyEdge: edgeFields,
  PageInfo: new Set(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
};

/** Where a cacheable page's thread id comes from: a variable, or the document itself. */
export type ThreadIdSource = { variable: string } | { literal: string };

/** What a document is to the page cache: not a thread page, or one whose thread id is at `id`. */
export type PagePlan = { cacheable: false } | { cacheable: true; document: DocumentNode; id: ThreadIdSource };

const notCacheable: PagePlan = { cacheable: false };

function onlyFieldsOf(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let allowed = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field: FieldNode) {
        if (field.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        if (!parent || !cacheableFields[parent.name]?.has(field.name.value)) allowed = false;
      },
    }),
  );
  return allowed;
}

function threadIdOf(operation: OperationDefinitionNode): ThreadIdSource | null {
  const [root, ...others] = operation.selectionSet.selections;
  if (others.length > 0 || root.kind !== Kind.FIELD || (root.directives?.length ?? 0) > 0) return null;
  const id = root.arguments?.find((argument) => argument.name.value === 'id')?.value;
  if (id?.kind === Kind.VARIABLE) return { variable: id.name.value };
  if (id?.kind === Kind.STRING) return { literal: id.value };
  return null;
}

/**
 * Decides whether `query` is a thread page the anonymous cache may keep: one query operation (named
 * `operationName` when given) whose one root field is `question(id:)` or `node(id:)`, selecting only
 * {@link cacheableFields}. Anything else, an unparsable document included, is not cacheable and is
 * served as usual.
 */
export function planPage(schema: GraphQLSchema, query: string, operationName: string | undefined): PagePlan {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return notCacheable;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return notCacheable;
  const [operation] = operations;
  if (operation.operation !== 'query') return notCacheable;
  if (operationName !== undefined && operation.name?.value !== operationName) return notCacheable;
  const id = threadIdOf(operation);
  if (id === null || !onlyFieldsOf(schema, document)) return notCacheable;
  return { cacheable: true, document, id };
}
