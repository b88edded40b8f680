import { addFriendsPicks, cosine, minMax, rowNorms, tagStats, tagVector, topK, weightedMean } from './scoring';

describe('topK', () => {
  it('returns the n best indices, best first, ties by lower index, skipping -Infinity and NaN', () => {
    const s = [0.1, 0.9, -Infinity, 0.5, 0.9, NaN, 0.3];
    expect(topK(s, 3)).toEqual([1, 4, 3]);
    expect(topK(s, 10)).toEqual([1, 4, 3, 6, 0]);
    expect(topK(s, 0)).toEqual([]);
  });

  it('agrees with a full sort on random scores', () => {
    const s = Array.from({ length: 2000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const full = s
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .map(([, i]) => i);
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

describe("addFriendsPicks: the trainer's z(s) + β·z(log(1 + friends' count)) on the model's scale", () => {
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  };

  it('moves only items friends touched, by β·σ_s/σ_c·log(1 + count); unplaceable slots stay out of it', () => {
    const model = [0.5, 0.2, 0.1, -0.3, -Infinity];
    const counts = [0, 2, 1, 0, 3];
    const scores = Float64Array.from(model);
    addFriendsPicks(scores, counts, 0.5);
    const finite = [0, 1, 2, 3];
    const w = (0.5 * sd(finite.map((k) => model[k]))) / sd(finite.map((k) => Math.log1p(counts[k])));
    expect(scores[0]).toBe(0.5);
    expect(scores[3]).toBe(-0.3);
    expect(scores[1]).toBeCloseTo(0.2 + w * Math.log(3), 12);
    expect(scores[2]).toBeCloseTo(0.1 + w * Math.log(2), 12);
    expect(scores[4]).toBe(-Infinity);
  });

  it('ranks exactly as the standardised blend does', () => {
    const model = Array.from({ length: 50 }, (_, i) => Math.sin(i * 7.1));
    const counts = Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? 3 : i % 5 === 0 ? 1 : 0));
    const z = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.map((x) => (x - m) / sd(xs));
    };
    const lc = counts.map((c) => Math.log1p(c));
    const zs = z(model);
    const zc = z(lc);
    const blended = zs.map((v, k) => v + 0.3 * zc[k]);
    const scores = Float64Array.from(model);
    addFriendsPicks(scores, counts, 0.3);
    expect(topK(scores, 50)).toEqual(topK(blended, 50));
  });

  it('β = 0, no friend item, or a flat model leaves the scores alone', () => {
    for (const [model, counts, beta] of [
      [[0.3, 0.1], [1, 0], 0],
      [[0.3, 0.1], [0, 0], 1],
      [[0.2, 0.2], [1, 0], 1],
    ] as const) {
      const scores = Float64Array.from(model);
      addFriendsPicks(scores, counts, beta);
      expect([...scores]).toEqual([...model]);
    }
  });
});
