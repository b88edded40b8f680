import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BlockFile } from './csv-out';

/** Events (or edges) per spill partition: the reduce step holds one partition's pairs in memory at a time. */
export const PARTITION_ROWS = 500_000;

/** A hash of two node numbers (a pair's partition: all of a pair's rows land in the same one). */
export function pairHash(a: number, b: number): number {
  return (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Hash-partitioned spill files: rows go to `ceil(rows / PARTITION_ROWS)` files by the hash of their key,
 * in arrival order; `read(k)` gives one partition's lines (file order kept), so a reduce over the partitions
 * one by one needs memory for one partition (~PARTITION_ROWS rows), not for the whole input.
 */
export class Spill {
  readonly partitions: number;
  private readonly files: BlockFile[];

  constructor(
    private readonly dir: string,
    private readonly name: string,
    expectedRows: number,
  ) {
    this.partitions = Math.max(1, Math.ceil(expectedRows / PARTITION_ROWS));
    this.files = Array.from({ length: this.partitions }, (_, k) => new BlockFile(this.file(k)));
  }

  /** Partition k's file (after close(); a reader other than read() deletes it). */
  file(k: number): string {
    return join(this.dir, `${this.name}.${k}.spill`);
  }

  /** `line` holds no newline; `hash` (a non-negative integer, pairHash) picks the partition. */
  add(hash: number, line: string): void {
    this.files[hash % this.partitions].line(line);
  }

  /** Flushes and closes the files; then read() each partition once. */
  close(): void {
    for (const f of this.files) f.close();
  }

  /** One partition's lines in the order they were added; its file is deleted after reading. */
  read(k: number): string[] {
    return readPartition(this.file(k));
  }
}

/** A partition file's lines in the order they were added (a merge thread reads its own); the file is deleted. */
export function readPartition(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  unlinkSync(path);
  const lines = text.split('\n');
  lines.pop();
  return lines;
}
