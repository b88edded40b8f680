import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toNumber } from '../../../../graph/mappers';
import { Neo4jClient } from '../../../../graph/neo4j.client';
import { goodEvents, OwnImporter, OwnImportOptions, OwnImportSummary, Validated } from '../own-importer';
import { ARRAY_DELIMITER, BulkCounts, BulkCsvWriter, emptyCounts } from './bulk-csv';
import { BulkServerError, Neo4jServerControl } from './local-neo4j';

export interface GraphCounts {
  nodes: number;
  users: number;
  items: number;
  chunks: number;
  interactions: number;
  friendships: number;
  follows: number;
}

/** The bulk load's reads over Bolt: what the database holds (count store). */
export class BulkLoadRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async counts(): Promise<GraphCounts> {
    const [r] = await this.neo4j.read('ingestion/bulk-graph-counts');
    const n = (k: keyof GraphCounts) => toNumber(r.get(k), k);
    return {
      nodes: n('nodes'),
      users: n('users'),
      items: n('items'),
      chunks: n('chunks'),
      interactions: n('interactions'),
      friendships: n('friendships'),
      follows: n('follows'),
    };
  }

  applySchema(): Promise<string[]> {
    return this.neo4j.applySchema();
  }

  /** The database was replaced: its transaction ids start again, this process's bookmarks are void. */
  forgetBookmarks(): Promise<void> {
    return this.neo4j.forgetBookmarks();
  }

  /** tags = [] on the items neo4j-admin left without (an empty array field is no property there). */
  async emptyTags(): Promise<number> {
    const [r] = await this.neo4j.autoCommit('ingestion/bulk-empty-tags', { batch: 10_000 }, this.neo4j.batchTimeoutMs);
    return toNumber(r.get('items'), 'items');
  }
}

export interface BulkLoadOptions extends OwnImportOptions {
  /** the database neo4j-admin replaces (NEO4J_DATABASE) */
  database: string;
  /** where the CSV files go (a fresh folder inside it; removed after the load unless keepFiles) */
  workDir: string;
  keepFiles?: boolean;
  /** keepFiles: where they are */
  onKept?: (dir: string) => void;
  /** a step starts (`total` units), then onUnits with the units done */
  onStep?: (step: string, total: number) => void;
  onUnits?: (done: number) => void;
}

export interface BulkLoadSummary extends OwnImportSummary {
  bulk: true;
  /** wall seconds of each step, and from start to verified counts */
  counts: BulkCounts;
  seconds: { validate: number; csv: number; offline: number; adminImport: number; schema: number; total: number };
  /** the --nodes/--relationships arguments */
  args: string[];
}

/** The database holds nodes: a bulk load would replace them, so it refuses (nothing was changed). */
export class BulkNotEmptyError extends Error {
  constructor(where: string, c: GraphCounts) {
    super(
      `refusing the bulk load: ${where} holds ${c.nodes} node(s) (${c.users} User, ${c.items} Item) and neo4j-admin database import full ` +
        'replaces the whole database. A bulk load is for a first load into an empty database; import into this one without --bulk ' +
        '(transactional, keeps what is there), or empty it yourself first. Nothing was changed.',
    );
    this.name = 'BulkNotEmptyError';
  }
}

/** After the load the graph does not hold what the CSV files held. */
export class BulkVerifyError extends Error {
  constructor(want: Partial<GraphCounts>, got: GraphCounts) {
    super(`bulk load verification failed: expected ${JSON.stringify(want)}, the database holds ${JSON.stringify(got)}`);
    this.name = 'BulkVerifyError';
  }
}

/**
 * The initial bulk load (docs/importing.md, decision 0036): the general importer's validation and bad-row
 * rules (OwnImporter.check), then neo4j-admin CSV files with the transactional importer's nodes, edges and
 * properties (bulk-csv.ts), then — only after Bolt shows an empty database — server stopped, `neo4j-admin
 * database import full --overwrite-destination`, server started, schema applied, counts verified. The
 * files' ImportChunk claims are in the load, so a transactional rerun of the same files changes nothing.
 */
export class BulkLoader {
  constructor(
    private readonly importer: OwnImporter,
    private readonly repo: BulkLoadRepository,
    /** null: prepare() and finish() only (compose runs neo4j-admin in the neo4j image) */
    private readonly server: Neo4jServerControl | null,
  ) {}

