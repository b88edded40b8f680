/**
 * How long the catalogue's structures and a model's view of them hold the serving thread at catalogue size:
 *
 *   npm run bench -- catalogue-views [--items 1763200] [--users 189200] [--repeats 3]
 *
 * A synthetic model (dim 64, two tags per item) and a catalogue of the same items, through the real
 * CatalogueService (its repository and ModelStore faked: no Neo4j). Per step, the wall time, the event loop's
 * longest delay (monitorEventLoopDelay, 1 ms resolution) and the longest GC pause while it ran: the first read, the model prepared
 * before it serves, a re-read where only popularity moved, and a re-read with one new item (read and the
 * served model's view rebuilt before it is published). Rows are fresh objects for every read, as a driver
 * read makes them. Peer figure from the same run: the longest single `Map.set` while a Map grows to as many
 * ids (the rehash that src/common/id-index.ts avoids). Medians over --repeats. Decision 0039.
 */
import { parseArgs } from 'node:util';
import { ModelArtifacts } from '../src/model-registry/artifacts';
import { ModelStore } from '../src/model-registry/model-store';
import { AppConfig } from '../src/config/config.schema';
import { CatalogueService } from '../src/recommendations/catalogue.service';
import { CatalogueRow, RecommendationsRepository } from '../src/recommendations/recommendations.repository';
import { emit, median } from './lib/report';
import { StallMonitor } from './lib/stall-monitor';

const DIM = 64;
const log = (msg: string) => process.stderr.write(`[catalogue-views] ${msg}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '1763200' },
      users: { type: 'string', default: '189200' },
      repeats: { type: 'string', default: '3' },
    },
  });
  const N = Number(values.items);
  const U = Number(values.users);
  const repeats = Number(values.repeats);
  log(`synthetic model: ${N} items, ${U} users, dim ${DIM}`);
  const items = Array.from({ length: N }, (_, i) => `syn:item:${i}`);
  const itemTags = items.map((_, i) => [`t${i % 200}`, `t${(i * 7) % 331}`]);
  const model = {
    dim: DIM,
    items,
    itemIndex: new Map(items.map((id, k) => [id, k])),
    itemTags,
    itemEmb: Float32Array.from({ length: N * DIM }, () => Math.random() - 0.5),
    userEmb: Float32Array.from({ length: U * DIM }, () => Math.random() - 0.5),
  } as unknown as ModelArtifacts;
  const rowsOf = (extra: CatalogueRow[] = [], bump = 0): CatalogueRow[] => [
    ...items.map((id, i) => ({
      id,
      title: `Item ${i}`,
      tags: itemTags[i],
      hidden: false,
      popularity: (i % 50) + (i % 1000 === 0 ? bump : 0),
    })),
    ...extra,
  ];

  const step = async (f: () => Promise<unknown>) => {
    await new Promise((r) => setTimeout(r, 50));
    const monitor = new StallMonitor();
    const t0 = performance.now();
    await f();
    const ms = performance.now() - t0;
    const { loopDelayMax, gcPauseMaxMs } = monitor.stop();
    return { ms, loopDelayMax, gcPauseMaxMs };
  };

  const runs: Record<string, Awaited<ReturnType<typeof step>>[]> = { firstRead: [], prepare: [], popularityMoved: [], newItem: [] };
  for (let r = 0; r < repeats; r++) {
    const repo = { fingerprint: '1', rows: rowsOf() };
    const fake = { catalogueFingerprint: async () => repo.fingerprint, catalogue: async () => repo.rows };
    const serving: ModelArtifacts[] = [];
    let prepare: (m: ModelArtifacts) => Promise<void> = async () => undefined;
    const store = { prepareWith: (fn: typeof prepare) => (prepare = fn), servingModels: () => serving } as unknown as ModelStore;
    const service = new CatalogueService(
      fake as unknown as RecommendationsRepository,
      { TRAINING_ID_PREFIX: '' } as AppConfig,
      undefined,
      store,
    );
    runs.firstRead.push(await step(() => service.reload(true)));
    runs.prepare.push(await step(() => prepare(model)));
    serving.push(model);
    Object.assign(repo, { fingerprint: '2', rows: rowsOf([], 1) });
    runs.popularityMoved.push(await step(() => service.reload()));
    Object.assign(repo, {
      fingerprint: '3',
      rows: rowsOf([{ id: 'syn:item:new', title: 'New', tags: ['t3'], hidden: false, popularity: 0 }]),
    });
    runs.newItem.push(await step(() => service.reload()));
    log(`repeat ${r + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v[r]])))}`);
  }

  // the peer: one Map grown to N ids, the longest single set
  let mapWorstSetMs = 0;
  const map = new Map<string, number>();
  for (let k = 0; k < N; k++) {
    const t0 = performance.now();
    map.set(items[k], k);
    mapWorstSetMs = Math.max(mapWorstSetMs, performance.now() - t0);
  }

  const summary = Object.fromEntries(
    Object.entries(runs).map(([k, v]) => [
      k,
      {
        ms: Math.round(median(v.map((x) => x.ms))),
        loopDelayMaxMs: +median(v.map((x) => x.loopDelayMax)).toFixed(1),
        gcPauseMaxMs: +median(v.map((x) => x.gcPauseMaxMs)).toFixed(1),
      },
    ]),
  );
  emit('catalogue-views', { items: N, users: U, repeats, ...summary, peer: { mapWorstSetMs: +mapWorstSetMs.toFixed(1) } });
}

void main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
