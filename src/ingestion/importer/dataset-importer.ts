import { resolve } from 'node:path';
import { Checkpoint, PHASES } from './checkpoint';
import { Dataset, DatasetName, InteractionRow } from './dataset';
import { DatasetCounts, ImportPhase, ImportRepository } from './import.repository';
import { detectFormat, parseDataset } from './formats/registry';

export interface ImportOptions {
  folder: string;
  /** Checked against the folder's files; detected when omitted. */
  dataset?: DatasetName;
  /** Rows per write transaction (default 10,000). */
  batchSize?: number;
  limitUsers?: number;
  /** Folder for the progress checkpoint (default var/import under the repository). */
  checkpointDir: string;
  /** Identifies the target database in the checkpoint key (an import into another instance starts over). */
  target: string;
  /** Prepended to every id (e.g. a test's unique prefix): `<idPrefix>lastfm:u2`. */
  idPrefix?: string;
  /** Write even when a completed import of the same files and options is already in the graph. */
  force?: boolean;
  /** Stops between batches (each batch in flight is committed or rolled back as a whole). */
  signal?: AbortSignal;
  /** Tests: simulate a crash once this many batches are committed (batches in flight finish; the checkpoint is kept). */
  stopAfterBatches?: number;
  onPhase?: (phase: ImportPhase, total: number, alreadyDone: number) => void;
  onProgress?: (phase: ImportPhase, rowsDone: number) => void;
}

export interface PhaseTiming {
  rows: number;
  batches: number;
  skippedBatches: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface ImportSummary {
  dataset: DatasetName;
  prefix: string;
  folder: string;
  parsed: { users: number; items: number; interactions: number; friendships: number };
  notes: string[];
  resumed: boolean;
  /** Nothing written: this import was already complete and the graph still matches it (use force to rewrite). */
  skipped: boolean;
  /** Edge kinds written with CREATE (first import of the dataset) rather than MERGE. */
  createdEdges: { interactions: boolean; friendships: boolean };
  parseSeconds: number;
  phases: Record<ImportPhase, PhaseTiming>;
  before: DatasetCounts;
  after: DatasetCounts;
  seconds: number;
}

export class ImportAbortedError extends Error {
  constructor(
    readonly batchesCommitted: number,
    readonly checkpoint: string,
  ) {
    super(`import stopped after ${batchesCommitted} committed batch(es); run it again to resume (checkpoint ${checkpoint})`);
    this.name = 'ImportAbortedError';
  }
}

/**
 * Bulk import of a dataset folder: parse and validate everything first (any bad line: nothing is
 * written), then write in batches, nodes before edges, one transaction per batch, MERGE-based so
 * reruns change nothing and a run killed midway resumes from its checkpoint.
 */
export class DatasetImporter {
  constructor(private readonly repo: ImportRepository) {}

  parse(opts: Pick<ImportOptions, 'folder' | 'dataset' | 'limitUsers' | 'idPrefix'>): Dataset {
    const folder = resolve(opts.folder);
    const name = detectFormat(folder, opts.dataset);
    const ds = parseDataset(folder, name);
    if (opts.idPrefix !== undefined && !/^[^\u0000-\u001f\u007f\s]+$/.test(opts.idPrefix)) {
      throw new Error('--id-prefix must be printable characters without spaces');
    }
    const limited = opts.limitUsers !== undefined ? limitUsers(ds, opts.limitUsers) : ds;
    return opts.idPrefix ? withIdPrefix(limited, opts.idPrefix) : limited;
  }

