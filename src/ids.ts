import { BadUserInputError } from './errors/index.js';

/** The GraphQL types whose ids are global (Relay Global Object Identification). */
export type NodeType = 'User' | 'Question' | 'Answer' | 'Reply' | 'Tag';

const nodeTypes: ReadonlySet<string> = new Set<NodeType>(['User', 'Question', 'Answer', 'Reply', 'Tag']);

/** Opaque, stable id: base64url of `Type:rowId`. */
export function toGlobalId(type: NodeType, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString('base64url');
}

/** Decodes a global id; a string that is not one of ours gives BAD_USER_INPUT. */
export function fromGlobalId(id: string, field = 'id'): { type: NodeType; rowId: number } {
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(Buffer.from(id, 'base64url').toString());
  if (!match || !nodeTypes.has(match[1]) || Buffer.from(id, 'base64url').toString('base64url') !== id) {
    throw new BadUserInputError(`"${id}" is not a valid id`, { field, rule: 'globalId' });
  }
  const rowId = Number(match[2]);
  if (rowId > 2147483647) throw new BadUserInputError(`"${id}" is not a valid id`, { field, rule: 'globalId' });
  return { type: match[1] as NodeType, rowId };
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
