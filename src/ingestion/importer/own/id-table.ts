/**
 * The ids of a users or items file, each with the line of its first row and a hash of that row's fields
 * (a repeat is compared by it): one Map entry to a small integer per id, the rest in typed arrays, so
 * millions of ids add no objects for the garbage collector to trace.
 */
export class IdTable {
  private readonly index = new Map<string, number>();
  private lines: Uint32Array = new Uint32Array(1 << 12);
  private hashes: Uint32Array = new Uint32Array(1 << 12);

  /** The id's index (ids are numbered 0, 1, ... in the order added), or -1. */
  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Adds the id with its first row's fields hash and line and returns its index k; for an id already there, -1 - k. */
  addOrFind(id: string, hash: number, line: number): number {
    const k = this.index.get(id);
    if (k !== undefined) return -1 - k;
    const n = this.index.size;
    if (n === this.lines.length) {
      this.lines = grow(this.lines);
      this.hashes = grow(this.hashes);
    }
    this.index.set(id, n);
    this.lines[n] = line;
    this.hashes[n] = hash;
    return n;
  }

  hashAt(k: number): number {
    return this.hashes[k];
  }

  lineAt(k: number): number {
    return this.lines[k];
  }
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
