import { registerEnumType } from 'type-graphql';

/** An enum of the API: each value is its own name, as a TypeScript string enum's would be. */
export type DescribedEnum<V extends string> = { readonly [K in V]: K };

/**
 * Declares a GraphQL enum named `name` whose values are the keys of `values`, each described by its
 * text there (so no value goes without a description), and registers it with type-graphql. Pair it
 * with `type X = (typeof X)[keyof typeof X]` to name its values' type.
 */
export function describedEnum<const V extends string>(
  name: string,
  description: string,
  values: Record<V, string>,
): DescribedEnum<V> {
  const names = Object.keys(values) as V[];
  const members = Object.freeze(Object.fromEntries(names.map((value) => [value, value]))) as DescribedEnum<V>;
  registerEnumType(members, {
    name,
    description,
    valuesConfig: Object.fromEntries(names.map((value) => [value, { description: values[value] }])) as Partial<
      Record<V, { description: string }>
    >,
  });
  return members;
}
