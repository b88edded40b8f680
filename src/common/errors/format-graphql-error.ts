import { Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-error';
import type { Reason } from './reasons';

const logger = new Logger('GraphQLErrors');

/** Codes produced by GraphQL itself (parsing, validation, variables); passed through as they are. */
const GRAPHQL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * The one place where errors become GraphQL errors: domain errors keep their category as
 * `extensions.code` and their domain code as `extensions.reason`; anything unexpected is logged
 * once and returned as INTERNAL_SERVER_ERROR with a generic message.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: original.category,
        reason: original.reason,
        ...original.hints,
        ...(original.details.length ? { details: original.details } : {}),
      },
    };
  }
  // graphql-js's own request-level errors carry no code; "Too many errors processing variables" (over 50 bad
  // values in the variables) is the client's input, as each of those errors would be.
  if (error instanceof GraphQLError && !error.originalError && !error.path && error.extensions?.code === undefined) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && GRAPHQL_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }

  const httpLike = original as { getStatus?: () => number; getResponse?: () => unknown } | undefined;
  if (httpLike && typeof httpLike.getStatus === 'function') {
    const status = httpLike.getStatus();
    const category =
      status === 401
        ? 'UNAUTHENTICATED'
        : status === 403
          ? 'FORBIDDEN'
          : status === 404
            ? 'NOT_FOUND'
            : status === 400
              ? 'BAD_USER_INPUT'
              : null;
    if (category) {
      return {
        message: formatted.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: category, reason: category satisfies Reason },
      };
    }
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original ?? formatted.message));
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
