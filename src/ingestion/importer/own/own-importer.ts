import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, statSync, WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { Checkpoint } from '../checkpoint';
import { DatasetInvalidError, Problems } from '../dataset';
import { EntityKind, Manifest, REQUIRED, SourceSpec } from './manifest';
import { edgeRow, EdgeRow, eventRow, EventRow, itemRow, ItemRow, RowContext, userRow, UserRow } from './rows';
import { ByteSink, readSource, SourceError, SourceLimits } from './sources';
import { OwnImportRepository } from './own-import.repository';
import { aggregateChunk } from './chunks';
import { IdTable } from './id-table';

/** Valid rows per write transaction; fixed, because an events chunk's tag is its number (a rerun must find the same tags). */
export const CHUNK_ROWS = 10_000;
/** With skipBadRows, more bad rows than this stop the import anyway (the file is probably not what the manifest says). */
export const MAX_BAD_ROWS_DEFAULT = 100_000;

export interface OwnImportOptions {
  manifest: Manifest;
  ctx: RowContext;
  limits: SourceLimits;
  /** Validate everything, write nothing. */
  dryRun?: boolean;
  /** Import the good rows and write the bad ones, with their reason, to `rejectsDir` (default: any bad row writes nothing). */
  skipBadRows?: boolean;
  maxBadRows?: number;
  rejectsDir: string;
  checkpointDir: string;
  /** Identifies the target database in the checkpoint key. */
  target: string;
  signal?: AbortSignal;
  /** Tests: stop after this many committed chunks (the checkpoint is kept). */
  stopAfterChunks?: number;
  /** A file starts being read (its size in bytes), then `onBytes` with the bytes read so far. */
  onFile?: (kind: EntityKind, pass: 'validate' | 'write', file: string, bytes: number) => void;
  onBytes?: (bytesRead: number) => void;
  /**
   * Pass 1 hands over each row that passed every check, in file order, then the file (its hash, its bad
   * lines): the bulk load writes its CSV files in this pass (bulk/bulk-csv.ts) and drops them when the
   * bad-row rule stops the import.
   */
  onGoodRow?: (spec: SourceSpec, row: AnyRow, refs: Readonly<RowRefs>) => void;
  onValidated?: (v: Validated) => void;
}

export interface OwnImportSummary {
  dryRun: boolean;
  files: Array<{ kind: EntityKind; file: string; sha256: string; rows: number; bad: number; duplicates: number }>;
  badRows: number;
  rejects: string[];
  written: { users: number; items: number; edgesChanged: number; events: number; friendships: number; follows: number };
  resumedChunks: number;
  validateSeconds: number;
  writeSeconds: number;
  /** write seconds per kind of file (users, items, interactions, friendships) */
  writePhaseSeconds: Partial<Record<EntityKind, number>>;
  eventsPerSecond: number;
}

/**
 * Where pass 1 found a good row's ids (indexes in the order the users and items files first give them;
 * -1 where no such file is imported): `self` for a users or items row, `user` and `item` for an event,
 * `a` and `b` for a friend or follow row. The bulk load numbers its nodes by them.
 */
export interface RowRefs {
  self: number;
  user: number;
  item: number;
  a: number;
  b: number;
}

export interface Validated {
  spec: SourceSpec;
  sha256: string;
  rows: number;
  badLines: Set<number>;
  duplicates: number;
}

export type AnyRow = UserRow | ItemRow | EventRow | EdgeRow;
const CHECK = { users: userRow, items: itemRow, interactions: eventRow, friendships: edgeRow } as const;

/** A 32-bit FNV-1a of a row's fields: duplicate ids are compared by it (the first line is kept for the message). */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/**
 * The general importer (docs/importing.md): a validation pass over every file (nothing written; bad
 * rows reported by file and line), then, unless a dry run or bad rows without skipBadRows, a write
 * pass in chunks of CHUNK_ROWS, one transaction each, users and items before events and edges.
 * Memory is bounded by the ids (kept to check references and conflicting duplicates), never by rows.
 */
