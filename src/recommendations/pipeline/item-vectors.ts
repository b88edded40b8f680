/**
 * A slot's embedding, wherever it lies: a row of the model's item matrix (slot < model item count)
 * or a new item's tag vector. Explanations and similarItems compare items through these, with the
 * one cosine of scoring.ts; nothing here allocates per compared slot.
 */
import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue-build';
import { cosine, dot } from '../scoring';

/** Where a slot's vector lies: `vec` from `off`, `dim` long. */
export interface SlotVector {
  vec: Float32Array;
  off: number;
}

/** Slot k's vector; null for a new item sharing no tag with the model. */
export function slotVector(
  model: Pick<ModelArtifacts, 'items' | 'itemEmb' | 'dim'>,
  view: Pick<ModelView, 'slots'>,
  k: number,
): SlotVector | null {
  const nModel = model.items.length;
  if (k < nModel) return { vec: model.itemEmb, off: k * model.dim };
  const v = view.slots.newVectors[k - nModel];
  return v ? { vec: v, off: 0 } : null;
}

/** The L2 norm of `dim` values of `vec` from `off`, in double precision. */
export function vectorNorm(vec: Float32Array, off: number, dim: number): number {
  return Math.sqrt(dot(vec, off, vec, off, dim));
}

/** Slot k's norm as the view keeps it: the model items' (Float32) row norms, computed for a new item. */
export function slotNorm(model: Pick<ModelArtifacts, 'items' | 'dim'>, view: Pick<ModelView, 'slots' | 'itemNorms'>, k: number): number {
  const nModel = model.items.length;
  if (k < nModel) return view.itemNorms[k];
  const v = view.slots.newVectors[k - nModel];
  return v ? vectorNorm(v, 0, model.dim) : 0;
}

/** The cosine between a vector (with its norm) and slot k's; -Infinity when slot k has no vector. */
export type SlotCosine = (vec: Float32Array, off: number, norm: number, k: number) => number;

/** Cosines against one model view's slots (its arrays looked up once, not per compared slot). */
export function slotCosine(
  model: Pick<ModelArtifacts, 'items' | 'itemEmb' | 'dim'>,
  view: Pick<ModelView, 'slots' | 'itemNorms'>,
): SlotCosine {
  const dim = model.dim;
  const nModel = model.items.length;
  const itemEmb = model.itemEmb;
  const itemNorms = view.itemNorms;
  const newVectors = view.slots.newVectors;
  return (vec, off, norm, k) => {
    if (k < nModel) return cosine(vec, off, norm, itemEmb, k * dim, itemNorms[k], dim);
    const v = newVectors[k - nModel];
    return v ? cosine(vec, off, norm, v, 0, vectorNorm(v, 0, dim), dim) : -Infinity;
  };
}
