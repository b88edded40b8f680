/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** One event; events of the same (user, item) pair merge into one INTERACTED edge. */
export type InteractionInput = {
  /** The client's unique id for this event (exactly-once): an event whose id was recorded before counts nothing, so a batch can be retried safely. Kept RETENTION_EVENT_DAYS. */
  eventId?: string | number | null | undefined;
  /** The item (must exist unless createMissing). */
  itemId: string | number;
  /** When it happened; defaults to the server time. Not before 1970, not beyond INGEST_MAX_FUTURE_S ahead. */
  ts?: string | null | undefined;
  /** An event type from INGEST_EVENT_WEIGHTS, e.g. VIEW, LIKE, PLAY, RATING. */
  type: string;
  /** The user (must exist unless createMissing). */
  userId: string | number;
  /** Overrides the configured weight of the type; required for value types (RATING). 0..1000000. */
  weight?: number | null | undefined;
};

/** An item to create or update. */
export type ItemInput = {
  /** Free-form JSON object, at most 4 KiB serialized. */
  attributes?: unknown;
  /** The external id: 1..256 printable characters without leading or trailing spaces. */
  id: string | number;
  /** At most 50 tags of at most 64 characters; replaces the stored tags when given. */
  tags?: Array<string> | null | undefined;
  /** At most 512 characters; omitted keeps the stored title. */
  title?: string | null | undefined;
};

/** A model the trainer builds and serving accepts (models/README.md). */
export type ModelKind =
  /** DenoiseGCN: SocialGCN with a learned gate per friendship that drops the edges which do not help (models/README.md). */
  | 'DENOISEGCN'
  /** Graph attention network. */
  | 'GAT'
  /** Graph convolutional network. */
  | 'GCN'
  /** GraphSAGE: sampled neighbourhood aggregation. */
  | 'GRAPHSAGE'
  /** LightGCN: linear propagation over user-item edges. */
  | 'LIGHTGCN'
  /** Neural Graph Collaborative Filtering. */
  | 'NGCF'
  /** PinSage: random-walk neighbourhoods with importance pooling. */
  | 'PINSAGE'
  /** SocialGCN: LightGCN plus friend edges with learned attention. */
  | 'SOCIALGCN';

/** How a ranking was made. */
export type ServingPath =
  /** The user's current items (and friends) folded in by the model's encoder. */
  | 'FOLD_IN'
  /** No items yet: friends' tastes blended with popularity. */
  | 'FRIENDS'
  /** Popularity: no items, no friends the model knows, or no model. */
  | 'POPULAR';

/** A user to create or update. */
export type UserInput = {
  /** Free-form JSON object, at most 4 KiB serialized. */
  attributes?: unknown;
  /** The external id: 1..256 printable characters without leading or trailing spaces. */
  id: string | number;
  /** Display name, 1..512 characters; omitted keeps the stored name. */
  name?: string | null | undefined;
};

export type UpsertCatalogueMutationVariables = Exact<{
  users: Array<UserInput> | UserInput;
  items: Array<ItemInput> | ItemInput;
}>;


export type UpsertCatalogueMutation = { upsertUsers: Array<{ id: string }>, upsertItems: Array<{ id: string, title: string | null }> };

export type RecordEventsMutationVariables = Exact<{
  events: Array<InteractionInput> | InteractionInput;
}>;


export type RecordEventsMutation = { recordInteractions: { events: number, duplicates: number, edgesCreated: number } };

export type RecommendQueryVariables = Exact<{
  userId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type RecommendQuery = { recommendations: { path: ServingPath, modelKind: ModelKind | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, rank: number, score: number, isNew: boolean, item: { id: string, title: string | null, tags: Array<string> }, explanation: { sentence: string, friends: Array<{ attention: number | null, user: { id: string, name: string | null } }>, basedOn: Array<{ similarity: number, item: { id: string, title: string | null } }> } | null } }> } };


export const UpsertCatalogueDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpsertCatalogue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"users"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UserInput"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"items"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ItemInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"upsertUsers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"users"},"value":{"kind":"Variable","name":{"kind":"Name","value":"users"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"upsertItems"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"items"},"value":{"kind":"Variable","name":{"kind":"Name","value":"items"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]} as unknown as DocumentNode<UpsertCatalogueMutation, UpsertCatalogueMutationVariables>;
export const RecordEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InteractionInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordInteractions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"edgesCreated"}}]}}]}}]} as unknown as DocumentNode<RecordEventsMutation, RecordEventsMutationVariables>;
export const RecommendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Recommend"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recommendations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"explain"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"modelKind"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"isNew"}},{"kind":"Field","name":{"kind":"Name","value":"item"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}}]}},{"kind":"Field","name":{"kind":"Name","value":"explanation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sentence"}},{"kind":"Field","name":{"kind":"Name","value":"friends"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"attention"}}]}},{"kind":"Field","name":{"kind":"Name","value":"basedOn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"similarity"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecommendQuery, RecommendQueryVariables>;