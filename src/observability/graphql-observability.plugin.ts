import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { Kind, OperationDefinitionNode } from 'graphql';
import { performance } from 'node:perf_hooks';
import { currentRequest } from './request-context';
import { seconds } from './metrics';
import { Telemetry } from './telemetry';
import { finish } from './tracing';

/** More root fields than this in one operation are labelled `multiple` (labels stay few). */
const MAX_FIELDS_IN_LABEL = 3;

/** Labels of the operations seen: Apollo keeps parsed documents, so a repeated query is the same node. */
const labels = new WeakMap<OperationDefinitionNode, string>();

/**
 * The operation's label: its root field names (schema names, not aliases or the client's
 * operationName, so the label set is bounded by the schema), sorted, comma-joined.
 */
export function operationLabel(op: OperationDefinitionNode): string {
  let label = labels.get(op);
  if (label === undefined) labels.set(op, (label = labelOf(op)));
  return label;
}

function labelOf(op: OperationDefinitionNode): string {
  const names = new Set<string>();
  for (const s of op.selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value !== '__typename') names.add(s.name.value);
    } else names.add('fragment');
  }
  if (names.size === 0) return '__typename';
  return names.size > MAX_FIELDS_IN_LABEL ? 'multiple' : [...names].sort().join(',');
}

/** OK, or the `extensions.code` of the first error the client got. */
export function outcomeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string {
  if (!errors?.length) return 'OK';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Per GraphQL operation: a latency histogram by operation and outcome, one log line (with the
 * request id from the context), and a span that is the parent of the request's Neo4j, ONNX and
 * serving spans.
 */
export function observabilityPlugin(telemetry: Telemetry): ApolloServerPlugin {
  const logger = new Logger('GraphQL');
  const histogram = telemetry.metrics?.graphqlDuration;
  const logsOperations = telemetry.logsOperations;
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
      const t0 = performance.now();
      const store = currentRequest();
      let operation = 'unresolved';
      let type = 'unknown';
      let span: ReturnType<typeof telemetry.tracing.start> = null;
      return {
        async didResolveOperation({ operation: op }) {
          if (!op) return;
          operation = operationLabel(op);
          type = op.operation;
          if (telemetry.tracing.enabled)
            span = telemetry.tracing.start(`${type} ${operation}`, { 'graphql.operation.type': type, 'graphql.operation.name': operation });
          if (span && store) store.span = span;
        },
        async willSendResponse({ response }) {
          const ms = performance.now() - t0;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const outcome = outcomeOf(errors);
          histogram?.observe({ operation, type, outcome }, seconds(ms));
          if (logsOperations)
            logger.log({ msg: `graphql ${type} ${operation} ${outcome}`, operation, type, outcome, ms: Math.round(ms * 100) / 100 });
          if (span) {
            span.setAttribute('tastegraph.outcome', outcome);
            finish(span, outcome === 'OK' ? undefined : new Error(outcome));
          }
        },
      };
    },
  };
}
