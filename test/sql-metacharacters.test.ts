import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';
import { AskQuestionDocument, SignUpDocument } from '../schema/trusted-documents/graphql.js';
import type { ThreadIds, User } from './support/actions.js';
import { contractErrorCodes as contractCodes } from './support/contract.js';
import type { TestServer } from './support/harness.js';
import { expectStillServing, postTo, schema, targetThread } from './support/hostile.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let ids: ThreadIds;
let alice: User;
beforeAll(async () => {
  server = await startTestServer();
  ({ alice, ids } = await targetThread(server));
});

/** SQL and LIKE metacharacters, and the NUL character, as a client may send them. */
const metacharacters = ["'; DROP TABLE post; --", '%', '\\', '\u0000'];

/** Free-text arguments are wrapped in valid text, so that the length rules let them reach the database. */
const wrapped: Record<string, (text: string) => string> = {
  title: (text) => `Un titre avec ${text} dedans`,
  body: (text) => `Un corps avec ${text} dedans`,
  displayName: (text) => `Nom ${text}`,
  password: (text) => `motdepasse ${text}`,
  query: (text) => `valeur ${text}`,
};

let probeCounter = 0;

/** A valid value for each argument or input field by name, so that a probe gets past all but the one it poisons. */
function validValue(name: string): unknown {
  const values: Record<string, unknown> = {
    id: ids.question,
    questionId: ids.question,
    answerId: ids.answer,
    targetId: ids.answer,
    ids: [ids.question],
    title: 'Un titre tout à fait valide',
    body: 'Un corps valide',
    tags: ['securite'],
    username: `probe_${process.pid}_${++probeCounter}`,
    displayName: 'Nom valide',
    password: 'password123',
    query: 'valide',
    name: 'securite',
    follow: true,
    all: false,
    value: 'UP',
  };
  return values[name];
}

/** A path to a String or ID input, from a root field's argument down through input objects and lists. */
type Path = Array<string | number>;

function stringPaths(name: string, type: GraphQLInputType): Path[] {
  const inner = getNullableType(type);
  if (isListType(inner)) return stringPaths(name, inner.ofType).map((path) => [0, ...path]);
  if (isInputObjectType(inner)) {
    return Object.values(inner.getFields()).flatMap((field: GraphQLInputField) =>
      stringPaths(field.name, field.type).map((path) => [field.name, ...path]),
    );
  }
  return isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID') ? [[]] : [];
}

/** The required parts of an argument's value, valid. */
function validInput(name: string, type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((field) => field.type !== getNullableType(field.type))
        .map((field) => [field.name, validInput(field.name, field.type)]),
    );
  }
  return validValue(name);
}

/** The value with `text` put at `path` (a free-text field gets it wrapped in valid text). */
function poisoned(value: unknown, path: Path, name: string, text: string): unknown {
  if (path.length === 0) return (wrapped[name] ?? ((raw: string) => raw))(text);
  const [key, ...rest] = path;
  if (typeof key === 'number') return [poisoned(undefined, rest, name, text)];
  const record = (value ?? {}) as Record<string, unknown>;
  return { ...record, [key]: poisoned(record[key], rest, rest.length === 0 ? key : name, text) };
}

/** One request per String or ID input of every query and mutation, with `text` in it and the rest valid. */
function probes(text: string): Array<{ where: string; body: { query: string; variables: Record<string, unknown> } }> {
  const roots = [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const;
  return roots.flatMap(([keyword, root]) =>
    Object.values(root.getFields()).flatMap((field) => {
      const args: readonly GraphQLArgument[] = field.args;
      const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
      const declared = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
      const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const query = `${keyword}${declared ? ` (${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
      return args.flatMap((arg) =>
        stringPaths(arg.name, arg.type).map((path) => {
          const variables: Record<string, unknown> = {};
          for (const other of args) {
            if (other.type !== getNullableType(other.type)) variables[other.name] = validInput(other.name, other.type);
          }
          variables[arg.name] = poisoned(variables[arg.name], path, arg.name, text);
          return { where: [field.name, arg.name, ...path].join('.'), body: { query, variables } };
        }),
      );
    }),
  );
}

describe('SQL metacharacters in every string argument', () => {
  it('should probe every String and ID input of the schema', () => {
    expect(probes('x').map((probe) => probe.where)).toEqual(
      expect.arrayContaining([
        'askQuestion.input.body',
        'askQuestion.input.title',
        'askQuestion.input.tags.0',
        'signUp.input.username',
        'search.query',
        'questions.after',
        'question.id',
        'nodes.ids.0',
        'vote.input.targetId',
        'editPost.input.tags.0',
      ]),
    );
  });

  it.each(metacharacters)(
    'should give a contract code other than INTERNAL_SERVER_ERROR, or a result, for %j in each of them, and keep serving',
    async (text) => {
      const problems: string[] = [];
      for (const { where, body } of probes(text)) {
        const answer = await postTo(server.url, body, alice.token);
        const codes = answer.errors.map((error) => String(error.extensions?.code));
        if (
          answer.status >= 500 ||
          codes.some((code) => !contractCodes.has(code) || code === 'INTERNAL_SERVER_ERROR')
        ) {
          problems.push(`${where}: status ${answer.status}, ${codes.join(', ')}`);
        }
      }
      expect(problems).toEqual([]);
      expect(await server.db.query('SELECT count(*)::int AS posts FROM post')).toEqual([{ posts: expect.any(Number) }]);
      expect(await server.drift()).toEqual([]);
      await expectStillServing(server, ids);
    },
  );

  it.each(metacharacters)(
    'should store %j in a title and a body as written, or refuse it with BAD_USER_INPUT',
    async (text) => {
      const input = { title: wrapped.title(text), body: wrapped.body(text), tags: ['securite'] };
      const answer = await server.gql(AskQuestionDocument, { input }, alice.token);
      if (text.includes('\u0000') && answer.errors) {
        expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      } else {
        expect(answer.errors).toBeUndefined();
        expect({ title: answer.data?.askQuestion.title, body: answer.data?.askQuestion.body }).toEqual({
          title: input.title,
          body: input.body,
        });
      }
      await expectStillServing(server, ids);
    },
  );

  it.each(metacharacters)(
    'should store %j in a display name as written, or refuse it with BAD_USER_INPUT',
    async (text) => {
      const input = {
        username: `meta_${process.pid}_${++probeCounter}`,
        displayName: wrapped.displayName(text),
        password: 'password123',
      };
      const answer = await server.gql(SignUpDocument, { input });
      if (text.includes('\u0000') && answer.errors) {
        expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      } else {
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.signUp.user.displayName).toBe(input.displayName);
      }
      await expectStillServing(server, ids);
    },
  );
});
