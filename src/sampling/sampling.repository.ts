import { Injectable } from '@nestjs/common';
import { Record as Neo4jRecord } from 'neo4j-driver';
import { CypherTx, Neo4jClient } from '../graph/neo4j.client';
import { toNumber } from '../graph/mappers';
import { EdgeType, FrontierNode, frontierOf, GraphNodeRef, NodeKind, SampledNeighbor, SamplingBias } from './neighborhood';
import { MIN_WEIGHT, RECENCY_HALF_LIFE_DAYS, RECENCY_HORIZON_DAYS, SUPERNODE_CAP, windowFor } from './sampling.settings';
import { StepMove, WalkState } from './walks';

export interface ResolvedNode extends GraphNodeRef {
  hidden: boolean;
  title: string | null;
}

export interface SampledHops {
  hops: SampledNeighbor[][];
  /** Kind of every seed that exists. */
  kinds: Map<string, NodeKind>;
  /** Seeds that name no user and no item (the sample stopped after hop 1). */
  missing: string[];
}

export interface HopOptions {
  bias: SamplingBias;
  includeFriends: boolean;
  /** Reference time for the recency bias (epoch ms). */
  now: number;
  /** Forces the supernode window for every degree above this (tests, benchmarks); default: cost-based above SUPERNODE_CAP. */
  cap?: number;
  /** Expected candidates per supernode window (tests); default windowFor(k). */
  window?: number;
}

export interface WalkOptions {
  walks: number;
  length: number;
  restart: number;
  /** As in HopOptions. */
  cap?: number;
}

/** One row per frontier node, the sample as parallel lists (fewer, larger records than one per edge). */
function toNeighbors(r: Neo4jRecord): SampledNeighbor[] {
  const parent = r.get('parent') as string;
  const parentKind = r.get('parentKind') as NodeKind;
  const ids = r.get('ids') as string[];
  const kinds = r.get('kinds') as NodeKind[];
  const weights = r.get('weights') as unknown[];
  const edges = r.get('edges') as EdgeType[];
  return ids.map((id, j) => ({ parent, parentKind, id, kind: kinds[j], weight: toNumber(weights[j], 'weight'), edge: edges[j] }));
}

const toResolved = (r: Neo4jRecord): ResolvedNode => ({
  id: r.get('id') as string,
  kind: r.get('kind') as NodeKind,
  hidden: r.get('hidden') as boolean,
  title: (r.get('title') as string | null) ?? null,
});

const toMove = (r: Neo4jRecord): StepMove => ({ cur: r.get('cur') as string, next: r.get('next') as string });

/** Neighbour sampling and random walks: all Cypher of the sampling domain's reads runs here. */
@Injectable()
export class SamplingRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  private hopParams(frontier: FrontierNode[], k: number, opts: HopOptions) {
    return {
      frontier,
      k,
      bias: opts.bias,
      includeFriends: opts.includeFriends,
      cap: opts.cap ?? SUPERNODE_CAP,
      costBased: opts.cap === undefined,
      window: opts.window ?? windowFor(k),
      now: opts.now,
      lambda: Math.LN2 / RECENCY_HALF_LIFE_DAYS,
      horizonDays: RECENCY_HORIZON_DAYS,
      minWeight: MIN_WEIGHT,
    };
  }

  /** One hop for a frontier (each node sampled once, at most k neighbours without replacement). */
  async sampleHop(frontier: FrontierNode[], k: number, opts: HopOptions): Promise<SampledNeighbor[]> {
    if (frontier.length === 0 || k <= 0) return [];
    return (await this.neo4j.readOnce('sampling/sample-hop', this.hopParams(frontier, k, opts))).flatMap(toNeighbors);
  }

  /**
   * GraphSAGE-style k-hop sample: hop h+1 is drawn once per distinct node of hop h, one statement
   * per hop, auto-committed on one session (Neo4jClient.readEach: no BEGIN/COMMIT round trips). Seeds of unknown kind
   * are looked up by hop 1 itself, which answers one row per existing seed; when a seed does not
   * exist the sample stops there (`missing` lists them).
   */
  async sampleHops(seeds: FrontierNode[], fanouts: number[], opts: HopOptions): Promise<SampledHops> {
    return this.neo4j.readEach('sampling/sample-hops', async (tx) => {
      const kinds = new Map<string, NodeKind>();
      const hops: SampledNeighbor[][] = [];
      let frontier: FrontierNode[] = seeds;
      for (const [h, k] of fanouts.entries()) {
        const rows = frontier.length ? await tx.run('sampling/sample-hop', this.hopParams(frontier, k, opts)) : [];
        if (h === 0) {
          for (const r of rows) kinds.set(r.get('parent') as string, r.get('parentKind') as NodeKind);
          const missing = seeds.filter((s) => !kinds.has(s.id)).map((s) => s.id);
          if (missing.length) return { hops, kinds, missing };
        }
        const hop = rows.flatMap(toNeighbors);
        hops.push(hop);
        frontier = frontierOf(hop);
      }
      return { hops, kinds, missing: [] };
    });
  }

  private async walkIn(tx: CypherTx, seeds: string[], over: 'ITEMS' | 'FRIENDS', opts: WalkOptions): Promise<WalkState> {
    const key = over === 'ITEMS' ? 'sampling/walk-step-items' : 'sampling/walk-step-friends';
    const state = new WalkState(seeds, opts.walks);
    for (let step = 0; step < opts.length && state.walkers > 0; step++) {
      state.restart(opts.restart);
      const rows = await tx.run(key, {
        groups: state.groups(),
        cap: opts.cap ?? SUPERNODE_CAP,
        costBased: opts.cap === undefined,
        window: windowFor(1),
      });
      state.advance(rows.map(toMove));
    }
    return state;
  }

  /**
   * W walks of length L from each seed, advanced one step per statement for all walkers together
   * (item -> user -> item for ITEMS, user -> friend for FRIENDS), the steps auto-committed on one
   * session (Neo4jClient.readEach); returns the walk state with the visits.
   */
  walk(seeds: string[], over: 'ITEMS' | 'FRIENDS', opts: WalkOptions): Promise<WalkState> {
    return this.neo4j.readEach('sampling/walk', (tx) => this.walkIn(tx, seeds, over, opts));
  }

  /** Item walks from one seed plus, on the same session, what the seed and the visited nodes are. */
  walkAndDescribe(seed: string, opts: WalkOptions): Promise<{ state: WalkState; nodes: ResolvedNode[] }> {
    return this.neo4j.readEach('sampling/walk-describe', async (tx) => {
      const state = await this.walkIn(tx, [seed], 'ITEMS', opts);
      const rows = await tx.run('sampling/resolve-nodes', { ids: [seed, ...state.visits[0].keys()] });
      return { state, nodes: rows.map(toResolved) };
    });
  }
}
