import { CypherRegistry } from './graph/cypher-registry';
import { HEALTH_CYPHER } from './health/health.cypher-keys';
import { INGESTION_CYPHER } from './ingestion/ingestion.cypher-keys';
import { MODEL_REGISTRY_CYPHER } from './model-registry/model-registry.cypher-keys';
import { RECOMMENDATIONS_CYPHER } from './recommendations/recommendations.cypher-keys';
import { SAMPLING_CYPHER } from './sampling/sampling.cypher-keys';

/**
 * Every domain's Cypher keys, like app.module.ts lists every domain's module. The app registers
 * them per domain (CypherModule.forFeature); code that builds the graph client without Nest (the
 * CLIs, tests, benchmarks) takes the whole list here.
 */
export const APP_CYPHER_KEYS = [
  ...HEALTH_CYPHER,
  ...INGESTION_CYPHER,
  ...SAMPLING_CYPHER,
  ...RECOMMENDATIONS_CYPHER,
  ...MODEL_REGISTRY_CYPHER,
] as const;

/** The registry with every domain's keys, checked against cypher/ at once. */
export const appCypherRegistry = (): CypherRegistry => new CypherRegistry(undefined, APP_CYPHER_KEYS);
