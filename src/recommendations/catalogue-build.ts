/**
 * The structures serving ranks from, built from a catalogue read and a model: the catalogue's slots and the
 * model's view of them. Every loop over items runs in slices (common/slices.ts) so that building them for a
 * 1.76M-item catalogue never holds the serving thread for more than a few milliseconds at a time
 * (docs/decisions/0039-catalogue-views-off-the-request-path.md).
 */
import { IdIndex } from '../common/id-index';
import { inSlices } from '../common/slices';
import { StringPool } from '../common/string-pool';
import { ModelArtifacts } from '../model-registry/artifacts';
import { CatalogueRow } from './recommendations.repository';
import { addTagStats, rowNormsInto, TagStats, tagVector } from './scoring';

/** id -> slot: the catalogue's IdIndex, or the model's own index followed by the new items' (no 1.76M-entry copy per view). */
export interface SlotLookup {
  get(id: string): number | undefined;
}

/**
 * The items one ranking chooses from, as parallel arrays ("slots"). With a model: the model's items
 * (slot = model index) followed by the catalogue items the model has never seen (new items). Without
 * one: the catalogue items.
 */
export interface Slots {
  ids: string[];
  index: SlotLookup;
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
  vocabulary: Set<string>;
  /** the rows as slots (id order; serving without a model ranks them); `slots.index` is the row of an id */
  slots: Slots & { index: IdIndex };
  /** each model's view of this read, built once (the models being served: before the read is published) */
  views: WeakMap<ModelArtifacts, Promise<ModelView>>;
}

/** What depends on the model alone: computed once per loaded model. */
export interface ModelStatistics {
  itemNorms: Float32Array;
  userNorms: Float32Array;
  tagStats: Map<string, TagStats>;
}

/** What one model needs next to the catalogue (rebuilt for every read that changed items). */
export interface ModelView extends ModelStatistics {
  stamp: number;
  popularityStamp: number;
  slots: Slots;
  /** the catalogue row of each slot (-1: a model item no longer in the catalogue), to refresh popularity in place */
  rowOfSlot: Int32Array;
  vocabulary: Set<string>;
}

/** The row slot `k` holds (with `popularity` in place of the slot's). */
function slotRow(s: Pick<Slots, 'ids' | 'titles' | 'tags' | 'hidden'>, k: number, popularity: number): CatalogueRow {
  return { id: s.ids[k], title: s.titles[k], tags: s.tags[k], hidden: s.hidden[k] === 1, popularity };
}

/** The catalogue's row for an id, if it has one. */
export function catalogueRow(cat: Catalogue, id: string): CatalogueRow | undefined {
  const k = cat.slots.index.get(id);
  return k === undefined ? undefined : slotRow(cat.slots, k, cat.slots.popularity[k]);
}

/** Empty slot arrays for n slots; the plain arrays are filled in order by push (new Array(n) of this size would be a slow dictionary). */
function slotArrays(n: number) {
  return {
    ids: [] as string[],
    titles: [] as Array<string | null>,
    tags: [] as string[][],
    hidden: new Uint8Array(n),
    isNew: new Uint8Array(n),
    popularity: new Float64Array(n),
  };
}

/** A catalogue object from rows read in id order. */
export async function buildCatalogue(rows: CatalogueRow[], stamp: number, fingerprint: string): Promise<Catalogue> {
  const n = rows.length;
  const { ids, titles, tags, hidden, isNew, popularity } = slotArrays(n);
  const pool = new StringPool();
  await inSlices(n, (from, to) => {
    for (let k = from; k < to; k++) {
      const r = rows[k];
      ids.push(r.id);
      titles.push(r.title);
      tags.push(pool.list(r.tags));
      hidden[k] = r.hidden ? 1 : 0;
      isNew[k] = r.popularity === 0 ? 1 : 0;
      popularity[k] = r.popularity;
    }
  });
  const vocabulary = new Set(pool.values());
  const index = await IdIndex.of(ids);
  const now = Date.now();
  return {
    stamp,
    popularityStamp: 0,
    loadedAt: now,
    fullReadAt: now,
    fingerprint,
    vocabulary,
    slots: { ids, index, titles, tags, hidden, isNew, popularity, newVectors: [] },
    views: new WeakMap(),
  };
}

/**
 * A re-read of the catalogue compared with the current read as its rows stream in (both in id order). While every
 * row equals the current one (id, title, tags, hidden), only its popularity is kept, so an unchanged re-read of 1M
 * items keeps nothing of its records (they die young, given the API's GC policy, src/common/gc-policy.ts) where it
 * used to leave ~780 MB for a major collection to sweep on the serving thread
 * (docs/journal/2026-12-07-catalogue-reread-streamed.md). From the first row that differs on, the new read's rows
 * are kept, those equal to a current row (matched by id) with the current read's strings.
 */
export class CatalogueReread {
  private readonly popularity: Float64Array;
  private rows: CatalogueRow[] | null = null;
  private n = 0;
  /** the current slot the next row is matched against, once rows are kept */
  private at = 0;

  constructor(private readonly current: Pick<Slots, 'ids' | 'titles' | 'tags' | 'hidden'>) {
    this.popularity = new Float64Array(current.ids.length);
  }

