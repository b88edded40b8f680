import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';

/** Buffered line writer with back-pressure: memory stays flat however many lines are written. */
export class LineWriter {
  private readonly out: WriteStream;
  private buf = '';
  lines = 0;

  constructor(
    path: string,
    private readonly chunk = 1 << 16,
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(line: string): Promise<void> {
    this.buf += line + '\n';
    this.lines++;
    if (this.buf.length >= this.chunk) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf) return;
    const ok = this.out.write(this.buf);
    this.buf = '';
    if (!ok) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }

  /** Closes without caring about errors (after a failure). */
  destroy(): void {
    this.out.destroy();
  }
}
