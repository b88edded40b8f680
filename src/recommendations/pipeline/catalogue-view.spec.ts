import { ModelArtifacts } from '../../model-registry/artifacts';
import { Catalogue, ModelView } from '../catalogue-build';
import { CatalogueService } from '../catalogue.service';
import { catalogueView, TAG_RECHECK_MS, unknownTags, unknownTagsError } from './catalogue-view';

const cat = (tags: string[]) => ({ vocabulary: new Set(tags), slots: { ids: tags.map((t) => `item-${t}`) } }) as unknown as Catalogue;

/** A catalogue whose cached read knows `rock`, a fresher read `jazz` too; a model's view adds the model's own `synth`. */
function fakeCatalogue() {
  const cached = cat(['rock']);
  const fresher = cat(['rock', 'jazz']);
  const rechecks: number[] = [];
  const service = {
    get: async () => cached,
    fresherThan: async (ms: number) => {
      rechecks.push(ms);
      return fresher;
    },
    view: async (_m: ModelArtifacts, c: Catalogue) =>
      ({ vocabulary: new Set([...c.vocabulary, 'synth']), slots: { ids: ['model-slot', ...c.slots.ids] } }) as unknown as ModelView,
  } as Pick<CatalogueService, 'get' | 'fresherThan' | 'view'>;
  return { service, cached, fresher, rechecks };
}
const model = {} as ModelArtifacts;

describe('catalogueView', () => {
  it("without a model: the catalogue's own slots, and no re-read when every tag is known", async () => {
    const { service, cached, rechecks } = fakeCatalogue();
    const out = await catalogueView(service, null, ['rock']);
    expect(out.view).toBeNull();
    expect(out.slots).toBe(cached.slots);
    expect(rechecks).toEqual([]);
  });

  it("with a model: its view's slots, and the model's tags count as known", async () => {
    const { service, rechecks } = fakeCatalogue();
    const out = await catalogueView(service, model, ['synth', 'rock']);
    expect(out.slots.ids).toEqual(['model-slot', 'item-rock']);
    expect(rechecks).toEqual([]);
  });

  it('a tag unknown to the cached read is checked against a read at most TAG_RECHECK_MS old (a tag given seconds ago)', async () => {
    const { service, rechecks } = fakeCatalogue();
    const out = await catalogueView(service, null, ['rock', 'jazz']);
    expect(rechecks).toEqual([TAG_RECHECK_MS]);
    expect(out.slots.ids).toEqual(['item-rock', 'item-jazz']);
  });

  it('a tag still unknown is BAD_USER_INPUT UNKNOWN_TAGS naming it', async () => {
    const { service } = fakeCatalogue();
    await expect(catalogueView(service, null, ['jazz', 'polka'])).rejects.toMatchObject({
      category: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_TAGS',
      message: 'filter: no item has the tag "polka"',
      details: [{ field: 'filter', message: 'unknown tag "polka"' }],
    });
  });
});

describe('unknown tags', () => {
  it('keeps the order given', () => {
    expect(unknownTags(['b', 'x', 'a', 'y'], new Set(['a', 'b']))).toEqual(['x', 'y']);
  });

  it('the message shows at most 10 tags, the details at most 100', () => {
    const tags = Array.from({ length: 120 }, (_, n) => `t${n}`);
    const e = unknownTagsError(tags);
    expect(e.message).toBe(
      `filter: no item has the tags ${tags
        .slice(0, 10)
        .map((t) => `"${t}"`)
        .join(', ')}`,
    );
    expect(e.details).toHaveLength(100);
  });
});
