/**
 * Serving stage "catalogue" (profiled as `catalogue`): the slots the request ranks (the model's items and
 * the new ones, or the catalogue without a model), after checking its tag filters against the
 * vocabulary.
 */
import { badInput } from '../../common/errors/domain-error';
import { ModelArtifacts } from '../../model-registry/artifacts';
import { Catalogue, ModelView, Slots } from '../catalogue-build';
import { CatalogueService } from '../catalogue.service';

/** A tag not in the cached vocabulary is re-checked against a catalogue read at most this old. */
export const TAG_RECHECK_MS = 1_000;

export interface CatalogueView {
  /** null without a model */
  view: ModelView | null;
  slots: Slots;
}

/** The model's view of the current catalogue; UNKNOWN_TAGS when a filter names a tag no item has. */
export async function catalogueView(
  catalogue: Pick<CatalogueService, 'get' | 'fresherThan' | 'view'>,
  model: ModelArtifacts | null,
  tags: string[],
): Promise<CatalogueView> {
  const viewOf = (c: Catalogue) => (model ? catalogue.view(model, c) : null);
  let cat = await catalogue.get();
  let view = await viewOf(cat);
  if (tags.length) {
    let unknown = unknownTags(tags, (view ?? cat).vocabulary);
    if (unknown.length) {
      cat = await catalogue.fresherThan(TAG_RECHECK_MS); // a tag given to an item seconds ago is not unknown
      view = await viewOf(cat);
      unknown = unknownTags(tags, (view ?? cat).vocabulary);
    }
    if (unknown.length) throw unknownTagsError(unknown);
  }
  return { view, slots: view?.slots ?? cat.slots };
}

/** The tags the vocabulary lacks, in the order given. */
export function unknownTags(tags: string[], vocabulary: Set<string>): string[] {
  return tags.filter((x) => !vocabulary.has(x));
}

export function unknownTagsError(unknown: string[]) {
  const shown = unknown
    .slice(0, 10)
    .map((t) => JSON.stringify(t))
    .join(', ');
  return badInput(
    'UNKNOWN_TAGS',
    `filter: no item has the tag${unknown.length > 1 ? 's' : ''} ${shown}`,
    unknown.slice(0, 100).map((t) => ({ field: 'filter', message: `unknown tag ${JSON.stringify(t)}` })),
  );
}
