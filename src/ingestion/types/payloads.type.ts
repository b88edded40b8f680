import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { InteractionSplit } from './connection.type';

@ObjectType('RecordInteractionsPayload', { description: 'What recordInteractions wrote.' })
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

@ObjectType('AddFriendshipsPayload', { description: 'What addFriendships wrote.' })
export class AddFriendshipsPayload {
  @Field(() => Int, { description: 'New FRIEND edges.' }) created!: number;
  @Field(() => Int, { description: 'Pairs that were already friends (their `since` keeps the earliest value).' }) existing!: number;
  @Field(() => Int, { description: 'Entries merged because the same unordered pair appeared more than once in the batch.' })
  duplicatesMerged!: number;
}

@ObjectType('RemoveFriendshipsPayload', { description: 'What removeFriendships removed.' })
export class RemoveFriendshipsPayload {
  @Field(() => Int, { description: 'FRIEND edges removed.' }) removed!: number;
  @Field(() => Int, { description: 'Pairs that were not friends (nothing to remove).' }) notFound!: number;
}

@ObjectType('DeleteUserPayload', { description: 'What deleteUser removed.' })
export class DeleteUserPayload {
  @Field(() => ID, { description: 'The deleted user.' }) id!: string;
  @Field(() => Int, { description: 'INTERACTED edges removed.' }) interactionsRemoved!: number;
  @Field(() => Int, { description: 'FRIEND edges removed.' }) friendshipsRemoved!: number;
  @Field(() => Int, { description: 'Every relationship removed (interactions, friendships, follows, ...).' }) relationshipsRemoved!: number;
}

@ObjectType('ItemsChangedPayload', { description: 'What hideItems or unhideItems changed.' })
export class ItemsChangedPayload {
  @Field(() => Int, { description: 'Items matched.' }) matched!: number;
  @Field(() => Int, { description: 'Items whose state changed.' }) changed!: number;
}

@ObjectType('DeleteItemsPayload', { description: 'What deleteItems removed.' })
export class DeleteItemsPayload {
  @Field(() => Int, { description: 'Items deleted.' }) deleted!: number;
  @Field(() => Int, { description: 'INTERACTED edges removed with them.' }) interactionsRemoved!: number;
}

@ObjectType('SplitCount', { description: 'Interactions of one split.' })
export class SplitCount {
  @Field(() => InteractionSplit, { nullable: true, description: 'TRAIN, TEST, or null (live events and unsplit imports).' })
  split!: InteractionSplit | null;
  @Field(() => Int, { description: 'How many.' }) count!: number;
}

/** What a graphStats count counts: a node label (and hidden items) or a relationship type. */
export enum GraphCountName {
  USER = 'USER',
  ITEM = 'ITEM',
  HIDDEN_ITEM = 'HIDDEN_ITEM',
  INTERACTED = 'INTERACTED',
  FRIEND = 'FRIEND',
  FOLLOWS = 'FOLLOWS',
}
registerEnumType(GraphCountName, {
  name: 'GraphCountName',
  description: 'What a graphStats count counts: a node label (in nodes) or a relationship type (in relationships).',
  valuesMap: {
    USER: { description: 'User nodes (nodes).' },
    ITEM: { description: 'Item nodes, hidden ones included (nodes).' },
    HIDDEN_ITEM: { description: 'Hidden items (nodes; also counted in ITEM).' },
    INTERACTED: { description: 'User-item interactions (relationships).' },
    FRIEND: { description: 'Friendships, one edge per pair (relationships).' },
    FOLLOWS: { description: 'Directed user-user follows (relationships).' },
  },
});

@ObjectType('LabelCount', { description: 'A count by node label or relationship type.' })
export class LabelCount {
  @Field(() => GraphCountName, { description: 'What is counted.' }) name!: GraphCountName;
  @Field(() => Int, { description: 'How many.' }) count!: number;
}

@ObjectType('GraphStats', { description: 'Counts of what the graph holds.' })
export class GraphStatsType {
  @Field(() => [LabelCount], { description: 'Nodes by label: USER, ITEM, HIDDEN_ITEM.' }) nodes!: LabelCount[];
  @Field(() => [LabelCount], { description: 'Relationships by type: INTERACTED, FRIEND, FOLLOWS.' }) relationships!: LabelCount[];
  @Field(() => [SplitCount], { description: 'INTERACTED edges by split.' }) interactionsBySplit!: SplitCount[];
}
