import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Reason } from './errors/reasons';

/** Rejects operations whose estimated cost exceeds `max` (each field 1; lists multiply by `first`). */
export function complexityPlugin(getSchema: () => GraphQLSchema, max = 5_000): ApolloServerPlugin {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<Record<string, never>>> {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: getSchema(),
              operationName: request.operationName,
              query: document,
              variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (err) {
            // The estimate coerces the variables first: a bad one (an unknown enum value, a string for an Int)
            // is the client's error, as it would be at execution, not an internal one.
            if (err instanceof GraphQLError)
              throw new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw err;
          }
          if (complexity > max) {
            throw new GraphQLError(`Query is too complex: ${complexity} > ${max}`, {
              extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' satisfies Reason, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
