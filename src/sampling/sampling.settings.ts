/**
 * Sampling constants. Supernode handling: a node whose degree (per edge type, read in O(1) from the
 * degree store) exceeds SUPERNODE_CAP is not expanded; its candidates come from a random window of
 * the relationship index on the stored uniform key `r.rk`, about `window` of them (see docs/sampling.md).
 */
export const SUPERNODE_CAP = 2_000;
/** Expected candidates read from a supernode's window: max(WINDOW_MIN, WINDOW_PER_PICK * fan-out). */
export const WINDOW_MIN = 64;
export const WINDOW_PER_PICK = 4;
export const windowFor = (k: number): number => Math.max(WINDOW_MIN, WINDOW_PER_PICK * k);

/** Recency bias: weight exp(-lambda * age_days), half-life 30 days; ages are clamped to [0, horizon]
 * and a missing lastTs counts as the horizon (oldest), so every edge keeps weight >= 2^-(365/30). */
export const RECENCY_HALF_LIFE_DAYS = 30;
export const RECENCY_HORIZON_DAYS = 365;
/** WEIGHT bias: weights <= 0 (or missing: 1.0) are floored here so they keep a positive chance. */
export const MIN_WEIGHT = 1e-6;

/** Public bounds (GraphQL and service). */
export const MAX_HOPS = 3;
export const MAX_FANOUT = 50;
export const MAX_SEEDS = 10_000;
/** relatedItems' `first` (the top-k of walk visits): below PAGE_MAX, a ranking of at most walks × length visits. */
export const MAX_RELATED = 100;
export const MAX_WALKS = 200;
export const MAX_WALK_LENGTH = 10;
export const DEFAULT_FANOUTS = [10, 5];
/** Seeds per walk query batch (walkers = seeds * walks). */
export const WALK_SEED_BATCH = 512;

/** Batch size of the auto-commit maintenance writes (overlap, sampling keys). */
export const MAINTENANCE_BATCH = 5_000;
