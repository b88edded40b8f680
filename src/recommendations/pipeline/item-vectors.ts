/**
 * A slot's embedding, wherever it lies: a row of the model's item matrix (slot < model item count)
 * or a new item's tag vector. Explanations and similarItems compare items through these, with the
 * one cosine of scoring.ts; nothing here allocates per compared slot.
 */
import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue.service';
import { cosine, dot } from '../scoring';

/** Where a slot's vector lies: `vec` from `off`, `dim` long. */
export interface SlotVector {
  vec: Float32Array;
  off: number;
}

/** Slot k's vector; null for a new item sharing no tag with the model. */
export function slotVector(model: Pick<ModelArtifacts, 'items' | 'itemEmb' | 'dim'>, view: Pick<ModelView, 'slots'>, k: number): SlotVector | null {
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

/** Cosine between a vector (with its norm) and slot k's; -Infinity when slot k has no vector. */
export function cosineToSlot(
  vec: Float32Array,
  off: number,
  norm: number,
  model: Pick<ModelArtifacts, 'items' | 'itemEmb' | 'dim'>,
  view: Pick<ModelView, 'slots' | 'itemNorms'>,
  k: number,
): number {
  const dim = model.dim;
  const nModel = model.items.length;
  if (k < nModel) return cosine(vec, off, norm, model.itemEmb, k * dim, view.itemNorms[k], dim);
  const v = view.slots.newVectors[k - nModel];
  return v ? cosine(vec, off, norm, v, 0, vectorNorm(v, 0, dim), dim) : -Infinity;
}
