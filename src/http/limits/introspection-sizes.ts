import {
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';

/** How many items each introspection list can hold in `schema`: its largest type, field list, … */
const introspectionSizes = new WeakMap<GraphQLSchema, Map<string, number>>();

/**
 * The most items each introspection list (`__Schema.types`, `__Type.fields`, …, keyed `Type.field`)
 * can return in `schema`, at least 1; computed once per schema.
 */
export function introspectionSizesOf(schema: GraphQLSchema): Map<string, number> {
  let sizes = introspectionSizes.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const most = (counts: number[]) => Math.max(1, ...counts);
  const fieldLists = types.flatMap((type) => (isObjectType(type) || isInterfaceType(type) ? [type.getFields()] : []));
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', most(fieldLists.map((fields) => Object.keys(fields).length))],
    [
      '__Type.inputFields',
      most(types.map((type) => (isInputObjectType(type) ? Object.keys(type.getFields()).length : 0))),
    ],
    ['__Type.enumValues', most(types.map((type) => (isEnumType(type) ? type.getValues().length : 0)))],
    ['__Type.interfaces', most(types.map((type) => ('getInterfaces' in type ? type.getInterfaces().length : 0)))],
    [
      '__Type.possibleTypes',
      most(types.map((type) => (isAbstractType(type) ? schema.getPossibleTypes(type).length : 0))),
    ],
    ['__Field.args', most(fieldLists.flatMap((fields) => Object.values(fields).map((field) => field.args.length)))],
    ['__Directive.args', most(schema.getDirectives().map((directive) => directive.args.length))],
  ]);
  introspectionSizes.set(schema, sizes);
  return sizes;
}
