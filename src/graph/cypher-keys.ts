import { INGESTION_CYPHER } from '../ingestion/ingestion.cypher-keys';
import { RECOMMENDATIONS_CYPHER } from '../recommendations/recommendations.cypher-keys';
import { SAMPLING_CYPHER } from '../sampling/sampling.cypher-keys';
import { TRAINING_CYPHER } from '../training/training.cypher-keys';

/**
 * Every Cypher statement the app runs, by key = path under cypher/ without `.cypher`. Each domain
 * lists its own keys; the registry fails at boot when a key has no file or a file has no key.
 * (cypher/schema/ files are applied in name order and need no key.)
 */
export const CYPHER_KEYS = ['health/ping', ...INGESTION_CYPHER, ...SAMPLING_CYPHER, ...RECOMMENDATIONS_CYPHER, ...TRAINING_CYPHER] as const;

export type CypherKey = (typeof CYPHER_KEYS)[number];