  async run(opts: ImportOptions): Promise<ImportSummary> {
    const t0 = performance.now();
    const batchSize = opts.batchSize ?? 10_000;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
      throw new Error(`--batch must be an integer in 1..100000, got ${batchSize}`);
    const ds = this.parse(opts);
    const parseSeconds = (performance.now() - t0) / 1000;
    await this.repo.applySchema();
    const before = await this.repo.counts(ds.prefix);
    const checkpoint = new Checkpoint(
      opts.checkpointDir,
      // The id prefix is part of the key: the same folder imported under two prefixes is two imports.
      {
        dataset: ds.name,
        folder: resolve(opts.folder),
        idPrefix: opts.idPrefix ?? '',
        limitUsers: opts.limitUsers ?? null,
        batchSize,
        target: opts.target,
      },
      resolve(opts.folder),
    );
    const resumed = checkpoint.resumed;
    const expected = expectedCounts(ds);
    if (!opts.force && !resumed && checkpoint.completedWith(before) && sameCounts(before, expected)) {
      // The same files were fully imported with the same options and the graph still holds exactly that.
      return this.summary(ds, opts, {
        resumed,
        skipped: true,
        createdEdges: { interactions: false, friendships: false },
        parseSeconds,
        phases: emptyPhases(rows(ds)),
        before,
        after: before,
        t0,
      });
    }
    // Fast path: edges of a kind the graph has none of yet (first run, no checkpoint) are CREATEd
    // instead of MERGEd. A run killed midway resumes in MERGE mode, so a batch replayed after a
    // crash between its commit and the checkpoint write still cannot duplicate edges.
    const createEdges = {
      interactions: !resumed && before.interactions === 0,
      friendships: !resumed && before.friendships === 0,
    };
    const now = Date.now();
    const all = rows(ds);
    const phases = {} as Record<ImportPhase, PhaseTiming>;
    let committed = 0;
    for (const phase of PHASES) {
      const list = all[phase];
      const bounds = batchBounds(phase, list, batchSize);
      const total = bounds.length;
      const skip = Math.min(checkpoint.done(phase), total);
      const rowsBefore = (b: number) => (b > 0 ? bounds[b - 1][1] : 0);
      opts.onPhase?.(phase, list.length, rowsBefore(skip));
      const p0 = performance.now();
      const create = phase === 'interactions' || phase === 'friendships' ? createEdges[phase] : false;
      // Batches commit out of order with two in flight: the checkpoint keeps the contiguous prefix, and a
      // resumed run (MERGE mode) replays whatever came after it.
      const ordered = new OrderedCommits(skip, (done) => {
        checkpoint.commit(phase, done);
        opts.onProgress?.(phase, bounds[done - 1][1]);
      });
      let next = skip;
      let halted = false; // aborted, or a batch failed: nothing new starts, the batch beside it finishes
      await inFlight(create || phase === 'users' || phase === 'items' ? IN_FLIGHT : 1, async () => {
        while (next < total && !halted) {
          if (opts.signal?.aborted || (opts.stopAfterBatches !== undefined && committed >= opts.stopAfterBatches)) {
            halted = true;
            return;
          }
          const b = next++;
          try {
            await this.repo.writeBatch(phase as never, list.slice(bounds[b][0], bounds[b][1]) as never, now, create);
          } catch (err) {
            halted = true;
            throw err;
          }
          committed += 1;
          ordered.done(b);
        }
      });
      if (halted) throw new ImportAbortedError(committed, checkpoint.path); // a failure has thrown above
      const seconds = (performance.now() - p0) / 1000;
      const written = list.length - rowsBefore(skip);
      phases[phase] = {
        rows: list.length,
        batches: total - skip,
        skippedBatches: skip,
        seconds,
        rowsPerSecond: seconds > 0 ? written / seconds : 0,
      };
    }
    const after = await this.repo.counts(ds.prefix);
    checkpoint.finish(after);
    return this.summary(ds, opts, { resumed, skipped: false, createdEdges: createEdges, parseSeconds, phases, before, after, t0 });
  }

  private summary(
    ds: Dataset,
    opts: ImportOptions,
    r: Pick<ImportSummary, 'resumed' | 'skipped' | 'createdEdges' | 'parseSeconds' | 'phases' | 'before' | 'after'> & { t0: number },
  ): ImportSummary {
    const { t0, ...rest } = r;
    return {
      dataset: ds.name,
      prefix: ds.prefix,
      folder: resolve(opts.folder),
      parsed: { users: ds.users.length, items: ds.items.length, interactions: ds.interactions.length, friendships: ds.friendships.length },
      notes: ds.notes,
      ...rest,
      seconds: (performance.now() - t0) / 1000,
    };
  }
}

/**
 * Write transactions in flight per phase. CREATEd edges (a first import) and nodes go two at a time:
 * one transaction keeps about one of Neo4j's cores busy, and Neo4j adds edges to dense nodes without
 * an exclusive node lock (10× rung, interactions phase: 19.1k → 30.7k/s on a fresh database, 27.1k →
 * 37.3k/s on a warm one; docs/journal/2026-12-07-import-two-in-flight.md). MERGEd edges stay one at a
 * time: MERGE locks both endpoints, so a second transaction only waits (measured: no gain).
 */
const IN_FLIGHT = 2;

/** Runs `n` copies of a worker loop; on a failure the others finish their current batch, then the first error is thrown. */
async function inFlight(n: number, worker: () => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: n }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Calls `onPrefix(k)` whenever batches [0, k) are all done, however their commits interleave. */
export class OrderedCommits {
  private readonly pending = new Set<number>();
  constructor(
    private next: number,
    private readonly onPrefix: (done: number) => void,
  ) {}

