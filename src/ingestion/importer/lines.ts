import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Problems } from './dataset';

export interface Line {
  no: number;
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a text file as lines (LF or CRLF; a final newline is optional). UTF-8 files are decoded
 * strictly: a line with invalid bytes is reported (file:line) and skipped. Latin-1 never fails.
 */
export function readLines(folder: string, file: string, problems: Problems, encoding: 'utf8' | 'latin1' = 'utf8'): Line[] {
  const buf = readFileSync(join(folder, file));
  const out: Line[] = [];
  let start = 0;
  let no = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    no += 1;
    let stop = end;
    if (stop > start && buf[stop - 1] === 0x0d) stop -= 1;
    const slice = buf.subarray(start, stop);
    if (encoding === 'latin1') out.push({ no, text: slice.toString('latin1') });
    else {
      try {
        out.push({ no, text: utf8.decode(slice) });
      } catch {
        problems.add(file, no, 'invalid UTF-8 bytes (wrong encoding?)');
      }
    }
    start = end + 1;
  }
  return out;
}

/** Checks the header line; returns the data lines (empty when the header is wrong, after reporting it). */
export function withHeader(lines: Line[], file: string, header: string, problems: Problems): Line[] {
  if (!lines.length) {
    problems.add(file, 1, `empty file (expected header ${JSON.stringify(header)})`);
    return [];
  }
  if (lines[0].text !== header) {
    problems.add(file, lines[0].no, `expected header ${JSON.stringify(header)}, got ${JSON.stringify(lines[0].text.slice(0, 80))}`);
    return [];
  }
  return lines.slice(1);
}

/** Splits a line into exactly n columns; reports and returns null otherwise. Empty lines are reported too. */
export function columns(line: Line, file: string, sep: string, n: number, problems: Problems): string[] | null {
  if (line.text === '') {
    problems.add(file, line.no, 'empty line');
    return null;
  }
  const cols = line.text.split(sep);
  if (cols.length !== n) {
    problems.add(
      file,
      line.no,
      `expected ${n} ${sep === '\t' ? 'tab' : JSON.stringify(sep)}-separated columns, got ${cols.length} (truncated or malformed line?)`,
    );
    return null;
  }
  return cols;
}

/** A non-negative decimal integer, or null after reporting. */
export function int(text: string, what: string, line: Line, file: string, problems: Problems): number | null {
  if (!/^\d{1,15}$/.test(text)) {
    problems.add(file, line.no, `${what}: expected a non-negative integer, got ${JSON.stringify(text.slice(0, 40))}`);
    return null;
  }
  return Number(text);
}