  async run(opts: BulkLoadOptions): Promise<BulkLoadSummary> {
    const server = this.server;
    if (!server) throw new BulkServerError('no Neo4j server to stop and start: use prepare() and finish()');
    const t0 = performance.now();
    await this.requireEmpty(); // before reading anything: fail fast
    mkdirSync(opts.workDir, { recursive: true });
    const dir = mkdtempSync(join(opts.workDir, 'bulk-'));
    try {
      // the server goes down while the pairs merge (after a last check that the database is still empty)
      let t2 = 0;
      let stopped = false;
      const stop = async () => {
        await this.requireEmpty();
        t2 = performance.now();
        await server.stop();
        stopped = true;
      };
      let prepared: Awaited<ReturnType<BulkLoader['prepare']>>;
      try {
        prepared = await this.prepare(opts, { dir, mountedAt: dir, reportFile: join(dir, 'import.report') }, stop);
        if (opts.dryRun) return prepared.out;
        opts.onStep?.('neo4j-admin import', 1);
        const t3 = performance.now();
        await server.admin(adminArgs(opts.database, join(dir, 'import.report'), prepared.out.counts.multiline, prepared.out.args, true));
        prepared.out.seconds.adminImport = since(t3);
      } finally {
        if (stopped) await server.start();
      }
      const { out, validated } = prepared;
      out.seconds.offline = since(t2);
      await this.finish(out.counts, out.seconds, opts);
      out.seconds.total = since(t0);
      out.writeSeconds = out.seconds.total - out.seconds.validate;
      out.eventsPerSecond = goodEvents(validated) / out.seconds.total;
      return out;
    } finally {
      if (opts.keepFiles) opts.onKept?.(dir);
      else rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Validation and the CSV files in `dir` (nothing sent to Neo4j), with `neo4j-admin.args` (one argument a
   * line, for `neo4j-admin @file`; the files named as `mountedAt` + their name) and `bulk.json` (the counts
   * finish() checks). Compose runs this alone (--bulk-prepare), neo4j-admin in the neo4j image, then finish().
   */
  async prepare(
    opts: BulkLoadOptions,
    at: { dir: string; mountedAt: string; reportFile: string },
    /** run beside the merge, once validation passed (run(): the server goes down) */
    duringMerge?: () => Promise<void>,
  ): Promise<{ out: BulkLoadSummary; validated: Validated[] }> {
    const { dir, mountedAt } = at;
    // pass 1 writes the CSV files as it validates (one parse); a bad-row stop drops them with the folder
    const writer = opts.dryRun ? null : new BulkCsvWriter(dir, Date.now(), opts.manifest.idPrefix);
    let checked;
    try {
      checked = await this.importer.check(
        writer
          ? { ...opts, onGoodRow: (spec, row, refs) => writer.row(spec.kind, spec.file, row, refs), onValidated: (v) => writer.fileDone(v) }
          : opts,
      );
    } catch (err) {
      writer?.close();
      throw err;
    }
    const { validated, summary } = checked;
    const seconds = { validate: summary.validateSeconds, csv: 0, offline: 0, adminImport: 0, schema: 0, total: 0 };
    const out: BulkLoadSummary = { ...summary, bulk: true, counts: emptyCounts(), seconds, args: [] };
    if (!writer) return { out, validated };
    const t1 = performance.now();
    // both settle before either's failure is thrown: run() must know whether the server went down
    const [merged, beside] = await Promise.allSettled([writer.finish({ onStep: opts.onStep, onUnits: opts.onUnits }), duringMerge?.()]);
    if (merged.status === 'rejected') throw merged.reason;
    if (beside.status === 'rejected') throw beside.reason;
    const c = merged.value;
    out.counts = c;
    out.args = writer.args();
    out.written = {
      users: c.users,
      items: c.items,
      edgesChanged: c.interactions,
      events: c.events,
      friendships: c.friendships,
      follows: c.follows,
    };
    const mounted = (a: string) => a.split(`${dir}/`).join(mountedAt.endsWith('/') ? mountedAt : `${mountedAt}/`);
    writeFileSync(
      join(dir, 'neo4j-admin.args'),
      `${adminArgs(opts.database, at.reportFile, c.multiline, out.args.map(mounted), false).join('\n')}\n`,
    );
    writeFileSync(join(dir, 'bulk.json'), `${JSON.stringify(c)}\n`);
    seconds.csv = since(t1);
    seconds.total = since(t1) + seconds.validate;
    return { out, validated };
  }

  /** After neo4j-admin, the server up: schema, tags = [] where missing, counts checked against the CSV files'. */
  async finish(
    c: BulkLoadSummary['counts'],
    seconds: BulkLoadSummary['seconds'],
    opts: Pick<BulkLoadOptions, 'onStep'> = {},
  ): Promise<void> {
    const t4 = performance.now();
    opts.onStep?.('schema + verify', 1);
    await this.repo.forgetBookmarks();
    await afterRestart(() => this.repo.applySchema());
    // a bulk.json from before the count was kept has none: set them
    if (c.itemsWithoutTags !== 0) await afterRestart(() => this.repo.emptyTags());
    const got = await afterRestart(() => this.repo.counts());
    const want = {
      users: c.users,
      items: c.items,
      chunks: c.chunks,
      interactions: c.interactions,
      friendships: c.friendships,
      follows: c.follows,
    };
    if (Object.entries(want).some(([k, v]) => got[k as keyof GraphCounts] !== v)) throw new BulkVerifyError(want, got);
    seconds.schema = since(t4);
  }

  private async requireEmpty(): Promise<void> {
    const c = await this.repo.counts();
    if (c.nodes > 0) throw new BulkNotEmptyError(this.server?.describe ?? 'the database', c);
  }
}

/** The driver's pooled connections died with the server: the first calls after the start may fail; retried for up to a minute. */
async function afterRestart<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

const since = (t: number) => (performance.now() - t) / 1000;

/** neo4j-admin database import full's arguments; `overwrite` only after Bolt showed an empty database. */
function adminArgs(database: string, reportFile: string, multiline: boolean, files: string[], overwrite: boolean): string[] {
  return [
    'database',
    'import',
    'full',
    database,
    ...(overwrite ? ['--overwrite-destination=true'] : []),
    '--id-type=integer',
    `--array-delimiter=U+${ARRAY_DELIMITER.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    `--multiline-fields=${multiline}`,
    '--max-off-heap-memory=2G',
    `--report-file=${reportFile}`,
    ...files,
  ];
}

export { BulkServerError };
