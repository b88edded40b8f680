import { AnnState } from '../../model-registry/ann-index';
import { ModelArtifacts } from '../../model-registry/artifacts';
import { buildCosineIndex, CosineIndex } from '../../model-registry/cosine-index';
import { ModelView } from '../catalogue-build';
import { HydratedItem } from '../recommendations.repository';
import { rowNorms } from '../scoring';
import { nearestItems, SIMILAR_BASE_K, similarCandidates } from './similar-ann';
import { HYDRATE_MARGIN, similarItems, similarSlots } from './similar-items';

const DIM = 8;
const N = 2_000;
let seed = 11;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
// 2 000 model items in 40 clusters (norms 0.5 … 4.5, so dot-product and cosine orders differ), item 7 a zero vector
const centres = Array.from({ length: 40 }, () => Array.from({ length: DIM }, rnd));
const itemEmb = Float32Array.from({ length: N * DIM }, (_, j) => {
  const i = Math.floor(j / DIM);
  return i === 7 ? 0 : (centres[i % 40][j % DIM] + 0.3 * rnd()) * (0.5 + (i % 5));
});
const items = Array.from({ length: N }, (_, i) => `m${i}`);
let similar: AnnState<CosineIndex>;
const model = () => ({ dim: DIM, items, itemIndex: new Map(items.map((id, i) => [id, i])), itemEmb, similar }) as unknown as ModelArtifacts;
/** The model's items and three new ones: n0 near cluster 0, n1 near cluster 1, n2 without a tag vector. */
const view = (hidden: number[] = []) => {
  const ids = [...items, 'n0', 'n1', 'n2'];
  const near = (c: number) => Float32Array.from(centres[c], (x) => x * 2);
  return {
    itemNorms: rowNorms(itemEmb, DIM),
    slots: {
      ids,
      index: new Map(ids.map((id, k) => [id, k])),
      hidden: Uint8Array.from(ids, (_, k) => (hidden.includes(k) ? 1 : 0)),
      isNew: Uint8Array.from(ids, (_, k) => (k >= N ? 1 : 0)),
      newVectors: [near(0), near(1), null],
    },
  } as unknown as ModelView;
};
/** Every slot still there and visible, except `gone` (deleted since the catalogue was read). */
const hydrateAll =
  (gone: Set<string> = new Set(), asked: string[][] = []) =>
  (ids: string[]) => {
    asked.push(ids);
    return Promise.resolve(
      new Map<string, HydratedItem>(ids.filter((id) => !gone.has(id)).map((id) => [id, { id, title: id, tags: [], hidden: false }])),
    );
  };
/** The exact answer (similarSlots over every slot), for comparison. */
const exact = async (v: ModelView, id: string, first: number, gone = new Set<string>()) => {
  const s = similarSlots(model(), v, id, first)!;
  return similarItems(s, v.slots, await hydrateAll(gone)(s.ranked.map((k) => v.slots.ids[k])), first);
};

beforeAll(async () => {
  similar = { status: 'READY', index: await buildCosineIndex(itemEmb, DIM), builtBy: 'API' };
});

describe('similarCandidates: the index’s k nearest and every new item, compared exactly, masked', () => {
  it('never the item itself nor a hidden slot; new items with a vector are candidates, with their exact cosine', () => {
    const v = view([40, 80]); // two items of m0's cluster hidden
    const c = similarCandidates(model(), v, 'm0', 30, 64)!;
    expect(c.ranked).not.toContain(0);
    expect(c.ranked).not.toContain(40);
    expect(c.ranked).not.toContain(80);
    expect(c.ranked).toContain(N); // n0, near cluster 0
    expect(c.ranked).not.toContain(N + 2); // n2 has no vector
    const ex = similarSlots(model(), v, 'm0', 30)!;
    for (const s of c.ranked) expect(c.sims[s]).toBe(ex.sims[s]);
    expect(c.short).toBe(false);
  });

  it('is short when fewer than `depth` pass and the index had more items', () => {
    const cluster0 = Array.from({ length: 50 }, (_, j) => j * 40).filter((s) => s !== 0);
    const c = similarCandidates(model(), view(cluster0), 'm0', 20, 30)!;
    expect(c.short).toBe(true);
    expect(similarCandidates(model(), view(cluster0), 'm0', 20, N)!.short).toBe(false); // every model item asked
  });

  it('a new item is looked up by its tag vector; no index, no vector or a zero vector: null (similarSlots answers)', () => {
    const fromNew = similarCandidates(model(), view(), 'n0', 10, 64)!;
    expect(fromNew.ranked.every((s) => s % 40 === 0 || s >= N)).toBe(true);
    expect(similarCandidates(model(), view(), 'n2', 10, 64)).toBeNull();
    expect(similarCandidates(model(), view(), 'm7', 10, 64)).toBeNull();
    const none = { ...model(), similar: { status: 'FAILED', error: 'x' } } as ModelArtifacts;
    expect(similarCandidates(none, view(), 'm0', 10, 64)).toBeNull();
  });
});

