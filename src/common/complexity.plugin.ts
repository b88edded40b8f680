import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { badInput } from './errors/domain-error';
import { operationError } from './errors/operation-error';

/**
 * Rejects operations whose estimated cost exceeds `max` with BAD_USER_INPUT QUERY_TOO_COMPLEX (HTTP
 * 400), before anything runs. Each field costs 1 unless its resolver names an estimator of
 * query-cost.ts (pages, fan-outs, walks, batches); aliased fields are each estimated.
 */
export function complexityPlugin(getSchema: () => GraphQLSchema, max: number): ApolloServerPlugin {
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
            // Variables that do not fit their types (getComplexity coerces them, once, and throws graphql-js's
            // `Variable "$x" …` error): execution answers BAD_USER_INPUT for them, and nothing runs.
            if (err instanceof GraphQLError && err.message.startsWith('Variable "$')) return;
            complexity = Infinity; // more nodes than the estimator walks (10,000)
          }
          if (complexity > max) {
            const cost = Number.isFinite(complexity) ? Math.ceil(complexity) : null;
            throw operationError(badInput('QUERY_TOO_COMPLEX', `Query is too complex: ${cost ?? 'too many fields'} > ${max}`), 400, {
              cost,
              maxCost: max,
            });
          }
        },
      };
    },
  };
}