export class OwnImporter {
  constructor(private readonly repo: OwnImportRepository) {}

  async run(opts: OwnImportOptions): Promise<OwnImportSummary> {
    const { validated, summary } = await this.check(opts);
    if (opts.dryRun) return summary;
    const t1 = performance.now();
    await this.repo.applySchema();
    await this.write(opts, validated, summary);
    summary.writeSeconds = (performance.now() - t1) / 1000;
    summary.eventsPerSecond = summary.writeSeconds > 0 ? goodEvents(validated) / summary.writeSeconds : 0;
    return summary;
  }

  /**
   * Pass 1 and the bad-row rule, shared with the bulk load (bulk/bulk-loader.ts): throws DatasetInvalidError
   * when nothing may be written; else the files as validated and the summary so far (nothing written).
   */
  async check(opts: OwnImportOptions): Promise<{ validated: Validated[]; summary: OwnImportSummary }> {
    const t0 = performance.now();
    const problems = new Problems();
    const rejects = new Rejects(opts.rejectsDir, opts.skipBadRows === true);
    const validated = await this.validate(opts, problems, rejects);
    const validateSeconds = (performance.now() - t0) / 1000;
    await rejects.close();
    const maxBad = opts.maxBadRows ?? MAX_BAD_ROWS_DEFAULT;
    // An unreadable file (wrong header, bad encoding, a limit) is never skipped; bad rows are with skipBadRows, up to maxBad.
    const unreadable = validated.some((v) => v.rows < 0);
    if (problems.total && (unreadable || !opts.skipBadRows || problems.total > maxBad))
      throw new DatasetInvalidError(problems.shown, problems.total);
    const summary: OwnImportSummary = {
      dryRun: opts.dryRun === true,
      files: validated.map((v) => ({
        kind: v.spec.kind,
        file: v.spec.file,
        sha256: v.sha256,
        rows: v.rows,
        bad: v.badLines.size,
        duplicates: v.duplicates,
      })),
      badRows: problems.total,
      rejects: rejects.paths,
      written: { users: 0, items: 0, edgesChanged: 0, events: 0, friendships: 0, follows: 0 },
      resumedChunks: 0,
      validateSeconds,
      writeSeconds: 0,
      writePhaseSeconds: {},
      eventsPerSecond: 0,
    };
    return { validated, summary };
  }

  /** Pass 1: every row of every file, in kind order (users and items first: events and edges are checked against them). */
  private async validate(opts: OwnImportOptions, problems: Problems, rejects: Rejects): Promise<Validated[]> {
    const out: Validated[] = [];
    const ids: Partial<Record<'users' | 'items', IdTable>> = {};
    for (const spec of opts.manifest.sources) {
      const name = basename(spec.file);
      const seen = spec.kind === 'users' || spec.kind === 'items' ? (ids[spec.kind] = new IdTable()) : null;
      const refs: RowRefs = { self: -1, user: -1, item: -1, a: -1, b: -1 };
      const references = referenceCheck(ids, opts.manifest, refs);
      const v: Validated = { spec, sha256: '', rows: 0, badLines: new Set(), duplicates: 0 };
      const bad = (line: number, message: string, raw: string) => {
        problems.add(name, line, message);
        v.badLines.add(line);
        rejects.add(spec, line, message, raw);
      };
      const hash = createHash('sha256');
      opts.onFile?.(spec.kind, 'validate', spec.file, statSync(spec.file).size);
      try {
        const sink = progressSink(opts.onBytes, hash);
        for await (const batch of readSource(spec, REQUIRED[spec.kind], opts.limits, (p) => bad(p.line, p.message, p.raw), sink)) {
          v.rows += batch.length;
          for (const r of batch) {
            const checked = CHECK[spec.kind](r.cells, spec, opts.ctx);
            if ('error' in checked) {
              bad(r.line, checked.error, r.raw);
              continue;
            }
            const problem = seen ? duplicate(seen, checked.row as UserRow | ItemRow, r.line, v, refs) : references(checked.row);
            if (problem) bad(r.line, problem, r.raw);
            else opts.onGoodRow?.(spec, checked.row, refs);
          }
        }
      } catch (err) {
        if (!(err instanceof SourceError)) throw err;
        problems.add(err.file, err.line, err.message);
        v.rows = -1; // the file could not be read through: nothing of it is importable
      }
      v.sha256 = hash.digest('hex');
      out.push(v);
      opts.onValidated?.(v);
    }
    return out;
  }

