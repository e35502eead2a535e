import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { createRealtime } from '../src/realtime/pubsub.js';
import { buildThreadSchema } from '../src/schema.js';

/** True when a description would tell a reader something: present and not only white space. */
function described(description: string | null | undefined): boolean {
  return (description ?? '').trim() !== '';
}

/**
 * Every element of the schema a front-end developer reads in GraphiQL that has no description:
 * types, fields (`Type.field`), field arguments (`Type.field(arg)`), input fields and enum values,
 * skipping introspection types and the scalars GraphQL itself specifies.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (description: string | null | undefined, name: string) => {
    if (!described(description)) missing.push(name);
  };
  const types = Object.values(schema.getTypeMap()).filter(
    (type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type),
  );
  for (const type of types) {
    check(type.description, type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(field.description, `${type.name}.${field.name}`);
        for (const arg of field.args) check(arg.description, `${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(field.description, `${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) check(value.description, `${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}

describe('the served schema, as a front-end developer explores it', () => {
  it('should describe every type, field, argument, input field and enum value', async () => {
    const missing = undescribed(await buildThreadSchema((await createRealtime()).pubsub));
    expect(missing).toEqual([]);
  });

  it('should list, by that check, each undescribed type, field, argument, input field and enum value', () => {
    const bare = buildSchema(`
      "A described type."
      type Query { "A described field." hello(name: String): Mood, bye: String }
      enum Mood { HAPPY "Described." SAD }
      input Wish { what: String }
      scalar Day
      type Mutation { "Described." wish("Described." wish: Wish): Boolean }
    `);
    expect(undescribed(bare)).toEqual([
      'Day',
      'Mood',
      'Mood.HAPPY',
      'Mutation',
      'Query.bye',
      'Query.hello(name)',
      'Wish',
      'Wish.what',
    ]);
  });
});
