import { ModelArtifacts } from './artifacts';
import { buildItemIndexes } from './item-indexes';

const model = (n: number, dim = 4) =>
  ({
    dim,
    itemEmb: Float32Array.from({ length: n * dim }, (_, j) => Math.cos(j * 1.3) + (j % 5) / 4),
    ann: { status: 'EXACT', reason: 'no index built' },
    similar: { status: 'EXACT', reason: 'no index built' },
  }) as unknown as ModelArtifacts;

describe('buildItemIndexes: both indexes with the model, under one threshold', () => {
  it('at or above ANN_MIN_ITEMS: the recommendation (dot product) and similar-items (cosine) indexes, each logged', async () => {
    const m = model(300);
    const lines: string[] = [];
    await buildItemIndexes(m, 300, 'v1', { log: (l) => lines.push(l), error: (l) => lines.push(`ERROR ${l}`) });
    expect(m.ann.status).toBe('READY');
    expect(m.similar.status).toBe('READY');
    expect(lines).toEqual([
      expect.stringMatching(/^model v1: ANN index over 300 items built in \d+ ms/),
      expect.stringMatching(/^model v1: similar-items index over 300 items built in \d+ ms/),
    ]);
  });

  it('below it: both EXACT, nothing logged', async () => {
    const m = model(299);
    const lines: string[] = [];
    await buildItemIndexes(m, 300, 'v1', { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    expect([m.ann.status, m.similar.status]).toEqual(['EXACT', 'EXACT']);
    expect(lines).toEqual([]);
  });
});
