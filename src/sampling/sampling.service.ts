import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '../common/errors/domain-error';
import { checkFirst } from '../common/pagination/page-size';
import { GraphNodeRef, SampledNeighbor, SamplingBias } from './neighborhood';
import { SamplingRepository } from './sampling.repository';
import {
  DEFAULT_FANOUTS,
  MAX_FANOUT,
  MAX_HOPS,
  MAX_RELATED,
  MAX_SEEDS,
  MAX_WALK_LENGTH,
  MAX_WALKS,
  WALK_SEED_BATCH,
} from './sampling.settings';
import { topVisited, VisitedNode } from './walks';

export interface SampleOptions {
  fanouts?: number[];
  bias?: SamplingBias;
  includeFriends?: boolean;
  /** Reference time of the recency bias (default now). */
  now?: number;
}

export interface Neighborhood {
  seeds: GraphNodeRef[];
  fanouts: number[];
  bias: SamplingBias;
  /** hops[h]: the neighbours sampled at hop h+1, each with the node it was drawn from (`parent`). */
  hops: SampledNeighbor[][];
}

export interface WalkRequest {
  walks?: number;
  length?: number;
  restart?: number;
  topK?: number;
}

export interface RelatedItem extends VisitedNode {
  title: string | null;
}

function bounded(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput('VALIDATION_FAILED', `${field}: must be an integer between ${min} and ${max}`, [
      { field, message: `must be an integer between ${min} and ${max}` },
    ]);
  }
}

function nodesNotFound(missing: string[]) {
  const shown = missing
    .slice(0, 5)
    .map((id) => JSON.stringify(id))
    .join(', ');
  return notFound('NODE_NOT_FOUND', `no user or item with id ${shown}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}`);
}

function walkParams(req: WalkRequest): { walks: number; length: number; restart: number; topK: number } {
  const p = { walks: req.walks ?? 20, length: req.length ?? 4, restart: req.restart ?? 0, topK: req.topK ?? 20 };
  bounded('walks', p.walks, 1, MAX_WALKS);
  bounded('length', p.length, 1, MAX_WALK_LENGTH);
  checkFirst(p.topK, MAX_RELATED);
  if (!(p.restart >= 0 && p.restart < 1))
    throw badInput('VALIDATION_FAILED', 'restart: must be in [0, 1)', [{ field: 'restart', message: 'must be in [0, 1)' }]);
  return p;
}

/**
 * Neighbour sampling (GraphSAGE-style k-hop samples) and PinSage random walks over the user-item
 * graph, for GraphQL exploration and for the training job. Hidden items stay in the graph here
 * (they keep their training signal); only relatedItems drops them from its answer.
 */
@Injectable()
export class SamplingService {
  constructor(private readonly repo: SamplingRepository) {}

  async sampleNeighborhood(seedIds: string[], opts: SampleOptions = {}): Promise<Neighborhood> {
    const fanouts = opts.fanouts ?? DEFAULT_FANOUTS;
    if (fanouts.length < 1 || fanouts.length > MAX_HOPS) {
      throw badInput('VALIDATION_FAILED', `fanouts: between 1 and ${MAX_HOPS} hops`, [
        { field: 'fanouts', message: `between 1 and ${MAX_HOPS} hops` },
      ]);
    }
    fanouts.forEach((k, i) => bounded(`fanouts[${i}]`, k, 1, MAX_FANOUT));
    if (seedIds.length > MAX_SEEDS) throw badInput('BATCH_TOO_LARGE', `at most ${MAX_SEEDS} seeds per call, got ${seedIds.length}`);
    const bias = opts.bias ?? 'UNIFORM';
    const hopOpts = { bias, includeFriends: opts.includeFriends ?? false, now: opts.now ?? Date.now() };
    const ids = [...new Set(seedIds)];
    const { hops, kinds, missing } = await this.repo.sampleHops(
      ids.map((id) => ({ id, kind: null })),
      fanouts,
      hopOpts,
    );
    if (missing.length) throw nodesNotFound(missing);
    return { seeds: ids.map((id) => ({ id, kind: kinds.get(id)! })), fanouts, bias, hops };
  }

  /** Items related to an item by PinSage walks (item -> user -> item), never hidden ones, best first. */
  async relatedItems(itemId: string, req: WalkRequest = {}): Promise<RelatedItem[]> {
    const p = walkParams(req);
    // Walks from an unknown id simply never move; the look-up after the walks checks the seed too.
    const { state, nodes } = await this.repo.walkAndDescribe(itemId, p);
    const visits = state.visits[0];
    const info = new Map(nodes.filter((n) => n.kind === 'ITEM').map((n) => [n.id, n]));
    if (!info.has(itemId)) throw notFound('ITEM_NOT_FOUND', `no item with id ${JSON.stringify(itemId)}`);
    return topVisited(visits, itemId, p.topK, (id) => info.get(id)?.hidden !== false).map((v) => ({ ...v, title: info.get(v.id)!.title }));
  }

  /**
   * Batch PinSage neighbourhoods for training: for each seed item the top-k visited items (hidden
   * ones included: they are graph structure), with importance weights. Seeds are walked in batches.
   */
  async itemWalkNeighborhoods(itemIds: string[], req: WalkRequest = {}): Promise<Map<string, VisitedNode[]>> {
    return this.walkNeighborhoods(itemIds, 'ITEMS', req);
  }

  /** Social walks from user seeds over FRIEND edges: the top-k users reached, with importance weights. */
  async socialWalkNeighborhoods(userIds: string[], req: WalkRequest = {}): Promise<Map<string, VisitedNode[]>> {
    return this.walkNeighborhoods(userIds, 'FRIENDS', req);
  }

  private async walkNeighborhoods(ids: string[], over: 'ITEMS' | 'FRIENDS', req: WalkRequest): Promise<Map<string, VisitedNode[]>> {
    const p = walkParams(req);
    const seeds = [...new Set(ids)];
    const out = new Map<string, VisitedNode[]>();
    for (let i = 0; i < seeds.length; i += WALK_SEED_BATCH) {
      const batch = seeds.slice(i, i + WALK_SEED_BATCH);
      const state = await this.repo.walk(batch, over, p);
      batch.forEach((seed, s) => out.set(seed, topVisited(state.visits[s], seed, p.topK)));
    }
    return out;
  }
}
