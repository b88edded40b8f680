import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('RecordInteractionsPayload')
export class RecordInteractionsPayload {
  @Field(() => Int, { description: 'Events counted (new to the graph).' }) events!: number;
  @Field(() => Int, {
    description: 'Events not counted because their eventId was already recorded (a retried batch) or repeated in this batch.',
  })
  duplicates!: number;
  @Field(() => Int, { description: 'Distinct (user, item) pairs touched.' }) pairs!: number;
  @Field(() => Int, { description: 'New INTERACTED edges.' }) edgesCreated!: number;
  @Field(() => Int, { description: 'Existing edges the events were merged into.' }) edgesUpdated!: number;
  @Field(() => Int, { description: 'Bare users created (createMissing only).' }) usersCreated!: number;
  @Field(() => Int, { description: 'Bare items created (createMissing only).' }) itemsCreated!: number;
}

@ObjectType('AddFriendshipsPayload')
export class AddFriendshipsPayload {
  @Field(() => Int) created!: number;
  @Field(() => Int, { description: 'Pairs that were already friends (their `since` keeps the earliest value).' }) existing!: number;
  @Field(() => Int, { description: 'Entries merged because the same unordered pair appeared more than once in the batch.' })
  duplicatesMerged!: number;
}

@ObjectType('RemoveFriendshipsPayload')
export class RemoveFriendshipsPayload {
  @Field(() => Int) removed!: number;
  @Field(() => Int, { description: 'Pairs that were not friends (nothing to remove).' }) notFound!: number;
}

@ObjectType('DeleteUserPayload')
export class DeleteUserPayload {
  @Field(() => ID) id!: string;
  @Field(() => Int) interactionsRemoved!: number;
  @Field(() => Int) friendshipsRemoved!: number;
  @Field(() => Int, { description: 'Every relationship removed (interactions, friendships, follows, ...).' }) relationshipsRemoved!: number;
}

@ObjectType('ItemsChangedPayload')
export class ItemsChangedPayload {
  @Field(() => Int, { description: 'Items matched.' }) matched!: number;
  @Field(() => Int, { description: 'Items whose state changed.' }) changed!: number;
}

@ObjectType('DeleteItemsPayload')
export class DeleteItemsPayload {
  @Field(() => Int) deleted!: number;
  @Field(() => Int) interactionsRemoved!: number;
}

@ObjectType('SplitCount')
export class SplitCount {
  @Field(() => String, { nullable: true, description: "'train', 'test', or null (live events / unsplit imports)." }) split!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType('LabelCount')
export class LabelCount {
  @Field() name!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('GraphStats')
export class GraphStatsType {
  @Field(() => [LabelCount], { description: 'Nodes by label (User, Item) and hidden items.' }) nodes!: LabelCount[];
  @Field(() => [LabelCount], { description: 'Relationships by type (INTERACTED, FRIEND, FOLLOWS).' }) relationships!: LabelCount[];
  @Field(() => [SplitCount]) interactionsBySplit!: SplitCount[];
}
