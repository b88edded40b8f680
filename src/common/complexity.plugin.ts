import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { getVariableValues, GraphQLSchema } from 'graphql';
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
        async didResolveOperation({ request, document, operation }) {
          const schema = getSchema();
          // Variables that do not fit their types: execution answers BAD_USER_INPUT for them, and nothing runs.
          if (getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              operationName: request.operationName,
              query: document,
              variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
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