describe('nearestItems: widened until `first` survive, else every slot', () => {
  it('the 49 nearest hidden: k doubles until 20 pass; the answer is the exact one', async () => {
    const cluster0 = Array.from({ length: 50 }, (_, j) => j * 40).filter((s) => s !== 0);
    const v = view(cluster0);
    const got = await nearestItems(model(), v, 'm0', 20, hydrateAll(), { startK: 31 });
    expect(got.via).toBe('ann');
    expect(got.k).toBeGreaterThan(31);
    expect(got.items.map((x) => x.id)).toEqual((await exact(v, 'm0', 20)).map((x) => x.id));
    expect(got.items.some((x) => cluster0.includes(Number(x.id.slice(1))))).toBe(false);
  });

  it(`more than ${HYDRATE_MARGIN} deleted since the catalogue was read: ranked deeper, still 20 (exact: short)`, async () => {
    const first = await nearestItems(model(), view(), 'm0', 20, hydrateAll(), { startK: 31 });
    const gone = new Set(first.items.slice(0, 15).map((x) => x.id));
    const asked: string[][] = [];
    const got = await nearestItems(model(), view(), 'm0', 20, hydrateAll(gone, asked), { startK: 31 });
    expect(asked.length).toBe(2);
    expect(asked[1].length).toBe(2 * (20 + HYDRATE_MARGIN));
    expect(got.items).toHaveLength(20);
    expect(got.items.filter((x) => gone.has(x.id))).toEqual([]);
    const ex = await exact(view(), 'm0', 20, gone);
    expect(ex).toHaveLength(20 + HYDRATE_MARGIN - 15);
    expect(got.items.slice(0, ex.length)).toEqual(ex);
  });

  it('past maxK, or without a READY index, every slot is compared (the exact answer)', async () => {
    const cluster0 = Array.from({ length: 50 }, (_, j) => j * 40).filter((s) => s !== 0);
    const v = view(cluster0);
    const capped = await nearestItems(model(), v, 'm0', 20, hydrateAll(), { startK: 31, maxK: 40 });
    expect(capped.via).toBe('exact');
    expect(capped.items).toEqual(await exact(v, 'm0', 20));
    const none = { ...model(), similar: { status: 'EXACT', reason: 'below' } } as ModelArtifacts;
    expect(await nearestItems(none, view(), 'm3', 20, hydrateAll())).toEqual({ via: 'exact', k: 0, items: await exact(view(), 'm3', 20) });
    expect(await nearestItems(model(), view(), 'n2', 20, hydrateAll())).toEqual({ via: 'exact', k: 0, items: [] });
  });

  it('over 100 items (model and new), 64 asked of the index, Recall@20 against the exact answer ≥ 0.99 and the same cosines', async () => {
    let hits = 0;
    const targets = [...Array.from({ length: 98 }, (_, t) => `m${t * 19 + 1}`), 'n0', 'n1'];
    for (const id of targets) {
      const got = await nearestItems(model(), view(), id, 20, hydrateAll(), { startK: 64 });
      const ex = await exact(view(), id, 20);
      const want = new Map(ex.map((x) => [x.id, x.similarity]));
      hits += got.items.filter((x) => want.has(x.id)).length;
      for (const x of got.items) if (want.has(x.id)) expect(x.similarity).toBe(want.get(x.id));
    }
    expect(hits / (20 * targets.length)).toBeGreaterThanOrEqual(0.99);
    expect((await nearestItems(model(), view(), 'm5', 20, hydrateAll())).k).toBe(SIMILAR_BASE_K); // serving's first width
  });
});