  done(batch: number): void {
    this.pending.add(batch);
    const before = this.next;
    while (this.pending.delete(this.next)) this.next++;
    if (this.next > before) this.onPrefix(this.next);
  }
}

/**
 * Rows in write order. Interactions are sorted by split, type, user, item: a batch then holds one
 * (split, type) group (sent once per batch) and the edges of few users (better locality).
 */
const rows = (ds: Dataset): Record<ImportPhase, unknown[]> => ({
  users: ds.users.map((id) => ({ id })),
  items: ds.items,
  interactions: [...ds.interactions].sort((a, b) => cmp(a.s ?? '', b.s ?? '') || cmp(a.t, b.t) || cmp(a.u, b.u) || cmp(a.i, b.i)),
  friendships: ds.friendships,
});

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** [start, end) of each batch: at most batchSize rows, interactions cut where split or type changes. */
function batchBounds(phase: ImportPhase, list: unknown[], batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const key = (k: number) => {
    const r = list[k] as InteractionRow;
    return `${r.s}\u0000${r.t}`;
  };
  let start = 0;
  while (start < list.length) {
    let end = Math.min(list.length, start + batchSize);
    if (phase === 'interactions') {
      const first = key(start);
      for (let k = start + 1; k < end; k++) {
        if (key(k) !== first) {
          end = k;
          break;
        }
      }
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

const emptyPhases = (all: Record<ImportPhase, unknown[]>) =>
  Object.fromEntries(
    PHASES.map((p) => [p, { rows: all[p].length, batches: 0, skippedBatches: 0, seconds: 0, rowsPerSecond: 0 }]),
  ) as Record<ImportPhase, PhaseTiming>;

/** The counts a complete import of this dataset leaves under its prefix (when nothing else shares the prefix). */
export function expectedCounts(ds: Dataset): DatasetCounts {
  const by = (s: string | null) => ds.interactions.filter((r) => r.s === s).length;
  return {
    users: ds.users.length,
    items: ds.items.length,
    interactions: ds.interactions.length,
    train: by('train'),
    test: by('test'),
    unsplit: by(null),
    friendships: ds.friendships.length,
  };
}

export const sameCounts = (a: DatasetCounts, b: DatasetCounts): boolean =>
  (Object.keys(a) as Array<keyof DatasetCounts>).every((k) => a[k] === b[k]);

/** Prepends a namespace to every id of the dataset (prefix included). */
export function withIdPrefix(ds: Dataset, p: string): Dataset {
  return {
    ...ds,
    prefix: p + ds.prefix,
    users: ds.users.map((id) => p + id),
    items: ds.items.map((i) => ({ ...i, id: p + i.id })),
    interactions: ds.interactions.map((r) => ({ ...r, u: p + r.u, i: p + r.i })),
    friendships: ds.friendships.map((f) => ({ lo: p + f.lo, hi: p + f.hi })),
  };
}

/** Keeps the first n users (dataset order) with their interactions, the items those touch, and friendships among them. */
export function limitUsers(ds: Dataset, n: number): Dataset {
  const users = ds.users.slice(0, n);
  const keep = new Set(users);
  const interactions = ds.interactions.filter((r) => keep.has(r.u));
  const itemIds = new Set(interactions.map((r) => r.i));
  return {
    ...ds,
    users,
    items: ds.items.filter((i) => itemIds.has(i.id)),
    interactions,
    friendships: ds.friendships.filter((f) => keep.has(f.lo) && keep.has(f.hi)),
    notes: [...ds.notes, `limited to the first ${users.length} user(s)`],
  };
}
