import type { ReasonTable } from '../common/errors/reasons';

/** Neo4j failures, mapped by Neo4j error code in neo4j-errors.ts. */
export const GRAPH_REASONS = {
  GRAPH_UNAVAILABLE: { category: 'UNAVAILABLE', when: 'Neo4j cannot be reached or reported a transient error; try again shortly.' },
  GRAPH_AUTH_FAILED: { category: 'UNAVAILABLE', when: 'The API cannot authenticate to Neo4j (wrong credentials, or rate-limited logins).' },
  GRAPH_CONSTRAINT: { category: 'CONFLICT', when: 'A write broke a uniqueness constraint.' },
  GRAPH_TIMEOUT: {
    category: 'UNAVAILABLE',
    when: 'A graph transaction ran past its timeout (NEO4J_TX_TIMEOUT_MS for API requests, NEO4J_BATCH_TX_TIMEOUT_MS for imports and exports), e.g. waiting for a lock held elsewhere, or the server ended it.',
  },
  GRAPH_DATABASE_MISSING: { category: 'UNAVAILABLE', when: 'The configured NEO4J_DATABASE does not exist.' },
} as const satisfies ReasonTable;

type GraphReasonTable = typeof GRAPH_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends GraphReasonTable {}
}