  /** Pass 2: the good rows in chunks; events aggregated per (user, item) within their chunk. */
  private async write(opts: OwnImportOptions, validated: Validated[], summary: OwnImportSummary): Promise<void> {
    const checkpoint = new Checkpoint(
      opts.checkpointDir,
      { dataset: 'own', idPrefix: opts.manifest.idPrefix, target: opts.target, chunk: CHUNK_ROWS },
      '',
      validated.map((v) => `${v.spec.kind}:${v.sha256}`).join('|'),
    );
    const now = Date.now();
    let committed = 0;
    for (const v of validated) {
      const phase = v.spec.kind;
      const started = performance.now();
      const skip = checkpoint.done(phase);
      summary.resumedChunks += skip;
      opts.onFile?.(phase, 'write', v.spec.file, statSync(v.spec.file).size);
      let chunk: AnyRow[] = [];
      let n = 0;
      const flush = async () => {
        if (!chunk.length) return;
        if (n >= skip) {
          if (opts.signal?.aborted || (opts.stopAfterChunks !== undefined && committed >= opts.stopAfterChunks))
            throw new OwnImportAbortedError(committed, checkpoint.path);
          await this.writeChunk(phase, chunk, `${opts.manifest.idPrefix}${v.sha256.slice(0, 16)}:${n}`, now, summary);
          checkpoint.commit(phase, n + 1);
          committed++;
        }
        n++;
        chunk = [];
      };
      for await (const row of goodRows(v, opts)) {
        chunk.push(row);
        if (chunk.length === CHUNK_ROWS) await flush();
      }
      await flush();
      summary.writePhaseSeconds[phase] = +((summary.writePhaseSeconds[phase] ?? 0) + (performance.now() - started) / 1000).toFixed(3);
    }
    checkpoint.finish(summary.written);
  }

  private async writeChunk(phase: EntityKind, rows: AnyRow[], tag: string, now: number, s: OwnImportSummary): Promise<void> {
    switch (phase) {
      case 'users':
        s.written.users += await this.repo.users(rows as UserRow[], now);
        return;
      case 'items':
        s.written.items += await this.repo.items(rows as ItemRow[], now);
        return;
      case 'interactions': {
        const chunk = aggregateChunk(rows as EventRow[]);
        const applied = await this.repo.events(chunk, tag, now);
        s.written.edgesChanged += applied;
        if (applied) s.written.events += rows.length;
        return;
      }
      case 'friendships': {
        const edges = rows as EdgeRow[];
        s.written.friendships += await this.repo.edges(
          'friend',
          edges.filter((e) => e.kind === 'friend'),
        );
        s.written.follows += await this.repo.edges(
          'follow',
          edges.filter((e) => e.kind === 'follow'),
        );
      }
    }
  }
}

export class OwnImportAbortedError extends Error {
  constructor(
    readonly chunksCommitted: number,
    readonly checkpoint: string,
  ) {
    super(`import stopped after ${chunksCommitted} committed chunk(s); run it again to resume (checkpoint ${checkpoint})`);
    this.name = 'OwnImportAbortedError';
  }
}

/** Pass 2's rows of one validated file: the good ones, checked again, in file order. */
export async function* goodRows(v: Validated, opts: OwnImportOptions): AsyncGenerator<AnyRow> {
  const kind = v.spec.kind;
  for await (const batch of readSource(v.spec, REQUIRED[kind], opts.limits, () => undefined, progressSink(opts.onBytes))) {
    for (const r of batch) {
      if (v.badLines.has(r.line)) continue;
      const checked = CHECK[kind](r.cells, v.spec, opts.ctx);
      if ('error' in checked) continue; // counted in pass 1
      yield checked.row;
    }
  }
}

