/**
 * Serving stage "ranking" (profiled as `ranking`; `rank` times the top-k of a computed ranking): the
 * request's ranked slots, down to one past its page. The user's ranking (seen items left out) is
 * kept with their state at two depths and the request's mask applied to it; a mask too narrow for
 * the deeper one ranks every slot through it. Scores are computed only when no kept ranking serves.
 */
import { performance } from 'node:perf_hooks';
import { typedArrayBytes } from '../cache-size';
import { Slots } from '../catalogue-build';
import { topK } from '../scoring';
import { ServingProfile } from '../serving-profile';
import { addDerivedBytes, BaseRanking, ServingPath, UserState } from '../user-state.service';
import { Retrieve, widen } from './candidates';
import { excludeSeen, maskScores, SlotMask } from './exclusions';
import { Scored } from './scores';

/** Rankings are paged up to this depth. */
export const MAX_DEPTH = 1_000;
/** Depth of the ranking kept per user: a page within it (after the request's own exclusions) needs no scoring. */
export const BASE_DEPTH = 256;
/** The deeper ranking kept once a request pages (or filters) past BASE_DEPTH. */
export const DEEP_DEPTH = MAX_DEPTH + BASE_DEPTH;

/** A ranking's first slots with their scores, best first. */
export interface Ranked {
  slots: number[];
  scores: number[];
}

/** What ranking reads: the user's state (where rankings are kept), the slots, and how to score them when needed. */
export interface RankingInput {
  state: UserState;
  slots: Slots;
  score: () => Promise<Scored>;
  /** candidates from the model's item index (absent, or answering null: every slot is scored) */
  retrieve?: Retrieve;
}

/** The slots of the user's seen items, as a mask that drops them. */
export function unseenMask(slots: Pick<Slots, 'index'>, seen: Set<string>): { keep: SlotMask; count: number } {
  const out = new Set<number>();
  for (const id of seen) {
    const k = slots.index.get(id);
    if (k !== undefined) out.add(k);
  }
  return { keep: (k) => !out.has(k), count: out.size };
}

type Profile = Pick<ServingProfile, 'record' | 'count'>;

/** The first `need` slots that pass `keep`, best first, and the path of the user's vector. */
export async function rankSlots(
  input: RankingInput,
  keep: SlotMask,
  need: number,
  profile: Profile,
): Promise<{ path: ServingPath; ranked: Ranked }> {
  let base = await baseRanking(input, BASE_DEPTH, profile);
  let ranked = takeRanked(base, keep, need);
  if (!ranked && base.order.length < DEEP_DEPTH) {
    base = await baseRanking(input, DEEP_DEPTH, profile);
    ranked = takeRanked(base, keep, need);
  }
  // Still short (a narrow filter): every slot through the mask.
  if (!ranked) ranked = await fullRanking(input, keep, need, profile);
  return { path: base.path, ranked };
}

/**
 * The user's best `depth` slots against these slots, seen items left out; kept with the user's
 * state (so until the user's next write, the next catalogue change or a model swap).
 */
export async function baseRanking({ state, slots, score, retrieve }: RankingInput, depth: number, profile: Profile): Promise<BaseRanking> {
  const cached = state.rankings.get(slots);
  if (cached) {
    const r = await cached;
    if (r.complete || r.order.length >= depth) {
      profile.count('ranking-cached');
      return r;
    }
  }
  profile.count('ranking-computed');
  const p = (async (): Promise<BaseRanking> => {
    if (retrieve) {
      const unseen = unseenMask(slots, state.seen);
      const w = await widen(retrieve, unseen.keep, depth, depth + unseen.count);
      if (w) {
        profile.count('ranking-ann');
        const kept: BaseRanking = {
          path: w.uv.path,
          userVec: w.uv.userVec,
          order: Int32Array.from(w.ranked.slots),
          scores: Float64Array.from(w.ranked.scores),
          complete: w.complete,
        };
        addDerivedBytes(state, typedArrayBytes(kept.order) + typedArrayBytes(kept.scores));
        return kept;
      }
    }
    const { uv, scores } = await score();
    const t = performance.now();
    excludeSeen(scores, slots, state.seen);
    const order = topK(scores, depth);
    profile.record('rank', performance.now() - t);
    const kept: BaseRanking = {
      path: uv.path,
      userVec: uv.userVec,
      order: Int32Array.from(order),
      scores: Float64Array.from(order, (k) => scores[k]),
      complete: order.length < depth,
    };
    addDerivedBytes(state, typedArrayBytes(kept.order) + typedArrayBytes(kept.scores));
    return kept;
  })();
  state.rankings.set(slots, p);
  p.catch(() => state.rankings.get(slots) === p && state.rankings.delete(slots));
  return p;
}

/** The ranking with every exclusion applied to the whole score array (masks too narrow for the kept ranking). */
export async function fullRanking(
  { state, slots, score, retrieve }: RankingInput,
  keep: SlotMask,
  need: number,
  profile: Profile,
): Promise<Ranked> {
  if (retrieve) {
    const unseen = unseenMask(slots, state.seen);
    const w = await widen(retrieve, (k) => unseen.keep(k) && keep(k), need, 2 * (DEEP_DEPTH + unseen.count));
    if (w) {
      profile.count('ranking-ann-widened');
      return w.ranked;
    }
  }
  profile.count('ranking-full');
  const { scores } = await score();
  excludeSeen(scores, slots, state.seen);
  maskScores(scores, keep);
  const order = topK(scores, need);
  return { slots: order, scores: order.map((k) => scores[k]) };
}

/**
 * The first `need` slots of a kept ranking that pass the request's mask; null when the ranking was
 * cut off before enough passed (the caller ranks deeper). Filtering a ranking keeps its order, so
 * this is the ranking of the filtered scores.
 */
export function takeRanked(base: Pick<BaseRanking, 'order' | 'scores' | 'complete'>, keep: SlotMask, need: number): Ranked | null {
  const slots: number[] = [];
  const scores: number[] = [];
  for (let n = 0; n < base.order.length && slots.length < need; n++) {
    const k = base.order[n];
    if (!keep(k)) continue;
    slots.push(k);
    scores.push(base.scores[n]);
  }
  return slots.length >= need || base.complete ? { slots, scores } : null;
}
