/**
 * Serving stage "slice model" (profiled within `user-state`): for a request on the ACTIVE model, the user's
 * slice from the counts serving already read (their interacted items and friends, user-state.service.ts)
 * and the version the active one's slice table names for it (docs/decisions/0033-per-slice-model-choice.md).
 * A slice the table leaves on the active version, routing switched off, or a request for a named kind keeps
 * the model it was given.
 */
import { ServingModel, SliceRouting } from '../../model-registry/model-store';
import { userSlice } from '../../model-registry/slice-choice';
import { UserContext } from '../recommendations.repository';

export interface SliceServing {
  /** the model that ranks this request */
  serving: ServingModel | null;
  /** the slice the request was routed by; null when no routing applied */
  slice: string | null;
}

/**
 * `routing` is the one taken with `serving` (ModelStore.routed(), null for a named kind). The rows count is
 * the user's distinct interacted items (one training row per pair in a snapshot without repeated rows).
 */
export function sliceModel(
  routing: SliceRouting | null,
  serving: ServingModel | null,
  ctx: Pick<UserContext, 'items' | 'friends'>,
): SliceServing {
  if (!serving || !routing?.enabled || routing.activeVersionId !== serving.version.id || !routing.table.length)
    return { serving, slice: null };
  const slice = userSlice(ctx.items.length, ctx.friends.length);
  return { serving: routing.models.get(slice) ?? serving, slice };
}
