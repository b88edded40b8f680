import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annSummary } from './ann-index';
import { ModelArtifacts, releaseArtifacts, writeNpyFloat32 } from './artifacts';
import { INDEX_MANIFEST, writeItemIndexes } from './index-files';
import { buildItemIndexes } from './item-indexes';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tg-item-indexes-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const model = (n: number, dim = 4) =>
  ({
    dir,
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

  it("with the worker's files: both indexes loaded before it serves, nothing built here", async () => {
    const m = model(600);
    writeNpyFloat32(join(dir, 'item_embeddings.npy'), m.itemEmb, 600, 4);
    await writeItemIndexes(dir, 300);
    const lines: string[] = [];
    await buildItemIndexes(m, 300, 'v1', logger(lines));
    expect([m.ann.status, m.similar.status]).toEqual(['READY', 'READY']);
    expect(annSummary(m.ann)).toMatchObject({ status: 'READY', builtBy: 'WORKER', items: 600, loadMs: expect.any(Number) });
    expect(lines).toEqual([
      expect.stringMatching(/^model v1: ANN index over 600 items loaded from the worker's files in \d+ ms/),
      expect.stringMatching(/^model v1: similar-items index over 600 items loaded from the worker's files in \d+ ms/),
    ]);
  });

  it('files that do not load are reported and the indexes built here', async () => {
    const m = model(600);
    writeFileSync(join(dir, INDEX_MANIFEST), JSON.stringify({ format: 1, engine: 'usearch', items: 599, dim: 4 }));
    const lines: string[] = [];
    const { similar } = await buildItemIndexes(m, 300, 'v1', logger(lines));
    await similar;
    expect(annSummary(m.ann)).toMatchObject({ status: 'READY', builtBy: 'API' });
    expect(lines[0]).toBe(
      `ERROR model v1: its index files do not load, building the indexes here: ${INDEX_MANIFEST} is for 599 × 4 items, the model has 600 × 4`,
    );
  });
});
