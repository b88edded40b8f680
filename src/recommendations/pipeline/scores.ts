/**
 * Serving stage "scores" (profiled as `onnx`, with the user vector): a score for every slot. The
 * model's items through its ONNX scorer, new items by the dot product with their tag vector; cold
 * users' scores blended with popularity; friends' picks added. Without a vector: popularity.
 */
import { performance } from 'node:perf_hooks';
import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView, Slots } from '../catalogue-build';
import { OnnxScorer } from '../onnx-scorer';
import { ContextFriend } from '../recommendations.repository';
import { addFriendsPicks, dot, minMax } from '../scoring';
import { ServingProfile } from '../serving-profile';
import { UserState, UserVector } from '../user-state.service';
import { keptFriends, userVector } from './user-vector';

/** Share of the friends' taste in a cold-start ranking (the rest is popularity). */
export const FRIENDS_SHARE = 0.7;

/** What scoring reads for one request. */
export interface ScoringInput {
  userId: string;
  /** null without a model (then view is null too) */
  model: ModelArtifacts | null;
  view: ModelView | null;
  slots: Slots;
  state: UserState;
}

export interface Scored {
  uv: UserVector;
  /** by slot; -Infinity: cannot be placed. A fresh array the caller may modify. */
  scores: Float64Array;
}

/** Scores of every slot for this user. */
export async function scoreSlots(
  onnx: Pick<OnnxScorer, 'foldIn' | 'score'>,
  profile: Pick<ServingProfile, 'record'>,
  input: ScoringInput,
): Promise<Scored> {
  const { userId, model, view, slots, state } = input;
  const popular = () => ({ uv: { path: 'POPULAR' as const, userVec: null }, scores: Float64Array.from(slots.popularity) });
  if (!model || !view) return popular();
  const t = performance.now();
  const uv = await userVector(onnx, model, userId, state);
  const userVec = uv.userVec;
  if (!userVec) return popular();

  const scores = placeScores(await onnx.score(model, userVec), userVec, slots.newVectors, model.dim);
  if (uv.path === 'FRIENDS') blendWithPopularity(scores, slots.popularity, FRIENDS_SHARE);
  // Friends' picks (a model whose trainer found them worth a weight): items the user's friends
  // interacted with move up, by how many friends (through edges the attention filter kept).
  if (uv.path === 'FOLD_IN' && model.friendsBeta > 0 && state.ctx.friends.length) {
    addFriendsPicks(scores, friendCounts(slots, keptFriends(model, userId, state.ctx.friends)), model.friendsBeta);
  }
  profile.record('onnx', performance.now() - t);
  return { uv, scores };
}

/**
 * The model's scores for its items followed by the new items' (the dot product of the user's vector
 * with their tag vector; -Infinity for a new item sharing no tag with the model: it cannot be placed).
 */
export function placeScores(
  modelScores: Float32Array,
  userVec: Float32Array,
  newVectors: Array<Float32Array | null>,
  dim: number,
): Float64Array {
  const nModel = modelScores.length;
  const scores = new Float64Array(nModel + newVectors.length);
  scores.set(modelScores);
  for (let j = 0; j < newVectors.length; j++) {
    const v = newVectors[j];
    scores[nModel + j] = v ? dot(userVec, 0, v, 0, dim) : -Infinity;
  }
  return scores;
}

/** In place: share·minMax(score) + (1 − share)·minMax(log(1 + popularity)); unplaceable slots stay -Infinity. */
export function blendWithPopularity(scores: Float64Array, popularity: Float64Array, share: number): void {
  const s = minMax(scores);
  const p = minMax(Float64Array.from(popularity, (x) => Math.log1p(x)));
  for (let k = 0; k < scores.length; k++) scores[k] = Number.isFinite(scores[k]) ? share * s[k] + (1 - share) * p[k] : -Infinity;
}

/** Per slot: how many of these friends interacted with the item. */
export function friendCounts(slots: Pick<Slots, 'ids' | 'index'>, friends: Array<Pick<ContextFriend, 'items'>>): Float64Array {
  const counts = new Float64Array(slots.ids.length);
  for (const f of friends) {
    for (const id of f.items) {
      const k = slots.index.get(id);
      if (k !== undefined) counts[k]++;
    }
  }
  return counts;
}
