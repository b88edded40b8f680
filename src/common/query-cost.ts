import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { DEFAULT_FIRST } from './pagination/page-size';

/**
 * The cost model of an operation (docs/limits.md), one place: every field costs 1 unless its
 * resolver names one of these estimators as its `complexity`. Aliased fields are estimated each on
 * their own, so twenty aliases of a field cost twenty times the field. Arguments are clamped to
 * their documented maximum, so an argument out of range is answered by its validation error
 * (VALIDATION_FAILED, BATCH_TOO_LARGE), not by QUERY_TOO_COMPLEX.
 */
type Estimate = (options: Pick<ComplexityEstimatorArgs, 'args' | 'childComplexity'>) => number;

/** A batch entry costs this much (a full batch of 10,000 costs about 1,000: four fit the default budget of 5,000). */
export const BATCH_ENTRY_COST = 0.1;

const clamp = (v: unknown, min: number, max: number, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.trunc(v))) : fallback;

/** A page read from the graph: `first` times what each entry selects (nested lists multiply). */
export const pageCost =
  (max: number): Estimate =>
  ({ args, childComplexity }) =>
    clamp(args.first, 1, max, DEFAULT_FIRST) * Math.max(1, childComplexity);

/**
 * A page computed by one service call whose entries are plain values already in memory (bounded
 * explanation lists included): 2 per entry, plus the selection once.
 */
export const computedPageCost =
  (max: number): Estimate =>
  ({ args, childComplexity }) =>
    1 + 2 * clamp(args.first, 1, max, DEFAULT_FIRST) + childComplexity;

/** The most neighbours a k-hop sample can return: f1 + f1·f2 + f1·f2·f3 (each hop draws up to f per node of the previous one). */
export function sampledNeighbours(fanouts: unknown, maxHops: number, maxFanout: number): number {
  const list = Array.isArray(fanouts) ? fanouts.slice(0, maxHops) : [];
  let frontier = 1;
  let total = 0;
  for (const f of list) {
    frontier *= clamp(f, 0, maxFanout, 0);
    total += frontier;
  }
  return total;
}

/** sampleNeighborhood: 1 per neighbour it may return, plus the selection once. */
export const neighbourhoodCost =
  (maxHops: number, maxFanout: number, defaultFanouts: number[]): Estimate =>
  ({ args, childComplexity }) =>
    1 + childComplexity + sampledNeighbours(args.fanouts ?? defaultFanouts, maxHops, maxFanout);

/** Random walks: 1 per walk step (walks × length graph hops), plus `first` results times their selection. */
export const walkCost =
  (bounds: { maxWalks: number; maxLength: number; maxFirst: number; walks: number; length: number }): Estimate =>
  ({ args, childComplexity }) =>
    1 +
    clamp(args.walks, 1, bounds.maxWalks, bounds.walks) * clamp(args.length, 1, bounds.maxLength, bounds.length) +
    clamp(args.first, 1, bounds.maxFirst, DEFAULT_FIRST) * Math.max(1, childComplexity);

const entries = (list: unknown, max: number): number => (Array.isArray(list) ? Math.min(list.length, max) : 1);

/** A batch mutation answering one payload (counts): BATCH_ENTRY_COST per entry of `arg`, plus the selection once. */
export const batchCost =
  (arg: string, max: number): Estimate =>
  ({ args, childComplexity }) =>
    1 + childComplexity + Math.ceil(entries(args[arg], max) * BATCH_ENTRY_COST);

/** A batch mutation answering one object per entry: BATCH_ENTRY_COST per entry and selected field. */
export const batchListCost =
  (arg: string, max: number): Estimate =>
  ({ args, childComplexity }) =>
    1 + Math.ceil(entries(args[arg], max) * BATCH_ENTRY_COST * Math.max(1, childComplexity));
