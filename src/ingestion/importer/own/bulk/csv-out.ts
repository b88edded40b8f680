import { closeSync, openSync, writeSync } from 'node:fs';

/** Array elements in the CSV files: U+001F, which ids, tags and event types cannot hold (ID_PATTERN). */
export const ARRAY_DELIMITER = '\u001f';

/** Quotes a CSV field when it needs it; null is an empty unquoted field, which neo4j-admin leaves unset. */
export function field(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) || v === '' || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v;
}

const BLOCK_BYTES = 1 << 20;

/**
 * A file written in 1 MiB blocks: each string is encoded into the block at once, so the strings die young
 * (appending them to a pending string kept hundreds of thousands alive per file until the flush, and
 * the collector promoted and traced them). Synchronous writes: simple backpressure in the hot loop.
 */
export class BlockFile {
  private readonly fd: number;
  private readonly block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  /** `text` and a newline */
  line(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.at + 3 * text.length + 1 > BLOCK_BYTES) {
      this.flush();
      if (3 * text.length + 1 > BLOCK_BYTES) {
        writeSync(this.fd, `${text}\n`);
        return;
      }
    }
    this.at += this.block.write(text, this.at);
    this.block[this.at++] = 10;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
  private flush(): void {
    if (this.at) writeSync(this.fd, this.block, 0, this.at);
    this.at = 0;
  }
}

/** A CSV file: its header, then rows of fields already quoted (field()). */
export class CsvOut {
  private readonly file: BlockFile;
  rows = 0;
  constructor(
    readonly path: string,
    header: string | null,
  ) {
    this.file = new BlockFile(path);
    if (header !== null) this.file.line(header);
  }
  row(fields: string[]): void {
    this.line(fields.join(','));
  }
  /** a row already joined */
  line(text: string): void {
    this.file.line(text);
    this.rows++;
  }
  close(): void {
    this.file.close();
  }
}
