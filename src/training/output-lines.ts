/**
 * Bounded handling of the trainer's output: lines are split from the byte stream with a cap on
 * each line (readline would buffer a line without a newline whole), and the lines kept for failure
 * reports form a ring bounded in bytes and in count.
 */

/** Splits chunks into lines; a line longer than `maxLineBytes` keeps its first bytes and says how many were cut. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private cut = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      this.take(chunk.subarray(start, nl === -1 ? chunk.length : nl));
      if (nl === -1) return;
      this.emit();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.kept || this.cut) this.emit();
  }

  private take(bytes: Buffer): void {
    const room = Math.max(0, this.maxLineBytes - this.kept);
    if (room > 0 && bytes.length) {
      // a copy: holding a slice would keep the whole chunk alive
      const part = Buffer.from(bytes.subarray(0, room));
      this.parts.push(part);
      this.kept += part.length;
    }
    this.cut += Math.max(0, bytes.length - room);
  }

  private emit(): void {
    let line = Buffer.concat(this.parts, this.kept).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (this.cut) line += ` [line cut: ${this.cut} more bytes]`;
    this.parts = [];
    this.kept = 0;
    this.cut = 0;
    this.onLine(line);
  }
}

/** The last lines, at most `maxLines` of them and `maxBytes` (UTF-8) together; a longer line is cut to fit. */
export class LineTail {
  private readonly kept: Array<{ line: string; bytes: number }> = [];
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxLines: number,
  ) {}

  push(line: string): void {
    let bytes = Buffer.byteLength(line);
    if (bytes > this.maxBytes) {
      line = Buffer.from(line).subarray(0, this.maxBytes).toString('utf8');
      bytes = Buffer.byteLength(line);
    }
    this.kept.push({ line, bytes });
    this.bytes += bytes;
    while (this.kept.length > this.maxLines || this.bytes > this.maxBytes) this.bytes -= this.kept.shift()!.bytes;
  }

  get lines(): string[] {
    return this.kept.map((k) => k.line);
  }

  get size(): number {
    return this.bytes;
  }
}
