import { statSync } from 'node:fs';
import { join } from 'node:path';
import { EventRow, EdgeRow, ItemRow, UserRow } from '../rows';
import { EntityKind } from '../manifest';
import { AnyRow, CHUNK_ROWS, RowRefs, Validated } from '../own-importer';
import { ARRAY_DELIMITER, CsvOut, field } from './csv-out';
import { INTERACTED_HEADER, MergeTask } from './merge-partition';
import { mergePartitions } from './merge-pool';
import { pairHash, PARTITION_ROWS, Spill } from './spill';

/** What the CSV files hold: the counts the graph must show after the load. */
export interface BulkCounts {
  users: number;
  items: number;
  interactions: number;
  events: number;
  friendships: number;
  follows: number;
  chunks: number;
  /** friend/follow rows naming a user that is in no file (the transactional importer's MATCH skips them too) */
  edgesWithoutUser: number;
  /** a name or title holds a line break (neo4j-admin then needs --multiline-fields=true) */
  multiline: boolean;
  /** items written without tags (neo4j-admin leaves their empty array unset; finish() sets tags = [] on them) */
  itemsWithoutTags: number;
}

export interface BulkCsvProgress {
  /** a step starts: `total` units (partitions) */
  onStep?: (step: string, total: number) => void;
  onUnits?: (done: number) => void;
}

/** Rows a file may hold at most, for the number of spill partitions before it is read (a row has 8 bytes or more). */
const rowsAtMost = (file: string) => Math.ceil(statSync(file).size / 8);

/** Counts of a load before anything was written. */
export const emptyCounts = (): BulkCounts => ({
  users: 0,
  items: 0,
  interactions: 0,
  events: 0,
  friendships: 0,
  follows: 0,
  chunks: 0,
  edgesWithoutUser: 0,
  multiline: false,
  itemsWithoutTags: 0,
});

/**
 * Writes the neo4j-admin CSV files into `dir` from the rows of the importer's pass 1 (onGoodRow, onValidated),
 * with exactly the nodes, edges and properties the transactional importer writes (import-own-*.cypher): users
 * and items numbered as pass 1 found them (RowRefs; users and items no file gives numbered here, bare), events
 * spilled by pair hash and merged per partition on threads in finish() (spill.ts, merge-pool.ts: ~PARTITION_ROWS
 * events per thread in memory), friend/follow rows de-duplicated per partition, and one ImportChunk claim per
 * events chunk so a transactional rerun skips them.
 */
export class BulkCsvWriter {
  private readonly c: BulkCounts = emptyCounts();
  private readonly users: CsvOut;
  private readonly items: CsvOut;
  private readonly chunks: CsvOut;
  private readonly edges: CsvOut;
  private readonly friends: CsvOut;
  private readonly follows: CsvOut;
  /** node numbers of users and items no file gives (created bare from events), by id */
  private readonly bare = { users: new Map<string, number>(), items: new Map<string, number>() };
  private readonly nowS: string;
  private readonly eventSpills: Spill[] = [];
  private readonly edgeSpills: Spill[] = [];
  /** the merged INTERACTED parts, after the header file (one neo4j-admin group) */
  private readonly edgeParts: string[] = [];
  private interactions = 0;
  private spill: Spill | null = null;
  /** events of the file being read, and the chunks of the files before it */
  private k = 0;
  private chunkBase = 0;

  constructor(
    private readonly dir: string,
    now: number,
    private readonly idPrefix: string,
  ) {
    this.nowS = String(now);
    // nodes are numbered (--id-type=integer: a fifth less neo4j-admin time than string ids at 100x); `id` is a property
    this.users = new CsvOut(join(dir, 'users.csv'), ':ID(User),id,name,attributesJson,createdAt:long,updatedAt:long');
    this.items = new CsvOut(
      join(dir, 'items.csv'),
      ':ID(Item),id,title,tags:string[],attributesJson,hidden:boolean,createdAt:long,updatedAt:long',
    );
    this.chunks = new CsvOut(join(dir, 'chunks.csv'), ':ID(ImportChunk),id,at:long');
    this.edges = new CsvOut(join(dir, 'interacted.csv'), INTERACTED_HEADER);
    this.friends = new CsvOut(join(dir, 'friend.csv'), ':START_ID(User),:END_ID(User),rk:double');
    this.follows = new CsvOut(join(dir, 'follows.csv'), ':START_ID(User),:END_ID(User)');
  }

  private text(v: string | null): string {
    if (v !== null && /[\r\n]/.test(v)) this.c.multiline = true;
    return field(v);
  }

