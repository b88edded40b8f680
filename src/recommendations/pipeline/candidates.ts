/**
 * Serving stage "candidates" (profiled as `ann`): for a model whose item index is READY, the user's
 * candidates come from the index (about the k best model items by dot product) plus every new item
 * with a tag vector and every item a friend picked, and are re-scored exactly as scoring.ts would
 * (friends' picks with the exact moments of all scores, from the index's column sums and Gram
 * matrix). Masks are applied to the candidates; when too few survive, k doubles, up to
 * MAX_CANDIDATES; past that the caller scores every slot (never a wrong or short answer).
 * Only fold-in users use it: cold users' scores are min-max blended with popularity over every slot.
 */
import { performance } from 'node:perf_hooks';
import { Slots } from '../catalogue-build';
import { OnnxScorer } from '../onnx-scorer';
import { dot, friendsPickWeight } from '../scoring';
import { ServingProfile } from '../serving-profile';
import { UserVector } from '../user-state.service';
import { SlotMask } from './exclusions';
import type { Ranked } from './ranking';
import { ScoringInput } from './scores';
import { keptFriends, userVector } from './user-vector';

/** The widest candidate set asked of the index; past it a full pass costs about the same. */
export const MAX_CANDIDATES = 16_384;

/** Some slots with their exact scores. */
export interface Candidates {
  uv: UserVector;
  slots: Int32Array;
  scores: Float64Array;
  /** true when every slot with a finite score is among them */
  exhaustive: boolean;
}

/** The user's candidates at width k; null when this request is scored exactly (no index, or not a fold-in user). */
export type Retrieve = (k: number) => Promise<Candidates | null>;

export interface Widened {
  uv: UserVector;
  ranked: Ranked;
  /** the ranked slots are every slot passing the mask (fewer than asked) */
  complete: boolean;
  /** the width that sufficed */
  k: number;
}

/**
 * The best `need` candidates passing `keep`, best first (ties: lower slot first, as topK);
 * null when fewer pass and the candidates were cut off (a wider k may find more).
 */
export function bestPassing(c: Pick<Candidates, 'slots' | 'scores' | 'exhaustive'>, keep: SlotMask, need: number): Ranked | null {
  const pass: number[] = [];
  for (let i = 0; i < c.slots.length; i++) if (c.scores[i] > -Infinity && keep(c.slots[i])) pass.push(i);
  if (pass.length < need && !c.exhaustive) return null;
  pass.sort((a, b) => c.scores[b] - c.scores[a] || c.slots[a] - c.slots[b]);
  const top = pass.slice(0, need);
  return { slots: top.map((i) => c.slots[i]), scores: top.map((i) => c.scores[i]) };
}

/** Asks for k, 2k, 4k … candidates until `need` pass `keep`; null when retrieval declines or k would pass `maxK`. */
export async function widen(
  retrieve: Retrieve,
  keep: SlotMask,
  need: number,
  startK: number,
  maxK = MAX_CANDIDATES,
): Promise<Widened | null> {
  for (let k = Math.max(1, startK); k <= maxK; k *= 2) {
    const c = await retrieve(k);
    if (!c) return null;
    const ranked = bestPassing(c, keep, need);
    if (ranked) return { uv: c.uv, ranked, complete: ranked.slots.length < need, k };
    if (c.exhaustive) break;
  }
  return null;
}

/** Per slot, how many of these friends picked the item (only the slots some friend picked). */
export function sparseFriendCounts(slots: Pick<Slots, 'index'>, friends: Array<{ items: string[] }>): Map<number, number> {
  const out = new Map<number, number>();
  for (const f of friends) {
    for (const id of f.items) {
      const k = slots.index.get(id);
      if (k !== undefined) out.set(k, (out.get(k) ?? 0) + 1);
    }
  }
  return out;
}

/** u·Σx and uᵀ(Σxxᵀ)u: the sum and sum of squares of the user's scores over every model item. */
export function scoreMoments(u: Float32Array, colSum: Float64Array, gram: Float64Array, dim: number): { s1: number; s2: number } {
  let s1 = 0;
  let s2 = 0;
  for (let a = 0; a < dim; a++) {
    s1 += u[a] * colSum[a];
    let row = 0;
    for (let b = 0; b < dim; b++) row += gram[a * dim + b] * u[b];
    s2 += u[a] * row;
  }
  return { s1, s2 };
}

/** The user's candidates at width k, re-scored exactly; null when this request is scored exactly. */
export async function retrieveCandidates(
  onnx: Pick<OnnxScorer, 'foldIn'>,
  profile: Pick<ServingProfile, 'record'>,
  input: ScoringInput,
  k: number,
): Promise<Candidates | null> {
  const { userId, model, view, slots, state } = input;
  if (!model || !view || model.ann.status !== 'READY') return null;
  const uv = await userVector(onnx, model, userId, state);
  const u = uv.userVec;
  if (uv.path !== 'FOLD_IN' || !u) return null;
  const t = performance.now();
  const { index } = model.ann;
  const dim = model.dim;
  const nModel = model.items.length;
  const found = index.search(u, k);
  const picked = new Set<number>(found);
  const newVectors = slots.newVectors;
  for (let j = 0; j < newVectors.length; j++) if (newVectors[j]) picked.add(nModel + j);
  const friends =
    model.friendsBeta > 0 && state.ctx.friends.length ? sparseFriendCounts(slots, keptFriends(model, userId, state.ctx.friends)) : null;
  if (friends) for (const s of friends.keys()) picked.add(s);

  const cand = Int32Array.from(picked);
  const scores = new Float64Array(cand.length);
  let newS1 = 0;
  let newS2 = 0;
  let newN = 0;
  for (let i = 0; i < cand.length; i++) {
    const s = cand[i];
    if (s < nModel) scores[i] = dot(u, 0, model.itemEmb, s * dim, dim);
    else {
      const v = newVectors[s - nModel];
      scores[i] = v ? dot(u, 0, v, 0, dim) : -Infinity;
      if (v) {
        newN++;
        newS1 += scores[i];
        newS2 += scores[i] * scores[i];
      }
    }
  }
  if (friends && friends.size) {
    const m = scoreMoments(u, index.colSum, index.gram, dim);
    let c1 = 0;
    let c2 = 0;
    for (let i = 0; i < cand.length; i++) {
      const c = friends.get(cand[i]);
      if (c && scores[i] > -Infinity) {
        c1 += Math.log1p(c);
        c2 += Math.log1p(c) ** 2;
      }
    }
    const w = friendsPickWeight({ n: nModel + newN, s1: m.s1 + newS1, s2: m.s2 + newS2, c1, c2 }, model.friendsBeta);
    if (w > 0) {
      for (let i = 0; i < cand.length; i++) {
        const c = friends.get(cand[i]);
        if (c && scores[i] > -Infinity) scores[i] += w * Math.log1p(c);
      }
    }
  }
  profile.record('ann', performance.now() - t);
  return { uv, slots: cand, scores, exhaustive: found.length >= nModel };
}
