import { ModelArtifacts, releaseArtifacts } from './artifacts';
import { buildItemIndexes } from './item-indexes';

const model = (n: number, dim = 4) =>
  ({
    dim,
    itemEmb: Float32Array.from({ length: n * dim }, (_, j) => Math.cos(j * 1.3) + (j % 5) / 4),
    ann: { status: 'EXACT', reason: 'no index built' },
    similar: { status: 'EXACT', reason: 'no index built' },
    scorer: { release: async () => undefined },
    encoder: { release: async () => undefined },
  }) as unknown as ModelArtifacts;
const logger = (lines: string[]) => ({ log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERROR ${l}`) });

describe('buildItemIndexes: both indexes with the model, under one threshold', () => {
  it('at or above ANN_MIN_ITEMS: the recommendation index before it serves, the similar-items one in the background', async () => {
    const m = model(300);
    const lines: string[] = [];
    const { similar } = await buildItemIndexes(m, 300, 'v1', logger(lines));
    expect(m.ann.status).toBe('READY');
    expect(m.similar.status).toBe('BUILDING');
    await similar;
    expect(m.similar.status).toBe('READY');
    expect(lines).toEqual([
      expect.stringMatching(/^model v1: ANN index over 300 items built in \d+ ms/),
      expect.stringMatching(/^model v1: similar-items index over 300 items built in \d+ ms/),
    ]);
  });

  it('below it: both EXACT at once, nothing logged', async () => {
    const m = model(299);
    const lines: string[] = [];
    await buildItemIndexes(m, 300, 'v1', logger(lines));
    expect([m.ann.status, m.similar.status]).toEqual(['EXACT', 'EXACT']);
    expect(lines).toEqual([]);
  });

  it('a model released while its similar-items index builds stops the build; the index is never set', async () => {
    const m = model(6_000);
    const lines: string[] = [];
    const { similar } = await buildItemIndexes(m, 0, 'v1', logger(lines));
    await releaseArtifacts(m);
    await similar;
    expect(m.similar.status).toBe('BUILDING');
    expect(m.similar.status === 'BUILDING' && m.similar.abort.signal.aborted).toBe(true);
    expect(lines).toHaveLength(1); // the ANN index's line only
  });
});
