import { cosine, minMax, rowNorms, tagStats, tagVector, topK, weightedMean } from './scoring';

describe('topK', () => {
  it('returns the n best indices, best first, ties by lower index, skipping -Infinity and NaN', () => {
    const s = [0.1, 0.9, -Infinity, 0.5, 0.9, NaN, 0.3];
    expect(topK(s, 3)).toEqual([1, 4, 3]);
    expect(topK(s, 10)).toEqual([1, 4, 3, 6, 0]);
    expect(topK(s, 0)).toEqual([]);
  });

  it('agrees with a full sort on random scores', () => {
    const s = Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const full = s.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
    expect(topK(s, 50)).toEqual(full.slice(0, 50));
  });
});

describe('vectors', () => {
  const dim = 2;
  const emb = Float32Array.from([1, 0, 0, 1, 1, 1, 3, 0]); // items 0..3
  const norms = rowNorms(emb, dim);

  it('cosine and norms', () => {
    expect(norms[2]).toBeCloseTo(Math.SQRT2);
    expect(cosine(emb, 0, norms[0], emb, 6, norms[3], dim)).toBeCloseTo(1);
    expect(cosine(emb, 0, norms[0], emb, 2, norms[1], dim)).toBeCloseTo(0);
  });

  it('weightedMean ignores non-positive weights and returns null without any', () => {
    expect(Array.from(weightedMean(emb, dim, [0, 1], [3, 1])!)).toEqual([0.75, 0.25]);
    expect(weightedMean(emb, dim, [0], [0])).toBeNull();
  });

  it('tagVector: mean of the items sharing the tags, rescaled to their mean norm', () => {
    const stats = tagStats(emb, dim, [['a'], ['b'], ['a', 'b'], ['c']], norms);
    const v = tagVector(['a'], stats, dim)!; // items 0 and 2: mean (1, 0.5), mean norm (1 + √2) / 2
    expect(v[0] / v[1]).toBeCloseTo(2);
    expect(Math.hypot(v[0], v[1])).toBeCloseTo((1 + Math.SQRT2) / 2);
    expect(tagVector(['zzz'], stats, dim)).toBeNull();
    const c = tagVector(['c', 'zzz'], stats, dim)!;
    expect(Array.from(c)).toEqual([3, 0]);
  });

  it('minMax scales finite values to [0, 1]', () => {
    expect(Array.from(minMax(Float64Array.from([2, 4, -Infinity, 3])))).toEqual([0, 1, 0, 0.5]);
    expect(Array.from(minMax(Float64Array.from([5, 5])))).toEqual([0, 0]);
  });
});
