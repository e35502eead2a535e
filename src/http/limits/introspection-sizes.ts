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
 * Where an introspection list is selected: under one type or field (`__type(name:)`, `__Field.type`),
 * under every type of the schema (`__schema { types { … } }`), or under every field of every type.
 */
export type IntrospectionReach = 'one' | 'everyType' | 'everyField';

/**
 * The most items each introspection list (`__Schema.types`, `__Type.fields`, …, keyed `Type.field`)
 * can return in `schema`, at least 1, and (keyed `everyType Type.field`, `everyField Type.field`)
 * the items per type or field where one list is selected under every type or every field;
 * computed once per schema.
 */
export function introspectionSizesOf(schema: GraphQLSchema): Map<string, number> {
  let sizes = introspectionSizes.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const most = (counts: number[]) => Math.max(1, ...counts);
  const fieldLists = types.flatMap((type) => (isObjectType(type) || isInterfaceType(type) ? [type.getFields()] : []));
  const fields = fieldLists.flatMap((list) => Object.values(list));
  // Under every type, a list holds on average its total over the types: types × that average is
  // the total, where types × the largest list would count far more than the schema holds.
  const perType = (total: number) => Math.max(1, Math.ceil(total / Math.max(1, types.length)));
  sizes = new Map([
    ['everyType __Type.fields', perType(fields.length)],
    [
      'everyType __Type.inputFields',
      perType(
        types.reduce((sum, type) => sum + (isInputObjectType(type) ? Object.keys(type.getFields()).length : 0), 0),
      ),
    ],
    [
      'everyType __Type.enumValues',
      perType(types.reduce((sum, type) => sum + (isEnumType(type) ? type.getValues().length : 0), 0)),
    ],
    [
      'everyField __Field.args',
      Math.max(1, Math.ceil(fields.reduce((sum, field) => sum + field.args.length, 0) / Math.max(1, fields.length))),
    ],
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

/** How many items the introspection list `key` (`Type.field`) holds where it is selected. */
export function introspectionSize(schema: GraphQLSchema, key: string, reach: IntrospectionReach): number {
  const sizes = introspectionSizesOf(schema);
  return sizes.get(`${reach} ${key}`) ?? sizes.get(key) ?? 1;
}

/** Where the lists under the introspection field `key`, reached at `reach`, are selected. */
export function reachUnder(key: string, reach: IntrospectionReach): IntrospectionReach {
  if (key === '__Schema.types') return 'everyType';
  if (reach === 'everyType' && key === '__Type.fields') return 'everyField';
  return 'one';
}
