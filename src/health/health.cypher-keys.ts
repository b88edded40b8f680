import type { CypherKeySet } from '../graph/cypher-keys';

export const HEALTH_CYPHER = ['health/ping'] as const;

type HealthCypherKeys = CypherKeySet<typeof HEALTH_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends HealthCypherKeys {}
}
