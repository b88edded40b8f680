import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { GraphChanges } from '../ingestion/graph-changes';
import { ModelArtifacts } from '../model-registry/artifacts';
import { ModelStore } from '../model-registry/model-store';
import {
  buildCatalogue,
  buildModelView,
  Catalogue,
  CatalogueReread,
  modelStatistics,
  ModelStatistics,
  ModelView,
  movePopularity,
  refreshPopularity,
} from './catalogue-build';
import { RecommendationsRepository } from './recommendations.repository';

/**
 * How long a catalogue read serves before a background check (new, changed, hidden or deleted items):
 * a one-row fingerprint from indexes (catalogue-fingerprint.cypher); the rows are re-read only when it
 * changed, and at least every CATALOGUE_FULL_READ_MS, which is also how often popularity is refreshed
 * (it moves with every interaction: watching it made every interaction a full read, 1M rows at scale).
 * Re-reading 17,632 lastfm rows every 10 s cost the serving thread a burst of decoding and garbage each
 * time (docs/decisions/0006-catalogue-fingerprint.md, 0039-catalogue-views-off-the-request-path.md).
 */
export const CATALOGUE_TTL_MS = 10_000;
export const CATALOGUE_FULL_READ_MS = 300_000;

const NO_SLOTS = { ids: [], titles: [], tags: [], hidden: new Uint8Array(0) };

/**
 * The serving scope's items (ids starting with TRAINING_ID_PREFIX, the catalogue the model is
 * trained on) with tags, hidden flags and popularity, cached for CATALOGUE_TTL_MS and refreshed in
 * the background so no request waits for it after the first. Items created, changed, hidden or
 * deleted through any API process (GraphChanges) make the next request wait for a full read.
 *
 * Each model's view of a read is built off the request path: for a model being loaded before it serves
 * (ModelStore.prepareWith), and for the models served before a changed read is published, so requests go
 * on with the previous read and its views meanwhile. Every build runs in slices (catalogue-build.ts).
 */
@Injectable()
export class CatalogueService implements OnModuleDestroy {
  private readonly logger = new Logger(CatalogueService.name);
  private current: Catalogue | null = null;
  private loading: Promise<Catalogue> | null = null;
  private stamp = 0;
  private readonly statistics = new WeakMap<ModelArtifacts, Promise<ModelStatistics>>();

