/**
 * Serving stage "user vector" (profiled within `onnx`): the user's vector for a model, from fold-in of their
 * current items and friends through the model's ONNX encoder, from their friends' vectors (cold
 * start), or none (popularity). Kept with the user's state.
 */
import { attentionKey, ModelArtifacts } from '../../model-registry/artifacts';
import { OnnxScorer } from '../onnx-scorer';
import { ContextItem, UserContext } from '../recommendations.repository';
import { weightedMean } from '../scoring';
import { typedArrayBytes } from '../cache-size';
import { addDerivedBytes, UserState, UserVector } from '../user-state.service';

/** Fold-in reads at most this many of the user's items (most recent first, then heaviest). */
export const FOLDIN_MAX_ITEMS = 200;
/** and at most this many friends. */
export const FOLDIN_MAX_FRIENDS = 50;

/** The user's vector for this model, computed once per user state (a failure is not kept). */
export function userVector(onnx: Pick<OnnxScorer, 'foldIn'>, model: ModelArtifacts, userId: string, state: UserState): Promise<UserVector> {
  let p = state.vectors.get(model);
  if (!p) {
    p = computeUserVector(onnx, model, userId, state.ctx);
    state.vectors.set(model, p);
    const mine = p;
    void p.then(
      (uv) => addDerivedBytes(state, typedArrayBytes(uv.userVec)),
      () => undefined,
    );
    p.catch(() => state.vectors.get(model) === mine && state.vectors.delete(model));
  }
  return p;
}

/**
 * FOLD_IN when the user has items the model knows (their friends count in the encoder too);
 * FRIENDS, the attention-weighted mean of the friends' vectors, when only friends; else POPULAR.
 */
export async function computeUserVector(
  onnx: Pick<OnnxScorer, 'foldIn'>,
  model: ModelArtifacts,
  userId: string,
  ctx: UserContext,
): Promise<UserVector> {
  const friends = modelFriends(model, userId, ctx);
  const inModel = ctx.items.filter((i) => model.itemIndex.has(i.id)).slice(0, FOLDIN_MAX_ITEMS);
  if (inModel.length) {
    const userVec = await onnx.foldIn(
      model,
      inModel.map((i) => model.itemIndex.get(i.id)!),
      foldInWeights(model, inModel),
      friends.slice(0, FOLDIN_MAX_FRIENDS).map((f) => f.index),
    );
    return { path: 'FOLD_IN', userVec };
  }
  if (friends.length) {
    const userVec = weightedMean(
      model.userEmb,
      model.dim,
      friends.map((f) => f.index),
      friends.map((f) => f.weight),
    );
    if (userVec) return { path: 'FRIENDS', userVec };
  }
  return { path: 'POPULAR', userVec: null };
}

/** Fold-in item weights as the model was trained: 1 (binary) or the edge weight, with its time decay. */
export function foldInWeights(model: ModelArtifacts, items: ContextItem[], at = Date.now()): number[] {
  const cfg = model.config as { edge_weight?: string; time_decay_lambda?: number };
  const lambda = typeof cfg.time_decay_lambda === 'number' ? cfg.time_decay_lambda : 0;
  return items.map((i) => {
    let w = cfg.edge_weight === 'weight' ? Math.max(i.weight, 1e-6) : 1;
    if (lambda > 0 && i.lastTs !== null) w *= Math.exp((-lambda * Math.max(0, at - i.lastTs)) / 86_400_000);
    return w;
  });
}

/** The user's friends less the edges the model's attention filter dropped, with the edge's attention where the model has some. */
export function keptFriends<F extends { id: string }>(
  model: ModelArtifacts,
  userId: string,
  friends: F[],
): Array<F & { attention: number | null }> {
  const out: Array<F & { attention: number | null }> = [];
  for (const f of friends) {
    const att = model.attention.get(attentionKey(userId, f.id));
    if (att && !att.kept) continue;
    out.push({ ...f, attention: att ? att.attention : null });
  }
  return out;
}

/**
 * The user's friends the model knows, weighted by the model's attention on the edge where it has
 * some (uniform otherwise); edges the model's attention filter dropped are left out.
 */
export function modelFriends(
  model: ModelArtifacts,
  userId: string,
  ctx: UserContext,
): Array<{ id: string; index: number; weight: number }> {
  const out: Array<{ id: string; index: number; weight: number }> = [];
  for (const f of keptFriends(model, userId, ctx.friends)) {
    const index = model.userIndex.get(f.id);
    if (index !== undefined) out.push({ id: f.id, index, weight: f.attention !== null ? Math.max(f.attention, 1e-6) : 1 });
  }
  return out.sort((a, b) => b.weight - a.weight);
}
