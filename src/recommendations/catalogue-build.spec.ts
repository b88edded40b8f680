import { ModelArtifacts } from '../model-registry/artifacts';
import { buildCatalogue, buildModelView, catalogueRow, modelStatistics, movePopularity, refreshPopularity } from './catalogue-build';
import { CatalogueRow } from './recommendations.repository';
import { rowNorms, tagStats } from './scoring';

const row = (id: string, popularity: number, tags: string[] = [], hidden = false): CatalogueRow => ({
  id,
  title: `T ${id}`,
  tags,
  hidden,
  popularity,
});

/** A 2-d model of items a, b, c (c no longer in the catalogue) and two users. */
function model(): ModelArtifacts {
  const items = ['a', 'b', 'c'];
  return {
    dim: 2,
    items,
    itemIndex: new Map(items.map((id, k) => [id, k])),
    itemTags: [['rock'], ['jazz'], ['rock', 'rock']],
    itemEmb: Float32Array.from([1, 0, 0, 2, 3, 4]),
    userEmb: Float32Array.from([1, 1, 0, 0]),
  } as unknown as ModelArtifacts;
}

describe('buildCatalogue and buildModelView', () => {
  const rows = [row('a', 3, ['rock']), row('b', 0, ['jazz', 'live']), row('n1', 0, ['rock']), row('n2', 1, [], true)];

  it("the catalogue's slots follow its rows, with an index from id to row", async () => {
    const cat = await buildCatalogue(rows, 7, 'f');
    expect(cat.slots.ids).toEqual(['a', 'b', 'n1', 'n2']);
    expect([...cat.slots.hidden]).toEqual([0, 0, 0, 1]);
    expect([...cat.slots.isNew]).toEqual([0, 1, 1, 0]);
    expect(cat.slots.index.get('n1')).toBe(2);
    expect(catalogueRow(cat, 'b')?.tags).toEqual(['jazz', 'live']);
    expect(catalogueRow(cat, 'zz')).toBeUndefined();
    expect([...cat.vocabulary].sort()).toEqual(['jazz', 'live', 'rock']);
  });

  it("statistics are the whole-array functions' answers (norms, per-tag sums counting a repeated tag once)", async () => {
    const m = model();
    const st = await modelStatistics(m);
    expect(st.itemNorms).toEqual(rowNorms(m.itemEmb, 2));
    expect(st.userNorms).toEqual(rowNorms(m.userEmb, 2));
    expect(st.tagStats).toEqual(tagStats(m.itemEmb, 2, m.itemTags, st.itemNorms));
    expect(st.tagStats.get('rock')!.count).toBe(2);
  });

  it("the model's view: its items by model index, then the new visible ones; catalogue fields where the catalogue has the item", async () => {
    const m = model();
    const cat = await buildCatalogue(rows, 1, 'f');
    const view = await buildModelView(m, await modelStatistics(m), cat);
    expect(view.slots.ids).toEqual(['a', 'b', 'c', 'n1']); // n2 is hidden and new: never a slot
    expect([...view.rowOfSlot]).toEqual([0, 1, -1, 2]);
    expect(view.slots.tags).toEqual([['rock'], ['jazz', 'live'], ['rock', 'rock'], ['rock']]);
    expect(view.slots.titles).toEqual(['T a', 'T b', null, 'T n1']);
    expect([...view.slots.isNew]).toEqual([0, 0, 0, 1]);
    expect([...view.slots.popularity]).toEqual([3, 0, 0, 0]);
    expect(['a', 'c', 'n1', 'n2', 'x'].map((id) => view.slots.index.get(id))).toEqual([0, 2, 3, undefined, undefined]);
    expect(view.slots.newVectors).toHaveLength(1);
    expect(view.slots.newVectors[0]).not.toBeNull(); // n1 shares `rock` with model items
    expect([...view.vocabulary].sort()).toEqual(['jazz', 'live', 'rock']);
  });

  it('popularity moved in place reaches the catalogue slots at once and a view on refresh', async () => {
    const m = model();
    const cat = await buildCatalogue(
      rows.map((r) => ({ ...r })),
      1,
      'f',
    );
    const view = await buildModelView(m, await modelStatistics(m), cat);
    expect(
      await movePopularity(
        cat,
        Float64Array.from(rows, (r) => (r.id === 'b' ? 5 : r.popularity)),
      ),
    ).toBe(true);
    expect(await movePopularity(cat, Float64Array.from(cat.slots.popularity))).toBe(false);
    expect([...cat.slots.popularity]).toEqual([3, 5, 0, 1]);
    expect([...cat.slots.isNew]).toEqual([0, 0, 1, 0]);
    cat.popularityStamp++;
    refreshPopularity(view, cat);
    expect([...view.slots.popularity]).toEqual([3, 5, 0, 0]);
    expect(view.popularityStamp).toBe(cat.popularityStamp);
  });
});
