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
  modelStatistics,
  ModelStatistics,
  ModelView,
  movePopularity,
  refreshPopularity,
  sameItemsSliced,
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

  /** items changed since the last read: the next `get` waits for a full read */
  private dirty = false;
  private afterChange: Promise<Catalogue> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repo: RecommendationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() changes?: GraphChanges,
    @Optional() private readonly store?: ModelStore,
  ) {
    const ITEM_CHANGES = new Set(['itemsUpserted', 'itemsHidden', 'itemsDeleted', 'everything']);
    this.unsubscribe =
      changes?.subscribe((c) => {
        if (ITEM_CHANGES.has(c.kind)) this.dirty = true;
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
    if (this.dirty && this.current) {
      this.dirty = false;
      // a read in flight may predate the change: after it, one full read (the fingerprint misses title edits)
      const inFlight = this.loading;
      this.afterChange = (async () => {
        await inFlight?.catch(() => undefined);
        return this.reload(true);
      })().finally(() => (this.afterChange = null));
    }
    if (this.afterChange) return this.afterChange;
    const c = this.current;
    if (!c) return this.reload();
    if (Date.now() - c.loadedAt > CATALOGUE_TTL_MS)
      void this.reload().catch((err: Error) => this.logger.warn(`catalogue refresh failed: ${err.message}`));
    return c;
  }

  /** Reads the catalogue again now (joins a read already running); `full` skips the fingerprint check. */
  reload(full = false): Promise<Catalogue> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        // The fingerprint first: a write between the two reads changes the next fingerprint again.
        const fingerprint = await this.repo.catalogueFingerprint(this.prefix);
        const c = this.current;
        if (!full && c && c.fingerprint === fingerprint && Date.now() - c.fullReadAt < CATALOGUE_FULL_READ_MS) {
          c.loadedAt = Date.now();
          return c;
        }
        const rows = await this.repo.catalogue(this.prefix);
        if (c && (await sameItemsSliced(c.rows, rows))) {
          // The same items (the periodic full read: popularity has moved): keep the object, its slots, its views and
          // every ranking derived from them; popularity changes in place (what POPULAR and the FRIENDS blend
          // read), rankings already made keep theirs until the user's state is read again (30 s at most).
          if (await movePopularity(c, rows)) c.popularityStamp++;
          c.loadedAt = c.fullReadAt = Date.now();
          c.fingerprint = fingerprint;
          return c;
        }
        const cat = await buildCatalogue(rows, ++this.stamp, fingerprint);
        // the served models' views first: no request waits for one, they keep the previous read meanwhile
        for (const model of this.store?.servingModels() ?? [])
          await this.view(model, cat).catch((err: Error) => this.logger.warn(`model view not prepared: ${err.message}`));
        this.current = cat;
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
