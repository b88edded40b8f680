import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNpyFloat32, readIdTsv, readNpyFloat32, writeNpyFloat32 } from './artifacts';
import { SLICE } from '../common/slices';

describe('artefact readers', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'artifacts-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('readIdTsv: ids in index order and one column, over more rows than a slice, with or without a last newline', async () => {
    const n = SLICE * 2 + 5;
    const rows = Array.from({ length: n }, (_, i) => `${i}\titem-${i}\t0${i % 3 ? `\tt${i % 3}|x` : ''}`);
    for (const tail of ['\n', '']) {
      const path = join(dir, `items${tail.length}.tsv`);
      writeFileSync(path, `index\tid\thidden\ttags\n${rows.join('\n')}${tail}`);
      const { ids, column } = await readIdTsv(path, 3);
      expect(ids).toHaveLength(n);
      expect(ids[0]).toBe('item-0');
      expect(ids[n - 1]).toBe(`item-${n - 1}`);
      expect(column.slice(0, 3)).toEqual(['', 't1|x', 't2|x']);
      expect(column).toHaveLength(n);
    }
    writeFileSync(join(dir, 'header.tsv'), 'index\tid\n');
    expect(await readIdTsv(join(dir, 'header.tsv'))).toEqual({ ids: [], column: [] });
  });

  it('readIdTsv: a row out of order names its line', async () => {
    writeFileSync(join(dir, 'users.tsv'), 'index\tid\n0\ta\n2\tb\n');
    await expect(readIdTsv(join(dir, 'users.tsv'))).rejects.toThrow(/users\.tsv: row 3 has index 2, expected 1/);
  });

  it('loadNpyFloat32 reads what readNpyFloat32 reads, and refuses a truncated file or another format', async () => {
    const rows = 1000;
    const cols = 7; // an odd row size: the data is not 8-byte aligned in the file
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i));
    const path = join(dir, 'emb.npy');
    writeNpyFloat32(path, data, rows, cols);
    const loaded = await loadNpyFloat32(path);
    expect(loaded.rows).toBe(rows);
    expect(loaded.cols).toBe(cols);
    expect(loaded.data).toEqual(readNpyFloat32(path).data);
    expect(loaded.data).toEqual(data);

    truncateSync(path, 128 + 4 * cols);
    await expect(loadNpyFloat32(path)).rejects.toThrow(/emb\.npy is truncated/);
    writeFileSync(path, 'index\tid\n');
    await expect(loadNpyFloat32(path)).rejects.toThrow(/emb\.npy is not a \.npy file/);
  });
});