  /**
   * Item changes (writes through any API process) and relay transitions (changes from other processes may have
   * been missed) seen so far; `included`: the counts when the current read's last full read began (what it has
   * seen); `started`: the counts a full read was last started for (one per change, even if it fails).
   */
  private readonly seen = { items: 0, relay: 0 };
  private included = { items: 0, relay: 0 };
  private readonly started = { items: 0, relay: 0 };
  private afterChange: Promise<Catalogue> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repo: RecommendationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() changes?: GraphChanges,
    @Optional() private readonly store?: ModelStore,
  ) {
    const ITEM_CHANGES = new Set(['itemsUpserted', 'itemsHidden', 'itemsDeleted']);
    this.unsubscribe =
      changes?.subscribe((c) => {
        if (ITEM_CHANGES.has(c.kind)) this.seen.items++;
        else if (c.kind === 'everything') this.seen.relay++;
      }) ?? (() => undefined);
    store?.prepareWith((model) => this.prepare(model));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  get prefix(): string {
    return this.config.TRAINING_ID_PREFIX;
  }

  async get(): Promise<Catalogue> {
    const c = this.current;
    if (c && this.pending('items')) {
      // an item written through an API process since the last full read began: the next requests wait for one
      // (a read in flight may predate the change; the fingerprint misses edits that do not move updatedAt)
      this.started.items = this.seen.items;
      this.afterChange = this.fullReadAfter(this.loading).finally(() => (this.afterChange = null));
    }
    if (this.afterChange) return this.afterChange;
    if (!c) return this.reload();
    if (this.pending('relay')) {
      // changes from other processes may have been missed: read everything again, in the background (no write
      // of this process is waiting to be seen; requests keep this read until the new one is published)
      this.started.relay = this.seen.relay;
      void this.fullReadAfter(this.loading).catch((err: Error) => this.logger.warn(`catalogue refresh failed: ${err.message}`));
    } else if (Date.now() - c.loadedAt > CATALOGUE_TTL_MS)
      void this.reload().catch((err: Error) => this.logger.warn(`catalogue refresh failed: ${err.message}`));
    return c;
  }

  /** Whether changes of this kind came after the last full read began, with no full read started for them. */
  private pending(kind: 'items' | 'relay'): boolean {
    return this.seen[kind] > Math.max(this.included[kind], this.started[kind]);
  }

  /** A full read after the one in flight, unless that one began after every change seen so far. */
  private async fullReadAfter(inFlight: Promise<Catalogue> | null): Promise<Catalogue> {
    await inFlight?.catch(() => undefined);
    const c = this.current;
    if (c && this.included.items >= this.started.items && this.included.relay >= this.started.relay) return c;
    return this.reload(true);
  }

  /** Reads the catalogue again now (joins a read already running); `full` skips the fingerprint check. */
  reload(full = false): Promise<Catalogue> {
    if (this.loading) return this.loading;
    const seen = { ...this.seen };
    this.loading = (async () => {
      try {
        // The fingerprint first: a write between the two reads changes the next fingerprint again.
        const fingerprint = await this.repo.catalogueFingerprint(this.prefix);
        const c = this.current;
        if (!full && c && c.fingerprint === fingerprint && Date.now() - c.fullReadAt < CATALOGUE_FULL_READ_MS) {
          c.loadedAt = Date.now();
          return c;
        }
        // compared with the current read as the rows arrive: an unchanged re-read keeps nothing but popularity
        let reread!: CatalogueReread;
        await this.repo.eachCatalogueRow(this.prefix, () => {
          reread = new CatalogueReread(c?.slots ?? NO_SLOTS);
          return (row) => reread.add(row);
        });
        const result = reread.result();
        if (result.same && c) {
          // The same items (the periodic full read: popularity has moved): keep the object, its slots, its views and
          // every ranking derived from them; popularity changes in place (what POPULAR and the FRIENDS blend
          // read), rankings already made keep theirs until the user's state is read again (30 s at most).
          if (await movePopularity(c, result.popularity)) c.popularityStamp++;
          c.loadedAt = c.fullReadAt = Date.now();
          c.fingerprint = fingerprint;
          this.included = seen;
          return c;
        }
        const cat = await buildCatalogue(result.same ? [] : result.rows, ++this.stamp, fingerprint);
        // the served models' views first: no request waits for one, they keep the previous read meanwhile
        for (const model of this.store?.servingModels() ?? [])
          await this.view(model, cat).catch((err: Error) => this.logger.warn(`model view not prepared: ${err.message}`));
        this.current = cat;
        this.included = seen;
        return cat;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Refreshes when the cached read is older than `ms` (used before rejecting a tag as unknown). */
  async fresherThan(ms: number): Promise<Catalogue> {
    const c = this.current;
    return c && Date.now() - c.loadedAt <= ms ? c : this.reload();
  }

  /** A loaded model's view of the current read, built before the model serves. */
  async prepare(model: ModelArtifacts): Promise<void> {
    await this.view(model, await this.get());
  }

  /** The model's slots against this read: current tags, hidden flags, popularity, and the new items. */
  async view(model: ModelArtifacts, cat: Catalogue): Promise<ModelView> {
    let building = cat.views.get(model);
    if (!building) {
      building = this.statisticsOf(model).then((stats) => buildModelView(model, stats, cat));
      cat.views.set(model, building);
      const settled = building;
      settled.catch(() => cat.views.get(model) === settled && cat.views.delete(model)); // a failure is tried again
    }
    const view = await building;
    if (view.popularityStamp !== cat.popularityStamp) refreshPopularity(view, cat);
    return view;
  }

  private statisticsOf(model: ModelArtifacts): Promise<ModelStatistics> {
    let s = this.statistics.get(model);
    if (!s) {
      s = modelStatistics(model);
      this.statistics.set(model, s);
    }
    return s;
  }
}
