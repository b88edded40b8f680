import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EventRow, EdgeRow, ItemRow, UserRow } from '../rows';
import { CHUNK_ROWS, goodRows, OwnImportOptions, Validated } from '../own-importer';
import { addEvent, finishPair, newPair, PairEdge } from './pairs';
import { Spill } from './spill';

/** Array elements in the CSV files: U+001F, which ids, tags and event types cannot hold (ID_PATTERN). */
export const ARRAY_DELIMITER = '\u001f';

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
}

export interface BulkCsv {
  counts: BulkCounts;
  /** neo4j-admin database import full arguments naming the files (--nodes=..., --relationships=...) */
  args: string[];
  /** a name or title holds a line break (neo4j-admin then needs --multiline-fields=true) */
  multiline: boolean;
}

/** Quotes a CSV field when it needs it; null is an empty unquoted field, which neo4j-admin leaves unset. */
function field(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) || v === '' || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV file written in 1 MiB blocks (synchronous writes: simple backpressure, one file at a time in the hot loop). */
class CsvOut {
  private readonly fd: number;
  private buf = '';
  rows = 0;
  constructor(
    readonly path: string,
    header: string,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = `${header}\n`;
  }
  row(fields: string[]): void {
    this.buf += `${fields.join(',')}\n`;
    this.rows++;
    if (this.buf.length >= 1 << 20) {
      writeSync(this.fd, this.buf);
      this.buf = '';
    }
  }
  close(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    closeSync(this.fd);
  }
}

export interface BulkCsvProgress {
  /** a step starts: `total` units (bytes of a file, or partitions) */
  onStep?: (step: string, total: number) => void;
  onUnits?: (done: number) => void;
}

/**
 * Writes the neo4j-admin CSV files for the validated files into `dir`, with exactly the nodes, edges and
 * properties the transactional importer writes (import-own-*.cypher): users and items (ids kept in a Set,
 * the importer's own memory bound), events spilled by pair hash and merged one partition at a time
 * (spill.ts: about PARTITION_ROWS events in memory), friend/follow rows de-duplicated the same way, and
 * one ImportChunk claim per events chunk so a transactional rerun skips them.
 */