  /** A row that passed pass 1's checks, in file order (`file`: the file it is from; `refs`: its node numbers). */
  row(kind: EntityKind, file: string, r: AnyRow, refs: Readonly<RowRefs>): void {
    switch (kind) {
      case 'users': {
        const u = r as UserRow;
        if (refs.self < this.users.rows) return; // a repeat with the same fields (conflicts are bad rows)
        this.users.row([String(refs.self), field(u.id), this.text(u.name), field(u.attributesJson ?? '{}'), this.nowS, this.nowS]);
        return;
      }
      case 'items': {
        const i = r as ItemRow;
        if (refs.self < this.items.rows) return;
        const tags = (i.tags ?? []).join(ARRAY_DELIMITER) || null;
        if (tags === null) this.c.itemsWithoutTags++;
        this.items.row([
          String(refs.self),
          field(i.id),
          this.text(i.title),
          field(tags),
          field(i.attributesJson ?? '{}'),
          'false',
          this.nowS,
          this.nowS,
        ]);
        return;
      }
      case 'interactions': {
        const e = r as EventRow;
        // with a users (items) file in the load pass 1 found every event's user (item) in it: refs has its number
        const u = refs.user >= 0 ? refs.user : this.bareUser(e.u);
        const i = refs.item >= 0 ? refs.item : this.bareItem(e.i);
        if (!this.spill) this.eventSpills.push((this.spill = new Spill(this.dir, `events${this.eventSpills.length}`, rowsAtMost(file))));
        const ck = this.chunkBase + Math.floor(this.k++ / CHUNK_ROWS);
        this.spill.add(pairHash(u, i), `${u}\t${i}\t${ck}\t${e.type}\t${e.weight}\t${e.ts ?? ''}`);
        return;
      }
      case 'friendships': {
        const f = r as EdgeRow;
        // no users file: a user no event made is in no file (-1: the transactional importer's MATCH skips the edge too)
        const a = refs.a >= 0 ? refs.a : (this.bare.users.get(f.a) ?? -1);
        const b = refs.b >= 0 ? refs.b : (this.bare.users.get(f.b) ?? -1);
        if (!this.spill) this.edgeSpills.push((this.spill = new Spill(this.dir, `edges${this.edgeSpills.length}`, rowsAtMost(file))));
        this.spill.add(pairHash(a, b), `${f.kind}\t${a}\t${b}`);
      }
    }
  }

  /** A file is through pass 1: its events chunks get their claims (the tag needs the file's hash). */
  fileDone(v: Validated): void {
    this.spill?.close();
    this.spill = null;
    if (v.spec.kind !== 'interactions') return;
    const tagBase = `${this.idPrefix}${v.sha256.slice(0, 16)}:`;
    const n = Math.ceil(this.k / CHUNK_ROWS);
    for (let k = 0; k < n; k++) this.chunks.row([String(this.chunks.rows), field(`${tagBase}${k}`), this.nowS]);
    this.c.events += this.k;
    this.chunkBase += n;
    this.k = 0;
  }

  /** Merges the events per pair (merge-pool.ts, on threads) and de-duplicates the edges, partition by partition; closes the files. */
  async finish(progress: BulkCsvProgress = {}): Promise<BulkCounts> {
    try {
      const tasks: MergeTask[] = this.eventSpills.flatMap((spill, s) =>
        Array.from({ length: spill.partitions }, (_, p) => ({ input: spill.file(p), output: join(this.dir, `interacted.${s}.${p}.csv`) })),
      );
      this.edgeParts.push(...tasks.map((t) => t.output));
      progress.onStep?.('merge pairs', tasks.length);
      let done = 0;
      await mergePartitions(tasks, (rows) => {
        this.interactions += rows;
        progress.onUnits?.(++done);
      });
      for (const spill of this.edgeSpills) {
        progress.onStep?.('dedupe edges', spill.partitions);
        for (let p = 0; p < spill.partitions; p++) {
          for (const line of new Set(spill.read(p))) {
            const [kind, a, b] = line.split('\t');
            if (a === '-1' || b === '-1') this.c.edgesWithoutUser++;
            else if (kind === 'friend') this.friends.row([a, b, String(Math.random())]);
            else this.follows.row([a, b]);
          }
          progress.onUnits?.(p + 1);
        }
      }
    } finally {
      this.close();
    }
    return Object.assign(this.c, {
      users: this.users.rows,
      items: this.items.rows,
      chunks: this.chunks.rows,
      interactions: this.interactions,
      friendships: this.friends.rows,
      follows: this.follows.rows,
    });
  }

  close(): void {
    this.spill?.close();
    this.spill = null;
    for (const f of [this.users, this.items, this.chunks, this.edges, this.friends, this.follows]) f.close();
  }

  /** An event's user (item) when no users (items) file is in the load: created bare, as import-own-endpoints.cypher does. */
  private bareUser(id: string): number {
    let n = this.bare.users.get(id);
    if (n === undefined) {
      this.bare.users.set(id, (n = this.users.rows));
      this.users.row([String(n), field(id), '', '{}', this.nowS, '']);
    }
    return n;
  }

  private bareItem(id: string): number {
    let n = this.bare.items.get(id);
    if (n === undefined) {
      this.bare.items.set(id, (n = this.items.rows));
      this.c.itemsWithoutTags++;
      this.items.row([String(n), field(id), '', '', '{}', 'false', this.nowS, '']);
    }
    return n;
  }

  /** neo4j-admin database import full arguments naming the files. */
  args(): string[] {
    return [
      `--nodes=User=${this.users.path}`,
      `--nodes=Item=${this.items.path}`,
      `--nodes=ImportChunk=${this.chunks.path}`,
      `--relationships=INTERACTED=${[this.edges.path, ...this.edgeParts].join(',')}`,
      `--relationships=FRIEND=${this.friends.path}`,
      `--relationships=FOLLOWS=${this.follows.path}`,
    ];
  }
}

export { ARRAY_DELIMITER, PARTITION_ROWS };
