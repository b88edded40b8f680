import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { GraphChanges } from '../ingestion/graph-changes';
import { ModelArtifacts } from '../model-registry/artifacts';
import { CatalogueRow, RecommendationsRepository } from './recommendations.repository';
import { rowNorms, TagStats, tagStats, tagVector } from './scoring';

/**
 * How long a catalogue read serves before a background check (popularity, hidden flags, new items):
 * a one-row fingerprint (catalogue-fingerprint.cypher); the rows are re-read only when it changed,
 * and at least every CATALOGUE_FULL_READ_MS (a deleted and an added interaction in the same interval
 * leave the fingerprint as it was). Re-reading 17,632 lastfm rows every 10 s cost the serving thread
 * a burst of decoding and garbage each time (docs/decisions/0006-catalogue-fingerprint.md).
 */
export const CATALOGUE_TTL_MS = 10_000;
export const CATALOGUE_FULL_READ_MS = 300_000;

/**
 * The items one ranking chooses from, as parallel arrays ("slots"). With a model: the model's items
 * (slot = model index) followed by the catalogue items the model has never seen (new items). Without
 * one: the catalogue items.
 */
export interface Slots {
  ids: string[];
  /** id -> slot */
  index: Map<string, number>;
  titles: Array<string | null>;
  tags: string[][];
  /** hidden as of the last catalogue read, by slot (serving uses its live hidden set unless that is capped) */
  hidden: Uint8Array;
  isNew: Uint8Array;
  popularity: Float64Array;
  /** new items' tag vectors, by slot - model item count (null: no model item shares a tag) */
  newVectors: Array<Float32Array | null>;
}

export interface Catalogue {
  stamp: number;
  /** bumped when a re-read changed popularity only: updated in place, the slots and rankings kept */
  popularityStamp: number;
  /** when the catalogue was last confirmed current (fingerprint or full read) */
  loadedAt: number;
  /** when the rows were last read in full, and the fingerprint taken just before */
  fullReadAt: number;
  fingerprint: string;
  rows: CatalogueRow[];
  byId: Map<string, CatalogueRow>;
  vocabulary: Set<string>;
  /** slots for serving without a model */
  slots: Slots;
}

/** What one model needs next to the catalogue (recomputed when either changes). */
export interface ModelView {
  stamp: number;
  popularityStamp: number;
  slots: Slots;
  itemNorms: Float32Array;
  userNorms: Float32Array;
  tagStats: Map<string, TagStats>;
  vocabulary: Set<string>;
}

/** The same items, titles, tags and hidden flags in the same order: at most their popularity differs. */
export function sameItems(a: CatalogueRow[], b: CatalogueRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x.id !== y.id || x.title !== y.title || x.hidden !== y.hidden || x.tags.length !== y.tags.length) return false;
    for (let t = 0; t < x.tags.length; t++) if (x.tags[t] !== y.tags[t]) return false;
  }
  return true;
}

/**
 * The serving scope's items (ids starting with TRAINING_ID_PREFIX, the catalogue the model is
 * trained on) with tags, hidden flags and popularity, cached for CATALOGUE_TTL_MS and refreshed in
 * the background so no request waits for it after the first. Items created, changed, hidden or
 * deleted through any API process (GraphChanges) make the next request wait for a full read.
 */
@Injectable()
export class CatalogueService implements OnModuleDestroy {
  private readonly logger = new Logger(CatalogueService.name);
  private current: Catalogue | null = null;
  private loading: Promise<Catalogue> | null = null;
  private stamp = 0;
  private readonly views = new WeakMap<ModelArtifacts, ModelView>();
  private readonly modelStatic = new WeakMap<
    ModelArtifacts,
    { itemNorms: Float32Array; userNorms: Float32Array; tagStats: Map<string, TagStats> }
  >();

