/**
 * A keyed cache of async reads for serving: one read in flight per key (concurrent callers share
 * it), a time to live, bounds on the number of keys and on their estimated bytes (least recently
 * used dropped first; a value larger than the whole byte bound is answered but not kept), and
 * invalidation that also disowns a read already in flight, so a read that started before a write
 * is never kept after the write's invalidation.
 *
 * Past its time to live an entry is still returned (stale-while-revalidate) while one background
 * read replaces it, so no request waits for an expiry; `invalidate` is the way to make the next
 * caller wait for a fresh read. With `ttlJitter` each entry lives a random part of the time to live
 * (never longer), so entries read together do not all expire, and refresh, in the same moment.
 */
export interface ReadCacheOptions<K, V> {
  ttlMs: number;
  /**
   * Share of the time to live drawn at random per entry (each read): an entry expires after
   * ttlMs × (1 − ttlJitter × r), r uniform in [0, 1). 0 (default): all after ttlMs.
   */
  ttlJitter?: number;
  /** [0, 1) uniform (tests pass their own) */
  random?: () => number;
  /** A hard bound: an entry older than this is never returned (the caller waits for a fresh read). Unset: none. */
  maxAgeMs?: number;
  maxEntries: number;
  /** Bound on the sum of `sizeOf` over the kept values (with sizeOf). */
  maxBytes?: number;
  /**
   * Estimated bytes of a value. Called when a value settles and again on each hit, so values that
   * grow after they are kept (derived data added later) are counted: keep it O(1), measuring big
   * parts once and storing the figure in the value.
   */
  sizeOf?: (value: V) => number;
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

/** At most this many invalidateWhere predicates wait for reads in flight; past it those reads are disowned. */
export const MAX_PENDING_PREDICATES = 1_000;

interface Entry<V> {
  /** when its read started: the value reflects the source as of then */
  startedAt: number;
  /** its share of the time to live, in (1 − ttlJitter, 1] (drawn when read and when a refresh kept it) */
  life: number;
  /** the invalidation sequence when its read started: predicates issued later are checked when it settles */
  seq: number;
  /** set when it settled: a predicate issued during its read matched its value (not kept) */
  outdated?: boolean;
  promise: Promise<V>;
  settled: boolean;
  value?: V;
  refreshing: boolean;
  /** what this entry counts toward `bytes` (0 until it settles while kept) */
  bytes: number;
}

export class ReadCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly dueRefresh = new Map<K, Entry<V>>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private totalBytes = 0;
  /** invalidateWhere predicates issued while reads were in flight, with their sequence number */
  private predicates: Array<{ seq: number; match: (value: V) => boolean }> = [];
  private seq = 0;
  private inFlight = 0;
  hits = 0;
  misses = 0;

  private readonly opts: ReadCacheOptions<K, V>;

