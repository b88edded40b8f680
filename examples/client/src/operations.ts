import { graphql } from './gql';

/** The operations the example app sends; GraphQL Code Generator types them from schema.gql (codegen.yml). */

export const UpsertCatalogue = graphql(`
  mutation UpsertCatalogue($users: [UserInput!]!, $items: [ItemInput!]!) {
    upsertUsers(users: $users) {
      id
    }
    upsertItems(items: $items) {
      id
      title
    }
  }
`);

export const RecordEvents = graphql(`
  mutation RecordEvents($events: [InteractionInput!]!) {
    recordInteractions(events: $events) {
      events
      duplicates
      edgesCreated
    }
  }
`);

export const Recommend = graphql(`
  query Recommend($userId: ID!, $first: Int!, $after: String) {
    recommendations(userId: $userId, first: $first, after: $after, explain: true) {
      path
      modelKind
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          rank
          score
          isNew
          item {
            id
            title
            tags
          }
          explanation {
            sentence
            friends {
              user {
                id
                name
              }
              attention
            }
            basedOn {
              item {
                id
                title
              }
              similarity
            }
          }
        }
      }
    }
  }
`);
