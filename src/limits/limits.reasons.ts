import type { ReasonTable } from '../common/errors/reasons';

/** Abuse limits on every operation (docs/limits.md); QUERY_TOO_COMPLEX is a common reason, GRAPH_TIMEOUT a graph one. */
export const LIMITS_REASONS = {
  QUERY_TOO_DEEP: {
    category: 'BAD_USER_INPUT',
    when: 'The operation nests selection sets deeper than GRAPHQL_MAX_DEPTH (refused before anything runs).',
  },
  TOO_MANY_ALIASES: {
    category: 'BAD_USER_INPUT',
    when: 'The operation has more aliased fields than GRAPHQL_MAX_ALIASES (refused before anything runs).',
  },
  RATE_LIMITED: {
    category: 'UNAVAILABLE',
    when: 'The API key (or the client IP without one) has used its read or write budget for the window (HTTP 429); `retryAfterSeconds` (and the Retry-After header) says when to try again.',
  },
  REQUEST_TIMEOUT: {
    category: 'UNAVAILABLE',
    when: 'The request ran longer than REQUEST_TIMEOUT_MS; the fields not answered by then carry this error.',
  },
} as const satisfies ReasonTable;

type LimitsReasonTable = typeof LIMITS_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends LimitsReasonTable {}
}
