import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DomainError } from './domain-error';

/**
 * A domain error thrown by a plugin or validation rule before execution (a limit), as the GraphQL
 * error Apollo expects there: the boundary filter still maps it by its reason, `hints` become
 * extensions, and Apollo sends `status` and `headers` on the HTTP response (it strips
 * `extensions.http` from the body).
 */
export function operationError(
  error: DomainError,
  status: number,
  hints: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): GraphQLError {
  error.hints = { ...error.hints, ...hints };
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { http: { status, headers: new HeaderMap(Object.entries(headers)) } },
  });
}
