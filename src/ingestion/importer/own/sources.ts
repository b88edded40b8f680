import { parse } from 'csv-parse';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { SourceSpec } from './manifest';

/** Limits on what one file may hold (docs/importing.md); a file over one is refused with the limit's flag. */
export interface SourceLimits {
  /** bytes, checked before reading (default 4 GiB) */
  maxFileBytes: number;
  /** data rows (default 50,000,000) */
  maxRows: number;
  /** one record or JSON line (default 1 MiB): a binary file without newlines fails fast */
  maxRecordBytes: number;
}
export const DEFAULT_LIMITS: SourceLimits = { maxFileBytes: 4 * 2 ** 30, maxRows: 50_000_000, maxRecordBytes: 2 ** 20 };

/** A data row: its 1-based line in the file and its cells by column name (only the columns the import reads). */
export interface SourceRow {
  line: number;
  cells: Record<string, unknown>;
  /** the line as read, for the rejects file */
  raw: string;
}

/** A problem that stops reading the file (wrong header, bad encoding, a limit): file and line. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** A row-level problem the reader found (too many or too few columns, a line that is not a JSON object). */
export interface RowShapeProblem {
  line: number;
  message: string;
  raw: string;
}

const bytes = (n: number) =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`;

/** The columns of `spec` the import reads: every mapped field and every attribute. */
export const wantedColumns = (spec: SourceSpec): string[] => [...new Set([...Object.values(spec.columns), ...spec.attributes])];

/**
 * Streams a file's rows with bounded memory: bytes are decoded as strict UTF-8 (a bad byte stops the
 * file with its line), CSV/TSV through csv-parse (quoted fields, BOM), JSON Lines line by line.
 * Shape problems of single rows go to `onShape` and reading goes on; `hash` gets every byte.
 */
export async function* readSource(
  spec: SourceSpec,
  required: readonly string[],
  limits: SourceLimits,
  onShape: (p: RowShapeProblem) => void,
  sink: ByteSink = createHash('sha256'),
): AsyncGenerator<SourceRow> {
  const name = basename(spec.file);
  const size = statSync(spec.file).size;
  if (size > limits.maxFileBytes)
    throw new SourceError(name, 0, `${bytes(size)} is over the ${bytes(limits.maxFileBytes)} limit per file (--max-file-bytes); split it`);
  const text = decodeUtf8(spec.file, name, sink);
  const rows = spec.format === 'jsonl' ? jsonLines(text, name, limits, onShape) : delimited(text, spec, required, name, limits, onShape);
  let count = 0;
  for await (const row of rows) {
    if (++count > limits.maxRows)
      throw new SourceError(name, row.line, `more than ${limits.maxRows.toLocaleString('en-US')} rows (--max-rows); split the file`);
    yield row;
  }
}

/** Strict UTF-8 text chunks; a bad byte sequence throws with the line it is on. */
/** Gets every byte read (a hash, a progress counter). */
export interface ByteSink {
  update(chunk: Buffer): unknown;
}

async function* decodeUtf8(file: string, name: string, hash: ByteSink): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let lines = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const at = lenient.indexOf('\uFFFD');
      const line = lines + countNewlines(lenient.slice(0, Math.max(0, at)));
      throw new SourceError(name, line, 'not UTF-8 (an invalid byte sequence); convert the file, e.g. iconv -f latin1 -t utf-8');
    }
    lines += countNewlines(text);
    yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

async function* delimited(
  text: AsyncIterable<string>,
  spec: SourceSpec,
  required: readonly string[],
  name: string,
  limits: SourceLimits,
  onShape: (p: RowShapeProblem) => void,
): AsyncGenerator<SourceRow> {
  const parser = parse({
    delimiter: spec.format === 'tsv' ? '\t' : ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: limits.maxRecordBytes,
    // TSV files rarely quote; a stray quote in a title must not swallow the rest of the file.
    quote: spec.format === 'tsv' ? false : '"',
  });
  const feed = (async () => {
    try {
      for await (const chunk of text) {
        if (parser.destroyed) return;
        // a parser that failed (bad quoting) never drains: its close ends the wait too
        if (!parser.write(chunk))
          await new Promise<void>((r) => {
            const done = () => {
              parser.off('drain', done);
              parser.off('close', done);
              r();
            };
            parser.once('drain', done);
            parser.once('close', done);
          });
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let header: string[] | null = null;
  let index: Array<[string, number]> = [];
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
      const line = rec.info.lines;
      if (!header) {
        header = rec.record.map((h) => h.trim());
        index = checkHeader(header, spec, required, name);
        continue;
      }
      const raw = rec.raw.replace(/\r?\n$/, '');
      if (rec.record.length !== header.length) {
        const more = rec.record.length > header.length;
        onShape({ line, raw, message: `${rec.record.length} columns, the header has ${header.length} (too ${more ? 'many' : 'few'})` });
        continue;
      }
      const cells: Record<string, unknown> = {};
      for (const [col, k] of index) cells[col] = rec.record[k];
      yield { line, cells, raw };
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const e = err as Error & { lines?: number; code?: string };
    throw new SourceError(
      name,
      e.lines ?? 0,
      `not valid ${spec.format.toUpperCase()}: ${e.message.replace(/^Invalid Record Length: /, '')}`,
    );
  } finally {
    if (!parser.writableEnded) parser.destroy(); // a consumer that stopped early, or a parse error: ends the feed
    await feed;
  }
  if (!header) throw new SourceError(name, 1, 'empty file: expected a header line');
}

/** The header's index of each wanted column; a missing required or explicitly mapped column is a wrong header. */
function checkHeader(header: string[], spec: SourceSpec, required: readonly string[], name: string): Array<[string, number]> {
  const missing = [...required.map((f) => spec.columns[f]), ...spec.attributes].filter((c) => !header.includes(c));
  if (missing.length) {
    const shown = header
      .slice(0, 12)
      .map((h) => JSON.stringify(h))
      .join(', ');
    throw new SourceError(
      name,
      1,
      `wrong header: no column ${[...new Set(missing)].map((c) => JSON.stringify(c)).join(', ')}; it has ${shown}${header.length > 12 ? ', ...' : ''}`,
    );
  }
  return wantedColumns(spec)
    .map((c) => [c, header.indexOf(c)] as [string, number])
    .filter(([, k]) => k >= 0);
}

async function* jsonLines(
  text: AsyncIterable<string>,
  name: string,
  limits: SourceLimits,
  onShape: (p: RowShapeProblem) => void,
): AsyncGenerator<SourceRow> {
  let carry = '';
  let line = 0;
  const one = (raw: string): SourceRow | null => {
    line++;
    const body = raw.replace(/\r$/, '');
    if (!body.trim()) return null;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      onShape({ line, raw: body, message: `not JSON: ${(err as Error).message}` });
      return null;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      onShape({ line, raw: body, message: 'not a JSON object' });
      return null;
    }
    return { line, cells: value as Record<string, unknown>, raw: body };
  };
  for await (const chunk of text) {
    carry += chunk;
    let start = 0;
    for (let nl = carry.indexOf('\n'); nl >= 0; nl = carry.indexOf('\n', start)) {
      const row = one(carry.slice(start, nl));
      start = nl + 1;
      if (row) yield row;
    }
    carry = carry.slice(start);
    if (carry.length > limits.maxRecordBytes)
      throw new SourceError(name, line + 1, `a line longer than ${limits.maxRecordBytes} bytes (--max-record-bytes)`);
  }
  if (carry) {
    const row = one(carry);
    if (row) yield row;
  }
}