/** Good event rows of the validated files (the rate's numerator). */
export const goodEvents = (validated: Validated[]): number =>
  validated.filter((v) => v.spec.kind === 'interactions').reduce((n, v) => n + v.rows - v.badLines.size, 0);

/** Counts the bytes read for the progress bar, and passes them on (to the content hash in pass 1). */
function progressSink(onBytes: ((n: number) => void) | undefined, next?: ByteSink): ByteSink {
  let read = 0;
  return {
    update(chunk: Buffer) {
      next?.update(chunk);
      read += chunk.length;
      onBytes?.(read);
    },
  };
}

/** A repeated user or item id: the same fields again are merged; other fields are a conflict. Sets refs.self. */
function duplicate(seen: IdTable, row: UserRow | ItemRow, line: number, v: Validated, refs: RowRefs): string | null {
  const { id, ...fields } = row;
  const h = fnv(JSON.stringify(fields));
  const k = seen.addOrFind(id, h, line);
  if (k >= 0) {
    refs.self = k;
    return null;
  }
  const first = -1 - k;
  if (seen.hashAt(first) === h) {
    v.duplicates++;
    refs.self = first;
    return null;
  }
  return `duplicate id ${JSON.stringify(id)} with conflicting fields (first at line ${seen.lineAt(first)})`;
}

/**
 * Events and edges name users and items of the users/items files when those are imported too; their indexes
 * go to `refs`. The last event's user, once found, is not looked up again (exports group events by user; a
 * lookup in a table of millions of ids costs about a microsecond here, mostly memory latency).
 */
function referenceCheck(ids: Partial<Record<'users' | 'items', IdTable>>, m: Manifest, refs: RowRefs): (row: AnyRow) => string | null {
  const { users, items } = ids;
  const name = (k: EntityKind) => basename(m.sources.find((s) => s.kind === k)!.file);
  const unknown = (what: 'user' | 'item', id: string) =>
    `unknown ${what} id ${JSON.stringify(id)} (not in ${name(what === 'user' ? 'users' : 'items')})`;
  let lastUser: string | null = null;
  return (row) => {
    if ('u' in row) {
      if (users && row.u !== lastUser) {
        refs.user = users.indexOf(row.u);
        if (refs.user < 0) {
          lastUser = null;
          return unknown('user', row.u);
        }
        lastUser = row.u;
      }
      if (items && (refs.item = items.indexOf(row.i)) < 0) return unknown('item', row.i);
    } else if ('a' in row && users) {
      if ((refs.a = users.indexOf(row.a)) < 0) return unknown('user', row.a);
      if ((refs.b = users.indexOf(row.b)) < 0) return unknown('user', row.b);
    }
    return null;
  };
}

/** With skipBadRows, one `<file>.rejects.csv` per file with bad rows: line, reason, the row as read. */
class Rejects {
  readonly paths: string[] = [];
  private readonly streams = new Map<string, WriteStream>();
  constructor(
    private readonly dir: string,
    private readonly on: boolean,
  ) {}

  add(spec: SourceSpec, line: number, reason: string, raw: string): void {
    if (!this.on) return;
    let out = this.streams.get(spec.file);
    if (!out) {
      mkdirSync(this.dir, { recursive: true });
      const path = join(this.dir, `${basename(spec.file)}.rejects.csv`);
      out = createWriteStream(path);
      out.write('line,reason,row\n');
      this.streams.set(spec.file, out);
      this.paths.push(path);
    }
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    out.write(`${line},${q(reason)},${q(raw)}\n`);
  }

  close(): Promise<void> {
    return Promise.all([...this.streams.values()].map((s) => new Promise<void>((r) => s.end(r)))).then(() => undefined);
  }
}
