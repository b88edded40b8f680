import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { eventWeightsJson, parseEventWeights } from '../ingestion/event-weights';
import { LineWriter } from './line-writer';
import { SamplingService, WalkRequest } from './sampling.service';
import { SnapshotRepository, SnapshotStreams } from './snapshot.repository';

export const SNAPSHOT_FORMAT = 'tastegraph-snapshot/1';

export interface SnapshotOptions {
  /** Only users and items whose id starts with this (e.g. `lastfm:`); default: the whole graph. */
  idPrefix?: string | null;
  /** Also write pinsage.csv (PinSage neighbourhoods of every item): true for the defaults or the walk settings. */
  pinsage?: boolean | WalkRequest;
  /** Read-transaction timeout (default: NEO4J_BATCH_TX_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface SnapshotCounts {
  users: number;
  items: number;
  interactions: number;
  friendships: number;
}

export interface SnapshotResult {
  dir: string;
  counts: SnapshotCounts;
  splits: { train: number; test: number; none: number };
  pinsageRows: number | null;
  elapsedMs: number;
}

/** A number as the trainer reads it (shortest round-trip form); empty for null. */
const num = (v: number | null): string => (v === null || Number.isNaN(v) ? '' : String(v));

/** A tag as items.tsv can hold it: no tab, newline or other control character, no `|` (the separator). */
export const cleanTag = (tag: string): string =>
  tag
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\|/g, '/')
    .trim();

/**
 * Exports the graph for the trainer (folder contract in docs/sampling.md and models/): users,
 * items, interactions and friendships from one consistent read transaction, streamed to files;
 * only the id -> index maps are held in memory. meta.json is written last, so a folder without it
 * is an unfinished export.
 */
@Injectable()
export class SnapshotService {
  private readonly logger = new Logger(SnapshotService.name);

  constructor(
    private readonly repo: SnapshotRepository,
    private readonly sampling: SamplingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async exportSnapshot(dir: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
    const t0 = Date.now();
    const prefix = opts.idPrefix ?? '';
    await mkdir(dir, { recursive: true });
    await rm(join(dir, 'meta.json'), { force: true });

    const graph = await this.repo.read(prefix, (streams) => this.writeGraph(dir, streams), opts.timeoutMs);

    let pinsageRows: number | null = null;
    if (opts.pinsage) {
      pinsageRows = await this.writePinsage(dir, graph.itemIds, graph.itemIndex, opts.pinsage === true ? {} : opts.pinsage);
    } else {
      await rm(join(dir, 'pinsage.csv'), { force: true });
    }

    const meta = {
      format: SNAPSHOT_FORMAT,
      createdAt: new Date().toISOString(),
      counts: graph.counts,
      splits: graph.splits,
      eventWeights: eventWeightsJson(parseEventWeights(this.config.INGEST_EVENT_WEIGHTS)),
      idPrefix: opts.idPrefix ?? null,
      pinsage: pinsageRows === null ? null : { rows: pinsageRows, ...(opts.pinsage === true ? {} : opts.pinsage) },
    };
    await writeFile(join(dir, 'meta.json.tmp'), JSON.stringify(meta, null, 2) + '\n');
    await rename(join(dir, 'meta.json.tmp'), join(dir, 'meta.json'));
    const elapsedMs = Date.now() - t0;
    this.logger.log(`snapshot ${dir}: ${JSON.stringify(graph.counts)} in ${elapsedMs} ms`);
    return { dir, counts: graph.counts, splits: graph.splits, pinsageRows, elapsedMs };
  }

  /** Called once per transaction attempt: opens (truncates) the files and streams every row. */
  private async writeGraph(dir: string, s: SnapshotStreams) {
    const files = {
      users: new LineWriter(join(dir, 'users.tsv')),
      items: new LineWriter(join(dir, 'items.tsv')),
      interactions: new LineWriter(join(dir, 'interactions.csv')),
      friendships: new LineWriter(join(dir, 'friendships.csv')),
    };
    try {
      const userIndex = new Map<string, number>();
      await files.users.write('index\tid');
      for await (const id of s.users()) {
        await files.users.write(`${userIndex.size}\t${id}`);
        userIndex.set(id, userIndex.size);
      }

      const itemIndex = new Map<string, number>();
      const itemIds: string[] = [];
      await files.items.write('index\tid\thidden\ttags');
      for await (const it of s.items()) {
        await files.items.write(`${itemIndex.size}\t${it.id}\t${it.hidden ? 1 : 0}\t${it.tags.map(cleanTag).filter(Boolean).join('|')}`);
        itemIndex.set(it.id, itemIndex.size);
        itemIds.push(it.id);
      }

      const splits = { train: 0, test: 0, none: 0 };
      let interactions = 0;
      await files.interactions.write('user,item,weight,count,first_ts,last_ts,split');
      for await (const r of s.interactions()) {
        const u = userIndex.get(r.user);
        const i = itemIndex.get(r.item);
        if (u === undefined || i === undefined) continue;
        await files.interactions.write(`${u},${i},${num(r.weight)},${r.count},${num(r.firstTs)},${num(r.lastTs)},${r.split}`);
        splits[r.split] = (splits[r.split] ?? 0) + 1;
        interactions++;
      }

      let friendships = 0;
      await files.friendships.write('a,b,overlap');
      for await (const f of s.friendships()) {
        const a = userIndex.get(f.a);
        const b = userIndex.get(f.b);
        if (a === undefined || b === undefined) continue;
        await files.friendships.write(`${a},${b},${num(f.overlap)}`);
        friendships++;
      }

      await Promise.all(Object.values(files).map((f) => f.close()));
      return {
        counts: { users: userIndex.size, items: itemIndex.size, interactions, friendships },
        splits,
        itemIds,
        itemIndex,
      };
    } catch (err) {
      Object.values(files).forEach((f) => f.destroy());
      throw err;
    }
  }

  /** pinsage.csv: for each item (index order) its top-k walk neighbours, weight = normalized visits. */
  private async writePinsage(dir: string, itemIds: string[], itemIndex: Map<string, number>, req: WalkRequest): Promise<number> {
    const out = new LineWriter(join(dir, 'pinsage.csv'));
    try {
      await out.write('item,neighbor,weight');
      const chunk = 2_048;
      for (let i = 0; i < itemIds.length; i += chunk) {
        const seeds = itemIds.slice(i, i + chunk);
        const hoods = await this.sampling.itemWalkNeighborhoods(seeds, req);
        for (const seed of seeds) {
          for (const n of hoods.get(seed) ?? []) {
            const j = itemIndex.get(n.id);
            if (j !== undefined) await out.write(`${itemIndex.get(seed)},${j},${n.weight}`);
          }
        }
      }
      await out.close();
      return out.lines - 1;
    } catch (err) {
      out.destroy();
      throw err;
    }
  }
}
