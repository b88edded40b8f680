import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { operationError } from '../common/errors/operation-error';
import { clientKey, KeyLookup } from './client-key';
import { RateLimiter } from './rate-limiter';

export interface RateLimitContext {
  req?: { headers: IncomingHttpHeaders; ip?: string };
}

/**
 * Spends one operation of the client's read budget (queries) or write budget (mutations) once the
 * operation is known, before its cost is checked or anything runs; over budget answers UNAVAILABLE
 * RATE_LIMITED with HTTP 429, a Retry-After header and `retryAfterSeconds`.
 */
export function rateLimitPlugin(
  limiter: RateLimiter,
  auth: { lookup: KeyLookup; adminToken: string },
): ApolloServerPlugin<RateLimitContext> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<RateLimitContext> | void> {
      if (!limiter.enabled) return;
      return {
        async didResolveOperation({ operation, contextValue }) {
          const req = contextValue.req;
          const budget = operation?.operation === 'mutation' ? 'write' : 'read';
          const client = clientKey(req?.headers ?? {}, req?.ip ?? 'unknown', auth.lookup, auth.adminToken);
          const verdict = await limiter.consume(budget, client);
          if (verdict.allowed) return;
          const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
          throw operationError(
            new DomainError('UNAVAILABLE', 'RATE_LIMITED', `Too many ${budget}s from this client; try again in ${seconds} s`),
            429,
            { retryAfterSeconds: seconds },
            { 'retry-after': String(seconds) },
          );
        },
      };
    },
  };
}