  constructor(opts: ReadCacheOptions<K, V>) {
    this.opts = { ...opts }; // setLifetime changes this copy, not the caller's object
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes of the kept values. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Changes the time to live and the hard bound on age (applies to the entries already kept). */
  setLifetime(ttlMs: number, maxAgeMs?: number): void {
    this.opts.ttlMs = ttlMs;
    this.opts.maxAgeMs = maxAgeMs;
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    let e = this.entries.get(key);
    if (e?.settled && this.opts.maxAgeMs !== undefined && this.now() - e.startedAt > this.opts.maxAgeMs) {
      this.drop(key);
      e = undefined;
    }
    if (e) {
      // least recently used last out: move to the end of the insertion order
      this.entries.delete(key);
      this.entries.set(key, e);
      if (e.settled && !e.refreshing && this.now() - e.startedAt > this.opts.ttlMs * e.life) this.refresh(key, e, load);
      this.hits++;
      if (e.settled) this.measure(e);
      return e.promise;
    }
    this.misses++;
    const entry = this.start(key, load);
    this.put(key, entry);
    return entry.promise;
  }

  /** The next `get` of these keys reads again; reads in flight for them are not kept. */
  invalidate(keys: Iterable<K>): void {
    for (const k of keys) this.drop(k);
  }

  /** The settled value kept for a key, if any (no read, no expiry check, not counted as a use). */
  peek(key: K): V | undefined {
    const e = this.entries.get(key);
    return e?.settled ? e.value : undefined;
  }

  /**
   * Drops the entries whose value matches. A read in flight may predate the change: it is checked
   * against the predicate when it settles and kept only if it does not match (disowning every read in
   * flight instead made a steady stream of writes empty the cache as fast as reads filled it).
   */
  invalidateWhere(match: (value: V) => boolean): void {
    for (const [k, e] of this.entries) if (e.settled && match(e.value as V)) this.drop(k);
    if (!this.inFlight) return;
    this.predicates.push({ seq: ++this.seq, match });
    if (this.predicates.length > MAX_PENDING_PREDICATES) {
      // too many to keep: the reads in flight are not kept (they are answered to their callers)
      for (const [k, e] of this.entries) if (!e.settled) this.drop(k);
      this.predicates = [];
    }
  }

  clear(): void {
    for (const e of this.entries.values()) e.bytes = 0;
    this.entries.clear();
    this.totalBytes = 0;
  }

  /** Stops a pending batched refresh (shutdown). */
  close(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.dueRefresh.clear();
  }

  private start(key: K, load: () => Promise<V>): Entry<V> {
    this.inFlight++;
    const entry: Entry<V> = {
      seq: this.seq,
      startedAt: this.now(),
      life: this.life(),
      promise: undefined as unknown as Promise<V>,
      settled: false,
      refreshing: false,
      bytes: 0,
    };
    entry.promise = load().then(
      (v) => {
        entry.outdated = this.predicates.some((p) => p.seq > entry.seq && p.match(v));
        this.settle();
        entry.settled = true;
        entry.value = v;
        if (this.entries.get(key) === entry) {
          if ((this.opts.keep && !this.opts.keep(v)) || entry.outdated) this.drop(key);
          else this.measure(entry);
        }
        return v;
      },
      (err: unknown) => {
        this.settle();
        if (this.entries.get(key) === entry) this.drop(key);
        throw err;
      },
    );
    return entry;
  }

  /** A new entry's share of the time to live. */
  private life(): number {
    const jitter = this.opts.ttlJitter ?? 0;
    return jitter > 0 ? 1 - jitter * (this.opts.random ?? Math.random)() : 1;
  }

  /** A read settled: with none left in flight, no predicate is waited on any more. */
  private settle(): void {
    if (--this.inFlight === 0) this.predicates = [];
  }

  /** Keeps `entry` for `key` (replacing what was there), then applies the bounds. */
  private put(key: K, entry: Entry<V>): void {
    this.drop(key);
    this.entries.set(key, entry);
    if (entry.settled) this.measure(entry);
    else this.evict();
  }

  /** A settled background read takes the key's place (and its position in the use order). */
  private replace(key: K, next: Entry<V>): void {
    const old = this.entries.get(key);
    if (old) {
      this.totalBytes -= old.bytes;
      old.bytes = 0;
    }
    this.entries.set(key, next);
    this.measure(next);
  }

  private drop(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.totalBytes -= e.bytes;
    e.bytes = 0;
    this.entries.delete(key);
  }

  /** Counts a kept, settled entry at its current size, then applies the bounds. */
  private measure(e: Entry<V>): void {
    if (this.opts.sizeOf) {
      const bytes = Math.max(0, this.opts.sizeOf(e.value as V));
      this.totalBytes += bytes - e.bytes;
      e.bytes = bytes;
    }
    this.evict();
  }

  /** Least recently used first, until both bounds hold (reads in flight count 0 bytes until they settle). */
  private evict(): void {
    const maxBytes = this.opts.maxBytes ?? Infinity;
    while (this.entries.size > this.opts.maxEntries || (this.totalBytes > maxBytes && this.entries.size > 0)) {
      this.drop(this.entries.keys().next().value as K);
    }
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
        if ((this.opts.keep && !this.opts.keep(v)) || next.outdated) this.drop(key);
        else if (this.opts.same && this.opts.same(stale.value as V, v)) {
          stale.startedAt = next.startedAt;
          stale.life = next.life;
          stale.refreshing = false;
        } else this.replace(key, next);
      },
      (err: Error) => {
        stale.refreshing = false;
        // under a hard bound on age the stale value must not pass for fresh: it ages out as it is
        if (this.opts.maxAgeMs === undefined) stale.startedAt = this.now(); // retry after another ttl, not on every request
        this.opts.onRefreshError?.(err);
      },
    );
  }
}
