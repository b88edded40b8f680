import { IdIndex } from './id-index';
import { inSlices } from './slices';

describe('inSlices', () => {
  it('covers [0, n) in order, slice by slice, and lets a timer run between slices', async () => {
    const seen: string[] = [];
    const timer = new Promise<void>((resolve) => setImmediate(() => (seen.push('timer'), resolve())));
    const done = await inSlices(10, (from, to) => void seen.push(`${from}-${to}`), 4);
    await timer;
    expect(done).toBe(true);
    expect(seen).toEqual(['0-4', 'timer', '4-8', '8-10']);
  });

  it('stops at a slice returning false, and says so', async () => {
    const seen: number[] = [];
    expect(await inSlices(10, (from) => (seen.push(from), from < 4), 2)).toBe(false);
    expect(seen).toEqual([0, 2, 4]);
    expect(await inSlices(0, () => false)).toBe(true);
  });
});

describe('IdIndex', () => {
  it('gives the position of every id, undefined for others, like a Map built from the same array', async () => {
    const ids = Array.from({ length: 50_000 }, (_, k) => `synthetic:item:${k}`);
    ids.push('ünïcode 🎵', '', 'a\u0000b');
    const index = await IdIndex.of(ids);
    const map = new Map(ids.map((id, k) => [id, k]));
    expect(index.size).toBe(ids.length);
    for (const id of ids) expect(index.get(id)).toBe(map.get(id));
    for (const id of ['synthetic:item:50000', 'synthetic:item:-1', 'ünïcode', 'a']) expect(index.get(id)).toBeUndefined();
    expect(index.has('')).toBe(true);
    expect(index.has('b')).toBe(false);
  });

  it('an id repeated keeps its last position, as Map.set does', async () => {
    const index = await IdIndex.of(['a', 'b', 'a']);
    expect(index.get('a')).toBe(2);
    expect(index.get('b')).toBe(1);
  });
});
