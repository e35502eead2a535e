import { randomUUID } from 'node:crypto';
import { BadUserInputError } from './errors/index.js';

/** The GraphQL types whose ids are global (Relay Global Object Identification). */
export type NodeType = 'User' | 'Question' | 'Answer' | 'Reply' | 'Tag' | 'Notification' | 'Flag' | 'ModerationAction';

const nodeTypes: ReadonlySet<string> = new Set<NodeType>([
  'User',
  'Question',
  'Answer',
  'Reply',
  'Tag',
  'Notification',
  'Flag',
  'ModerationAction',
]);

/** Opaque, stable id: base64url of `Type:rowId`. */
export function toGlobalId(type: NodeType, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString('base64url');
}

/** Decodes a global id; a string that is not one of ours gives BAD_USER_INPUT. */
export function fromGlobalId(id: string, field = 'id'): { type: NodeType; rowId: number } {
  const decoded = Buffer.from(id, 'base64url');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(decoded.toString());
  // Re-encoding must give the id back, so that each object has exactly one id.
  const canonical = decoded.toString('base64url') === id;
  if (!match || !canonical || !nodeTypes.has(match[1]) || Number(match[2]) > 2147483647) {
    throw new BadUserInputError(`"${id}" is not a valid id`, { field, rule: 'globalId' });
  }
  return { type: match[1] as NodeType, rowId: Number(match[2]) };
}

/** Decodes a global id that must name one of `expected`; another type gives BAD_USER_INPUT. */
export function rowIdOf(id: string, expected: readonly NodeType[], field: string): { type: NodeType; rowId: number } {
  const decoded = fromGlobalId(id, field);
  if (!expected.includes(decoded.type)) {
    throw new BadUserInputError(`${field} must be the id of a ${expected.join(' or ')}, got a ${decoded.type}`, {
      field,
      rule: 'idType',
    });
  }
  return decoded;
}

const postKinds = { Question: 'question', Answer: 'answer', Reply: 'reply' } as const;

/** A post named by a global id: its row and the kind the id says it is. */
export interface PostRef {
  rowId: number;
  kind: (typeof postKinds)[keyof typeof postKinds];
}

/** Decodes the id of a question, an answer or a reply; another type gives BAD_USER_INPUT. */
export function postRefOf(id: string, field: string): PostRef {
  const { type, rowId } = rowIdOf(id, ['Question', 'Answer', 'Reply'], field);
  return { rowId, kind: postKinds[type as keyof typeof postKinds] };
}

/**
 * A random UUID held as one flat string, for ids kept as long as a socket or a subscription lives:
 * `randomUUID()` builds its result by concatenation, and its pieces, kept, cost about ten times the
 * 36 characters.
 */
export function lastingUuid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
