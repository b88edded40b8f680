import type { ReasonTable } from './reasons';

/** Reasons any domain may send: input validation, cursors, batch and query size, framework errors. */
export const COMMON_REASONS = {
  VALIDATION_FAILED: {
    category: 'BAD_USER_INPUT',
    when: 'An argument breaks its rules (length, pattern, range, `first` outside 1..its maximum); `details` names each field and why.',
  },
  INVALID_CURSOR: {
    category: 'BAD_USER_INPUT',
    when: '`after` is not a cursor this list issued: not from this API, from another list, or (recommendations) from another query.',
  },
  BATCH_TOO_LARGE: {
    category: 'BAD_USER_INPUT',
    when: 'A batch argument (users, items, events, pairs, ids, seeds) has more entries than one call accepts.',
  },
  QUERY_TOO_COMPLEX: {
    category: 'BAD_USER_INPUT',
    when: "The operation's estimated cost is above GRAPHQL_MAX_COST: pages count `first` times their fields, sampleNeighborhood its fan-outs' product, relatedItems walks × length, batches their entries, and every aliased field counts again (docs/limits.md); `cost` and `maxCost` say by how much.",
  },
  INVALID_REQUEST_BODY: {
    category: 'BAD_USER_INPUT',
    when: 'The HTTP body was refused before GraphQL ran: JSON that does not parse, a `__proto__` or `constructor.prototype` key (prototype pollution), or an unsupported content type; HTTP 400 (413 when over 8 MB, 415 for the content type).',
  },
  BAD_USER_INPUT: {
    category: 'BAD_USER_INPUT',
    when: 'A framework exception with HTTP status 400 reached the boundary (the reason repeats the code).',
  },
  UNAUTHENTICATED: {
    category: 'UNAUTHENTICATED',
    when: 'A framework exception with HTTP status 401 reached the boundary (the reason repeats the code).',
  },
  FORBIDDEN: {
    category: 'FORBIDDEN',
    when: 'A framework exception with HTTP status 403 reached the boundary, e.g. a guard that returned false.',
  },
  NOT_FOUND: {
    category: 'NOT_FOUND',
    when: 'A framework exception with HTTP status 404 reached the boundary (the reason repeats the code).',
  },
} as const satisfies ReasonTable;

type CommonReasonTable = typeof COMMON_REASONS;
declare module './reasons' {
  interface KnownReasons extends CommonReasonTable {}
}
