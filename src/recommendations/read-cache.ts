/**
 * A keyed cache of async reads for serving: one read in flight per key (concurrent callers share
 * it), a time to live, a bound on the number of keys (least recently used dropped first), and
 * invalidation that also disowns a read already in flight, so a read that started before a write
 * is never kept after the write's invalidation.
 *
 * Past its time to live an entry is still returned (stale-while-revalidate) while one background
 * read replaces it, so no request waits for an expiry; `invalidate` is the way to make the next
 * caller wait for a fresh read.
 */
export interface ReadCacheOptions<K, V> {
  ttlMs: number;
  maxEntries: number;
  /** a settled value is kept only when this holds (e.g. not "user not found") */
  keep?: (value: V) => boolean;
  now?: () => number;
  /** a background refresh failed (the stale value stays until the next expiry) */
  onRefreshError?: (err: Error) => void;
  /** a refreshed value equal to the old one: keep the old one (and what callers derived from it) */
  same?: (old: V, fresh: V) => boolean;
  /**
   * Background refreshes of expired keys gathered for `refreshDelayMs` and read together (one read
   * for many keys instead of one each: entries warmed together expire together).
   */
  refreshMany?: (keys: K[]) => Promise<Map<K, V>>;
  refreshDelayMs?: number;
  /** at most this many keys per batched refresh */
  refreshBatch?: number;
}

interface Entry<V> {
  /** when its read started: the value reflects the source as of then */
  startedAt: number;
  promise: Promise<V>;
  settled: boolean;
  value?: V;
  refreshing: boolean;
}

export class ReadCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly dueRefresh = new Map<K, Entry<V>>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(private readonly opts: ReadCacheOptions<K, V>) {
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    const e = this.entries.get(key);
    if (e) {
      // least recently used last out: move to the end of the insertion order
      this.entries.delete(key);
      this.entries.set(key, e);
      if (e.settled && !e.refreshing && this.now() - e.startedAt > this.opts.ttlMs) this.refresh(key, e, load);
      this.hits++;
      return e.promise;
    }
    this.misses++;
    const entry = this.start(key, load);
    this.entries.set(key, entry);
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    return entry.promise;
  }

  /** The next `get` of these keys reads again; reads in flight for them are not kept. */
  invalidate(keys: Iterable<K>): void {
    for (const k of keys) this.entries.delete(k);
  }

  /** The settled value kept for a key, if any (no read, no expiry check, not counted as a use). */
  peek(key: K): V | undefined {
    const e = this.entries.get(key);
    return e?.settled ? e.value : undefined;
  }

  /** Drops the entries whose value matches, and the reads in flight (they may predate the change). */
  invalidateWhere(match: (value: V) => boolean): void {
    for (const [k, e] of this.entries) if (!e.settled || match(e.value as V)) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Stops a pending batched refresh (shutdown). */
  close(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.dueRefresh.clear();
  }

  private start(key: K, load: () => Promise<V>): Entry<V> {
    const entry: Entry<V> = { startedAt: this.now(), promise: undefined as unknown as Promise<V>, settled: false, refreshing: false };
    entry.promise = load().then(
      (v) => {
        entry.settled = true;
        entry.value = v;
        if (this.opts.keep && !this.opts.keep(v) && this.entries.get(key) === entry) this.entries.delete(key);
        return v;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw err;
      },
    );
    return entry;
  }

  private refresh(key: K, stale: Entry<V>, load: () => Promise<V>): void {
    stale.refreshing = true;
    if (!this.opts.refreshMany) return this.replaceWith(key, stale, this.start(key, load));
    this.dueRefresh.set(key, stale);
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => this.flushRefreshes(), this.opts.refreshDelayMs ?? 20);
      this.refreshTimer.unref?.();
    }
  }

  private flushRefreshes(): void {
    this.refreshTimer = null;
    const due = [...this.dueRefresh];
    this.dueRefresh.clear();
    const size = this.opts.refreshBatch ?? 200;
    for (let i = 0; i < due.length; i += size) {
      const part = due.slice(i, i + size);
      const batch = this.opts.refreshMany!(part.map(([k]) => k));
      batch.catch(() => undefined); // reported per key below
      for (const [key, stale] of part) {
        const next = this.start(key, async () => {
          const v = (await batch).get(key);
          if (v === undefined) throw new Error(`batched refresh answered no value for ${String(key)}`);
          return v;
        });
        this.replaceWith(key, stale, next);
      }
    }
  }

  /** A background read replaces the stale entry, unless the key was invalidated or replaced meanwhile. */
  private replaceWith(key: K, stale: Entry<V>, next: Entry<V>): void {
    next.promise.then(
      (v) => {
        // only if nobody invalidated or replaced the stale entry meanwhile
        if (this.entries.get(key) !== stale) return;
        if (this.opts.keep && !this.opts.keep(v)) this.entries.delete(key);
        else if (this.opts.same && this.opts.same(stale.value as V, v)) {
          stale.startedAt = next.startedAt;
          stale.refreshing = false;
        } else this.entries.set(key, next);
      },
      (err: Error) => {
        stale.refreshing = false;
        stale.startedAt = this.now(); // retry after another ttl, not on every request
        this.opts.onRefreshError?.(err);
      },
    );
  }
}
