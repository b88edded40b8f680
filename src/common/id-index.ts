import { inSlices } from './slices';

/** What readers of an id -> position index use: a Map or an IdIndex. */
export type IdLookup = Pick<ReadonlyMap<string, number>, 'get' | 'has' | 'size'>;

/**
 * id -> position in an array of ids, as an open-addressing hash table sized once. A JavaScript Map grown to
 * a catalogue of 1.76M ids rehashes every entry in one call when it doubles: 160-190 ms with the serving
 * thread held, at 1,048,576 entries (`node` on this project's 2-core machine; decision 0039). This table
 * never grows, and is filled a slice at a time. Ids are compared exactly; an id repeated keeps its last
 * position, as Map.set would.
 */
export class IdIndex {
  private constructor(
    private readonly ids: readonly string[],
    /** position + 1 of the id in each bucket, 0 = empty */
    private readonly table: Int32Array,
  ) {}

  static async of(ids: readonly string[]): Promise<IdIndex> {
    let size = 16;
    while (size < ids.length * 2) size *= 2;
    const index = new IdIndex(ids, new Int32Array(size));
    await inSlices(ids.length, (from, to) => {
      for (let k = from; k < to; k++) index.put(ids[k], k);
    });
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  get(id: string): number | undefined {
    const mask = this.table.length - 1;
    for (let b = hash(id) & mask; ; b = (b + 1) & mask) {
      const e = this.table[b];
      if (e === 0) return undefined;
      if (this.ids[e - 1] === id) return e - 1;
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  private put(id: string, k: number): void {
    const mask = this.table.length - 1;
    let b = hash(id) & mask;
    while (this.table[b] !== 0 && this.ids[this.table[b] - 1] !== id) b = (b + 1) & mask;
    this.table[b] = k + 1;
  }
}

/** FNV-1a over UTF-16 code units, with a final mix so that ids differing in their last digits spread. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
