import { annState, annSummary, augmentForMips, buildAnnIndex, momentMatrices, normBuckets } from './ann-index';

describe('augmentForMips: dot-product order as L2 order', () => {
  it('(3, 4) and (1, 0): M² = 25, so the extra coordinates are 0 and √24', () => {
    const a = augmentForMips(Float32Array.from([3, 4, 1, 0]), 2);
    expect([...a.slice(0, 3)]).toEqual([3, 4, 0]);
    expect(a[3]).toBe(1);
    expect(a[5]).toBeCloseTo(Math.sqrt(24), 5);
  });
});

describe('normBuckets: norm ranges, largest first', () => {
  it('1 200 items with norms 1..1200 in 3 ranges (at most one per 512 items, none mergeable): 1200..801, 800..401, 400..1', () => {
    const emb = Float32Array.from({ length: 1200 }, (_, i) => i + 1); // dim 1: norm = value
    const b = normBuckets(emb, 1, 8);
    expect(b.map((x) => [x.ids.length, x.maxNorm, x.ids[x.ids.length - 1] + 1])).toEqual([
      [400, 1200, 801],
      [400, 800, 401],
      [400, 400, 1],
    ]);
  });

  it('merges ranges of similar norms: 1 200 items with norms 1.000..1.199 stay one range (1.199 ≤ 1.5 × 1)', () => {
    const emb = Float32Array.from({ length: 1200 }, (_, i) => 1 + i / 6000);
    expect(normBuckets(emb, 1, 8).map((x) => x.ids.length)).toEqual([1200]);
  });
});

describe('momentMatrices', () => {
  it('items (1, 0), (0, 1), (1, 1): column sums (2, 2), Gram [[2, 1], [1, 2]]', () => {
    const m = momentMatrices(Float32Array.from([1, 0, 0, 1, 1, 1]), 2);
    expect([...m.colSum]).toEqual([2, 2]);
    expect([...m.gram]).toEqual([2, 1, 1, 2]);
  });
});

describe('buildAnnIndex (usearch)', () => {
  it('ranks by dot product, not by distance or cosine: q = (1, 0) against (1, 0), (10, 0), (0, 5), (-2, 0)', async () => {
    const index = await buildAnnIndex(Float32Array.from([1, 0, 10, 0, 0, 5, -2, 0]), 2);
    // dots 1, 10, 0, -2: nearest by L2 would be item 0 first, by cosine items 0 and 1 tie
    expect([...index.search(Float32Array.from([1, 0]), 4)]).toEqual([1, 0, 2, 3]);
    expect(index.size).toBe(4);
  });

  // 3 000 items: every range fits the first slice (one thread); 40 000: ranges of ~5 000, most added by 2 threads
  it.each([
    [3_000, 1],
    [40_000, 2],
  ])(
    'on %i seeded vectors of skewed norms, the top 20 of 200 retrieved holds ≥ 99%% of the exact top 20 (%i insertion threads)',
    async (n, threads) => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
      const dim = 16;
      // norms spread over two orders of magnitude, as trained embeddings' are (popular items far out)
      const emb = Float32Array.from(
        { length: n * dim },
        (_, j) => rnd() * (1 + 99 * (Math.floor(j / dim) % 100 === 0 ? 1 : 0) + (Math.floor(j / dim) % 7)),
      );
      const index = await buildAnnIndex(emb, dim, undefined, threads);
      const dot = (q: Float32Array, i: number) => q.reduce((s, x, d) => s + x * emb[i * dim + d], 0);
      let hits = 0;
      for (let t = 0; t < 20; t++) {
        const q = Float32Array.from({ length: dim }, rnd);
        const scores = Float64Array.from({ length: n }, (_, i) => dot(q, i));
        const exact = Array.from({ length: n }, (_, i) => i)
          .sort((a, b) => scores[b] - scores[a])
          .slice(0, 20);
        const got = [...index.search(q, 200)].sort((a, b) => scores[b] - scores[a]).slice(0, 20);
        hits += got.filter((i) => exact.includes(i)).length;
      }
      expect(hits / 400).toBeGreaterThanOrEqual(0.99);
    },
  );
});

describe('annState: exact below the threshold, FAILED (exact serving) when building throws', () => {
  const emb = new Float32Array(8);
  it('4 items below ANN_MIN_ITEMS=5 stay exact', async () => {
    expect(await annState(emb, 2, 5)).toEqual({ status: 'EXACT', reason: '4 items, below ANN_MIN_ITEMS=5' });
  });
  it('a build that throws is reported, with its reason', async () => {
    const s = await annState(emb, 2, 0, () => Promise.reject(new Error('out of memory')));
    expect(s).toEqual({ status: 'FAILED', error: 'out of memory' });
    expect(annSummary(s)).toEqual({ status: 'FAILED', error: 'out of memory' });
  });
});
