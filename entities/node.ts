import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType('Node', {
  description: 'Anything with a stable, opaque, globally unique id (Relay Global Object Identification).',
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to Query.node to read the object again.' })
  id: string;
}
