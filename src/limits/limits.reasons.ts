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
} as const satisfies ReasonTable;

type LimitsReasonTable = typeof LIMITS_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends LimitsReasonTable {}
}
