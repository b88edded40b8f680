/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation UpsertCatalogue($users: [UserInput!]!, $items: [ItemInput!]!) {\n    upsertUsers(users: $users) {\n      id\n    }\n    upsertItems(items: $items) {\n      id\n      title\n    }\n  }\n": typeof types.UpsertCatalogueDocument,
    "\n  mutation RecordEvents($events: [InteractionInput!]!) {\n    recordInteractions(events: $events) {\n      events\n      duplicates\n      edgesCreated\n    }\n  }\n": typeof types.RecordEventsDocument,
    "\n  query Recommend($userId: ID!, $first: Int!, $after: String) {\n    recommendations(userId: $userId, first: $first, after: $after, explain: true) {\n      path\n      modelKind\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          rank\n          score\n          isNew\n          item {\n            id\n            title\n            tags\n          }\n          explanation {\n            sentence\n            friends {\n              user {\n                id\n                name\n              }\n              attention\n            }\n            basedOn {\n              item {\n                id\n                title\n              }\n              similarity\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.RecommendDocument,
};
const documents: Documents = {
    "\n  mutation UpsertCatalogue($users: [UserInput!]!, $items: [ItemInput!]!) {\n    upsertUsers(users: $users) {\n      id\n    }\n    upsertItems(items: $items) {\n      id\n      title\n    }\n  }\n": types.UpsertCatalogueDocument,
    "\n  mutation RecordEvents($events: [InteractionInput!]!) {\n    recordInteractions(events: $events) {\n      events\n      duplicates\n      edgesCreated\n    }\n  }\n": types.RecordEventsDocument,
    "\n  query Recommend($userId: ID!, $first: Int!, $after: String) {\n    recommendations(userId: $userId, first: $first, after: $after, explain: true) {\n      path\n      modelKind\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          rank\n          score\n          isNew\n          item {\n            id\n            title\n            tags\n          }\n          explanation {\n            sentence\n            friends {\n              user {\n                id\n                name\n              }\n              attention\n            }\n            basedOn {\n              item {\n                id\n                title\n              }\n              similarity\n            }\n          }\n        }\n      }\n    }\n  }\n": types.RecommendDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpsertCatalogue($users: [UserInput!]!, $items: [ItemInput!]!) {\n    upsertUsers(users: $users) {\n      id\n    }\n    upsertItems(items: $items) {\n      id\n      title\n    }\n  }\n"): (typeof documents)["\n  mutation UpsertCatalogue($users: [UserInput!]!, $items: [ItemInput!]!) {\n    upsertUsers(users: $users) {\n      id\n    }\n    upsertItems(items: $items) {\n      id\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordEvents($events: [InteractionInput!]!) {\n    recordInteractions(events: $events) {\n      events\n      duplicates\n      edgesCreated\n    }\n  }\n"): (typeof documents)["\n  mutation RecordEvents($events: [InteractionInput!]!) {\n    recordInteractions(events: $events) {\n      events\n      duplicates\n      edgesCreated\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Recommend($userId: ID!, $first: Int!, $after: String) {\n    recommendations(userId: $userId, first: $first, after: $after, explain: true) {\n      path\n      modelKind\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          rank\n          score\n          isNew\n          item {\n            id\n            title\n            tags\n          }\n          explanation {\n            sentence\n            friends {\n              user {\n                id\n                name\n              }\n              attention\n            }\n            basedOn {\n              item {\n                id\n                title\n              }\n              similarity\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Recommend($userId: ID!, $first: Int!, $after: String) {\n    recommendations(userId: $userId, first: $first, after: $after, explain: true) {\n      path\n      modelKind\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          rank\n          score\n          isNew\n          item {\n            id\n            title\n            tags\n          }\n          explanation {\n            sentence\n            friends {\n              user {\n                id\n                name\n              }\n              attention\n            }\n            basedOn {\n              item {\n                id\n                title\n              }\n              similarity\n            }\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;