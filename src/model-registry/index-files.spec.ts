import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAnnIndex } from './ann-index';
import { writeNpyFloat32 } from './artifacts';
import { buildCosineIndex } from './cosine-index';
import { INDEX_MANIFEST, readItemIndexes, writeItemIndexes } from './index-files';

const DIM = 8;
const N = 2_000;
// norms from 0.5 to ~6, as trained embeddings' spread: several norm ranges
const emb = Float32Array.from({ length: N * DIM }, (_, j) => Math.sin(j * 0.731) * (0.5 + (Math.floor(j / DIM) % 11) / 2));
const queries = Array.from({ length: 25 }, (_, q) => Float32Array.from({ length: DIM }, (_, d) => Math.cos(q * 1.7 + d)));

describe('item indexes built by the worker and loaded by a replica', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tg-index-files-'));
    writeNpyFloat32(join(dir, 'item_embeddings.npy'), emb, N, DIM);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a manifest and one file per graph; the loaded indexes answer exactly as the ones built in process', async () => {
    const w = await writeItemIndexes(dir, 1_000, { threads: 1 }); // one thread: the same graphs as a build in process
    expect(w.files[0]).toBe(INDEX_MANIFEST);
    expect(w.files).toEqual(expect.arrayContaining(['similar.usearch', 'ann-0.usearch']));
    expect(w.files.length).toBeGreaterThan(3); // several norm ranges
    expect(readdirSync(dir).sort()).toEqual(['item_embeddings.npy', ...w.files].sort());
    const loaded = (await readItemIndexes(dir, emb, DIM))!;
    const [ann, cos] = [await buildAnnIndex(emb, DIM), await buildCosineIndex(emb, DIM)];
    expect(loaded.ann!.size).toBe(N);
    expect(loaded.ann!.graphs.map((g) => g.maxNorm)).toEqual(ann.graphs.map((g) => g.maxNorm));
    expect([...loaded.ann!.colSum]).toEqual([...ann.colSum]);
    expect([...loaded.ann!.gram]).toEqual([...ann.gram]);
    for (const q of queries) {
      expect([...loaded.ann!.search(q, 40)]).toEqual([...ann.search(q, 40)]);
      expect([...loaded.similar!.search(q, 0, 20)]).toEqual([...cos.search(q, 0, 20)]);
    }
  });

  it('below ANN_MIN_ITEMS writes nothing, and a folder without a manifest reads as null', async () => {
    expect(await writeItemIndexes(dir, N + 1)).toMatchObject({ files: [], items: N });
    expect(existsSync(join(dir, INDEX_MANIFEST))).toBe(false);
    expect(await readItemIndexes(dir, emb, DIM)).toBeNull();
  });

  it('a graph over the size limit is left out (each replica builds that index); the rest is shipped', async () => {
    const w = await writeItemIndexes(dir, 0, { maxFileBytes: 300_000 }); // the similar graph of 2 000 × 8 is ~1 MB, the norm ranges' ~100 kB each
    expect(w.leftOut).toEqual(['similar.usearch']);
    expect(w.files).not.toContain('similar.usearch');
    expect(existsSync(join(dir, 'similar.usearch'))).toBe(false);
    const loaded = (await readItemIndexes(dir, emb, DIM))!;
    expect(loaded.similar).toBeNull();
    expect(loaded.ann!.size).toBe(N);
  });

  it('files for other embeddings, a missing graph, a name outside the folder: refused with the reason, not served', async () => {
    await writeItemIndexes(dir, 0);
    await expect(readItemIndexes(dir, emb.subarray(0, (N - 1) * DIM), DIM)).rejects.toThrow(
      `${INDEX_MANIFEST} is for ${N} × ${DIM} items, the model has ${N - 1} × ${DIM}`,
    );
    const manifest = JSON.parse(readFileSync(join(dir, INDEX_MANIFEST), 'utf8'));
    writeFileSync(join(dir, INDEX_MANIFEST), JSON.stringify({ ...manifest, similar: { ...manifest.similar, file: '../similar.usearch' } }));
    await expect(readItemIndexes(dir, emb, DIM)).rejects.toThrow(`${INDEX_MANIFEST} names "../similar.usearch", not a plain file name`);
    rmSync(join(dir, 'ann-0.usearch'));
    await expect(readItemIndexes(dir, emb, DIM)).rejects.toThrow(/No such file/);
  });
});