export async function writeBulkCsv(
  opts: OwnImportOptions,
  validated: Validated[],
  dir: string,
  now: number,
  progress: BulkCsvProgress = {},
): Promise<BulkCsv> {
  const c: BulkCounts = {
    users: 0,
    items: 0,
    interactions: 0,
    events: 0,
    friendships: 0,
    follows: 0,
    chunks: 0,
    edgesWithoutUser: 0,
    multiline: false,
  };
  let multiline = false;
  const text = (v: string | null) => {
    if (v !== null && /[\r\n]/.test(v)) multiline = true;
    return field(v);
  };
  const users = new CsvOut(join(dir, 'users.csv'), 'id:ID(User),name,attributesJson,createdAt:long,updatedAt:long');
  const items = new CsvOut(
    join(dir, 'items.csv'),
    'id:ID(Item),title,tags:string[],attributesJson,hidden:boolean,createdAt:long,updatedAt:long',
  );
  const chunks = new CsvOut(join(dir, 'chunks.csv'), 'id:ID(ImportChunk),at:long');
  const edges = new CsvOut(
    join(dir, 'interacted.csv'),
    ':START_ID(User),:END_ID(Item),count:long,weight:double,types:string[],type,firstTs:long,lastTs:long,rk:double',
  );
  const friends = new CsvOut(join(dir, 'friend.csv'), ':START_ID(User),:END_ID(User),rk:double');
  const follows = new CsvOut(join(dir, 'follows.csv'), ':START_ID(User),:END_ID(User)');
  const userIds = new Set<string>();
  const itemIds = new Set<string>();
  const nowS = String(now);
  const bareUser = (id: string) => {
    if (userIds.has(id)) return;
    userIds.add(id);
    users.row([field(id), '', '{}', nowS, '']);
  };
  const bareItem = (id: string) => {
    if (itemIds.has(id)) return;
    itemIds.add(id);
    items.row([field(id), '', '', '{}', 'false', nowS, '']);
  };
  let chunk = 0;
  try {
    for (const v of validated) {
      const good = v.rows - v.badLines.size;
      progress.onStep?.(`csv ${v.spec.kind}`, Math.max(1, good));
      let n = 0;
      const tick = () => {
        if (++n % 10_000 === 0) progress.onUnits?.(n);
      };
      switch (v.spec.kind) {
        case 'users':
          for await (const r of goodRows(v, opts) as AsyncGenerator<UserRow>) {
            tick();
            if (userIds.has(r.id)) continue; // a repeat with the same fields (conflicts are bad rows)
            userIds.add(r.id);
            users.row([field(r.id), text(r.name), field(r.attributesJson ?? '{}'), nowS, nowS]);
          }
          break;
        case 'items':
          for await (const r of goodRows(v, opts) as AsyncGenerator<ItemRow>) {
            tick();
            if (itemIds.has(r.id)) continue;
            itemIds.add(r.id);
            const tags = r.tags ?? [];
            items.row([
              field(r.id),
              text(r.title),
              field(tags.join(ARRAY_DELIMITER) || null),
              field(r.attributesJson ?? '{}'),
              'false',
              nowS,
              nowS,
            ]);
          }
          break;
        case 'interactions': {
          const spill = new Spill(dir, 'events', good);
          let k = 0;
          const tagBase = `${opts.manifest.idPrefix}${v.sha256.slice(0, 16)}:`;
          for await (const r of goodRows(v, opts) as AsyncGenerator<EventRow>) {
            tick();
            const ck = chunk + Math.floor(k / CHUNK_ROWS);
            if (k % CHUNK_ROWS === 0) chunks.row([field(`${tagBase}${k / CHUNK_ROWS}`), nowS]);
            k++;
            spill.add(`${r.u}\t${r.i}`, `${r.u}\t${r.i}\t${ck}\t${r.type}\t${r.weight}\t${r.ts ?? ''}`);
          }
          spill.close();
          c.events += k;
          chunk += Math.ceil(k / CHUNK_ROWS);
          progress.onStep?.('merge pairs', spill.partitions);
          for (let p = 0; p < spill.partitions; p++) {
            const pairs = new Map<string, PairEdge>();
            for (const line of spill.read(p)) {
              const [u, i, ck, type, w, ts] = line.split('\t');
              const key = `${u}\t${i}`;
              let pair = pairs.get(key);
              if (!pair) pairs.set(key, (pair = newPair(u, i)));
              addEvent(pair, Number(ck), type, Number(w), ts === '' ? null : Number(ts));
            }
            for (const pair of pairs.values()) {
              finishPair(pair);
              bareUser(pair.u);
              bareItem(pair.i);
              edges.row([
                field(pair.u),
                field(pair.i),
                String(pair.count),
                String(pair.weight),
                pair.types.join(ARRAY_DELIMITER),
                pair.type ?? '',
                pair.firstTs === null ? '' : String(pair.firstTs),
                pair.lastTs === null ? '' : String(pair.lastTs),
                String(Math.random()),
              ]);
            }
            progress.onUnits?.(p + 1);
          }
          break;
        }
        case 'friendships': {
          const spill = new Spill(dir, 'edges', good);
          for await (const r of goodRows(v, opts) as AsyncGenerator<EdgeRow>) {
            tick();
            spill.add(`${r.a}\t${r.b}`, `${r.kind}\t${r.a}\t${r.b}`);
          }
          spill.close();
          progress.onStep?.('dedupe edges', spill.partitions);
          for (let p = 0; p < spill.partitions; p++) {
            for (const line of new Set(spill.read(p))) {
              const [kind, a, b] = line.split('\t');
              if (!userIds.has(a) || !userIds.has(b)) {
                c.edgesWithoutUser++;
                continue;
              }
              if (kind === 'friend') friends.row([field(a), field(b), String(Math.random())]);
              else follows.row([field(a), field(b)]);
            }
            progress.onUnits?.(p + 1);
          }
        }
      }
    }
  } finally {
    for (const f of [users, items, chunks, edges, friends, follows]) f.close();
  }
  Object.assign(c, {
    users: users.rows,
    items: items.rows,
    chunks: chunks.rows,
    interactions: edges.rows,
    friendships: friends.rows,
    follows: follows.rows,
    multiline,
  });
  return {
    counts: c,
    multiline,
    args: [
      `--nodes=User=${users.path}`,
      `--nodes=Item=${items.path}`,
      `--nodes=ImportChunk=${chunks.path}`,
      `--relationships=INTERACTED=${edges.path}`,
      `--relationships=FRIEND=${friends.path}`,
      `--relationships=FOLLOWS=${follows.path}`,
    ],
  };
}