  add(row: CatalogueRow): void {
    const k = this.n++;
    const cur = this.current;
    if (!this.rows) {
      if (k < cur.ids.length && this.same(k, row)) {
        this.popularity[k] = row.popularity;
        return;
      }
      this.rows = this.prefix(k);
      this.at = k;
    }
    // ids ascend in both reads: current ids below this one were deleted (a mismatched collation only costs reuse)
    while (this.at < cur.ids.length && cur.ids[this.at] < row.id) this.at++;
    if (this.at < cur.ids.length && this.same(this.at, row)) this.rows.push(slotRow(cur, this.at++, row.popularity));
    else this.rows.push(row);
  }

  /** After the last row: the same items with the re-read popularity by slot, or the new read's rows. */
  result(): { same: true; popularity: Float64Array } | { same: false; rows: CatalogueRow[] } {
    if (!this.rows && this.n === this.current.ids.length) return { same: true, popularity: this.popularity };
    return { same: false, rows: this.rows ?? this.prefix(this.n) };
  }

  private same(k: number, row: CatalogueRow): boolean {
    const cur = this.current;
    const tags = cur.tags[k];
    if (cur.ids[k] !== row.id || cur.titles[k] !== row.title || (cur.hidden[k] === 1) !== row.hidden || tags.length !== row.tags.length)
      return false;
    for (let t = 0; t < tags.length; t++) if (tags[t] !== row.tags[t]) return false;
    return true;
  }

  /** The first n rows, all equal to the current read's: its slots with the re-read popularity. */
  private prefix(n: number): CatalogueRow[] {
    const rows: CatalogueRow[] = [];
    for (let j = 0; j < n; j++) rows.push(slotRow(this.current, j, this.popularity[j]));
    return rows;
  }
}

/** Moves a re-read's popularity (by slot: CatalogueReread of the same items) into `cat` in place; true when any moved. */
export async function movePopularity(cat: Catalogue, popularity: Float64Array): Promise<boolean> {
  let moved = false;
  await inSlices(popularity.length, (from, to) => {
    for (let k = from; k < to; k++) {
      const p = popularity[k];
      if (cat.slots.popularity[k] === p) continue;
      moved = true;
      cat.slots.popularity[k] = p;
      cat.slots.isNew[k] = p === 0 ? 1 : 0;
    }
  });
  return moved;
}

/** Item and user norms and per-tag sums (the new-item path's tag vectors) of a model. */
export async function modelStatistics(model: ModelArtifacts): Promise<ModelStatistics> {
  const { dim, itemEmb, userEmb, itemTags } = model;
  const itemNorms = new Float32Array(itemEmb.length / dim);
  const userNorms = new Float32Array(userEmb.length / dim);
  const tagStats = new Map<string, TagStats>();
  await inSlices(itemNorms.length, (from, to) => rowNormsInto(itemNorms, itemEmb, dim, from, to));
  await inSlices(userNorms.length, (from, to) => rowNormsInto(userNorms, userEmb, dim, from, to));
  await inSlices(itemTags.length, (from, to) => addTagStats(tagStats, itemEmb, dim, itemTags, itemNorms, from, to));
  return { itemNorms, userNorms, tagStats };
}

/** The model's slots against this catalogue: current tags, hidden flags, popularity, and the new items. */
export async function buildModelView(model: ModelArtifacts, stats: ModelStatistics, cat: Catalogue): Promise<ModelView> {
  const nModel = model.items.length;
  const fresh: number[] = []; // catalogue rows the model never saw, not hidden: the new items
  const c = cat.slots;
  await inSlices(c.ids.length, (from, to) => {
    for (let k = from; k < to; k++) if (!c.hidden[k] && !model.itemIndex.has(c.ids[k])) fresh.push(k);
  });
  const n = nModel + fresh.length;
  const rowOfSlot = new Int32Array(n);
  const { ids, titles, tags, hidden, isNew, popularity } = slotArrays(n);
  await inSlices(n, (from, to) => {
    for (let k = from; k < to; k++) {
      const row = k < nModel ? (c.index.get(model.items[k]) ?? -1) : fresh[k - nModel];
      rowOfSlot[k] = row;
      ids.push(k < nModel ? model.items[k] : c.ids[row]);
      titles.push(row >= 0 ? c.titles[row] : null);
      tags.push(row >= 0 ? c.tags[row] : (model.itemTags[k] ?? []));
      hidden[k] = row >= 0 ? c.hidden[row] : 0;
      isNew[k] = k >= nModel ? 1 : 0;
      popularity[k] = row >= 0 ? c.popularity[row] : 0;
    }
  });
  const freshIndex = new Map(fresh.map((row, j) => [c.ids[row], nModel + j]));
  const index: SlotLookup = { get: (id) => model.itemIndex.get(id) ?? freshIndex.get(id) };
  const newVectors = fresh.map((row) => tagVector(c.tags[row], stats.tagStats, model.dim));
  return {
    stamp: cat.stamp,
    popularityStamp: cat.popularityStamp,
    slots: { ids, index, titles, tags, hidden, isNew, popularity, newVectors },
    rowOfSlot,
    vocabulary: new Set([...cat.vocabulary, ...stats.tagStats.keys()]),
    ...stats,
  };
}

/** The catalogue's popularity, moved in place since the view was built, into the view. */
export function refreshPopularity(view: ModelView, cat: Catalogue): void {
  const { popularity } = view.slots;
  for (let k = 0; k < popularity.length; k++) popularity[k] = view.rowOfSlot[k] >= 0 ? cat.slots.popularity[view.rowOfSlot[k]] : 0;
  view.popularityStamp = cat.popularityStamp;
}
