import { buildCosineIndex, unitRows } from './cosine-index';
import { annState, annSummary } from './ann-index';

describe('unitRows', () => {
  it('(3, 4) → (0.6, 0.8); a zero row stays zero', () => {
    expect([...unitRows(Float32Array.from([3, 4, 0, 0]), 2)].map((x) => +x.toFixed(6))).toEqual([0.6, 0.8, 0, 0]);
  });
});

describe('buildCosineIndex (usearch)', () => {
  it('ranks by cosine, not by dot product: q = (1, 0.1) against (10, 10), (1, 0), (0, 5), (-2, 0)', async () => {
    const index = await buildCosineIndex(Float32Array.from([10, 10, 1, 0, 0, 5, -2, 0]), 2);
    // dots 11, 1, 0.5, -2 (item 0 first by dot); cosines 0.78, 0.995, 0.0995, -0.995
    expect([...index.search(Float32Array.from([9, 1, 0.1]), 1, 4)]).toEqual([1, 0, 2, 3]);
    expect(index).toMatchObject({ engine: 'usearch', size: 4, dim: 2 });
    expect(index.bytes).toBeGreaterThan(4 * 2 * 4);
  });

  it('stops between slices once its signal is aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(buildCosineIndex(new Float32Array(8), 2, { signal: abort.signal })).rejects.toThrow('index build aborted');
  });

  it('is built by annState like the recommendation index, and summarised the same way on /health/ready', async () => {
    const emb = Float32Array.from({ length: 600 }, (_, j) => Math.sin(j * 0.37) + (j % 3));
    expect(await annState(emb, 6, 101, buildCosineIndex)).toEqual({ status: 'EXACT', reason: '100 items, below ANN_MIN_ITEMS=101' });
    const ready = await annState(emb, 6, 100, buildCosineIndex);
    expect(annSummary(ready)).toMatchObject({ status: 'READY', engine: 'usearch', items: 100 });
    const failed = await annState(Float32Array.from([1, 2, 3]), 2, 0, buildCosineIndex);
    expect(failed).toEqual({ status: 'FAILED', error: 'item embeddings of length 3 are not a non-empty n × 2 matrix' });
  });

  it('builds with several insertion threads at any size (usearch must grow its capacity before a concurrent add)', async () => {
    // 2,500 × 16 failed with "Reserve capacity ahead of insertions!" before the first concurrent slice was lengthened
    for (const n of [2_049, 2_500, 4_095, 6_000]) {
      const emb = Float32Array.from({ length: n * 16 }, (_, j) => Math.sin(j * 0.37 + n));
      const index = await buildCosineIndex(emb, 16, { threads: 2 });
      expect(index.size).toBe(n);
      expect(index.search(emb, 0, 1)[0]).toBe(0);
    }
  });
});