  /** items changed since the last read: the next `get` waits for a full read */
  private dirty = false;
  private afterChange: Promise<Catalogue> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repo: RecommendationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() changes?: GraphChanges,
  ) {
    const ITEM_CHANGES = new Set(['itemsUpserted', 'itemsHidden', 'itemsDeleted', 'everything']);
    this.unsubscribe =
      changes?.subscribe((c) => {
        if (ITEM_CHANGES.has(c.kind)) this.dirty = true;
      }) ?? (() => undefined);
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
        if (c && sameItems(c.rows, rows)) {
          // The same items (ingestion moves popularity all the time): keep the object, its slots and every
          // ranking derived from them; popularity changes in place (what POPULAR and the FRIENDS blend
          // read), rankings already made keep theirs until the user's state is read again (30 s at most).
          let moved = false;
          rows.forEach((r, k) => {
            if (c.rows[k].popularity === r.popularity) return;
            moved = true;
            c.rows[k].popularity = r.popularity;
            c.slots.popularity[k] = r.popularity;
            c.slots.isNew[k] = r.popularity === 0 ? 1 : 0;
          });
          if (moved) c.popularityStamp++;
          c.loadedAt = c.fullReadAt = Date.now();
          c.fingerprint = fingerprint;
          return c;
        }
        const cat: Catalogue = {
          stamp: ++this.stamp,
          popularityStamp: 0,
          loadedAt: Date.now(),
          fullReadAt: Date.now(),
          fingerprint,
          rows,
          byId: new Map(rows.map((r) => [r.id, r])),
          vocabulary: new Set(rows.flatMap((r) => r.tags)),
          slots: {
            ids: rows.map((r) => r.id),
            index: new Map(rows.map((r, k) => [r.id, k])),
            titles: rows.map((r) => r.title),
            tags: rows.map((r) => r.tags),
            hidden: Uint8Array.from(rows, (r) => (r.hidden ? 1 : 0)),
            isNew: Uint8Array.from(rows, (r) => (r.popularity === 0 ? 1 : 0)),
            popularity: Float64Array.from(rows, (r) => r.popularity),
            newVectors: [],
          },
        };
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

  modelStats(model: ModelArtifacts) {
    let s = this.modelStatic.get(model);
    if (!s) {
      const itemNorms = rowNorms(model.itemEmb, model.dim);
      s = {
        itemNorms,
        userNorms: rowNorms(model.userEmb, model.dim),
        tagStats: tagStats(model.itemEmb, model.dim, model.itemTags, itemNorms),
      };
      this.modelStatic.set(model, s);
    }
    return s;
  }

  /** The model's slots against this catalogue: current tags, hidden flags, popularity, and the new items. */
  view(model: ModelArtifacts, cat: Catalogue): ModelView {
    const cached = this.views.get(model);
    if (cached && cached.stamp === cat.stamp) {
      if (cached.popularityStamp !== cat.popularityStamp) {
        cached.slots.ids.forEach((id, k) => (cached.slots.popularity[k] = cat.byId.get(id)?.popularity ?? 0));
        cached.popularityStamp = cat.popularityStamp;
      }
      return cached;
    }
    const st = this.modelStats(model);
    const nModel = model.items.length;
    const fresh = cat.rows.filter((r) => !model.itemIndex.has(r.id) && !r.hidden);
    const ids = [...model.items, ...fresh.map((r) => r.id)];
    const index = new Map(ids.map((id, k) => [id, k]));
    const titles = ids.map((id) => cat.byId.get(id)?.title ?? null);
    const tags = ids.map((id, k) => cat.byId.get(id)?.tags ?? model.itemTags[k] ?? []);
    const hidden = Uint8Array.from(ids, (id) => (cat.byId.get(id)?.hidden ? 1 : 0));
    const isNew = Uint8Array.from(ids, (_, k) => (k >= nModel ? 1 : 0));
    const popularity = Float64Array.from(ids, (id) => cat.byId.get(id)?.popularity ?? 0);
    const newVectors = fresh.map((r) => tagVector(r.tags, st.tagStats, model.dim));
    const vocabulary = new Set([...cat.vocabulary, ...st.tagStats.keys()]);
    const view: ModelView = {
      stamp: cat.stamp,
      popularityStamp: cat.popularityStamp,
      slots: { ids, index, titles, tags, hidden, isNew, popularity, newVectors },
      vocabulary,
      ...st,
    };
    this.views.set(model, view);
    return view;
  }
}
