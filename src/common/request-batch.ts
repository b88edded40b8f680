/**
 * Loads by key in one call per GraphQL request and tick: field resolvers of many parents (each
 * recommendation's `item { createdAt }`, say) ask for one key each, and the keys asked for in the same
 * tick go to `fetch` together. Results are kept for the request (keyed by its context object, so
 * they go with it); a key `fetch` does not return resolves to undefined.
 */
export class RequestBatch<V> {
  private readonly perRequest = new WeakMap<object, { done: Map<string, Promise<V | undefined>>; queued: Map<string, Deferred<V>> }>();

  constructor(
    private readonly fetch: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxKeys = 1_000,
  ) {}

  load(request: object, key: string): Promise<V | undefined> {
    let state = this.perRequest.get(request);
    if (!state) this.perRequest.set(request, (state = { done: new Map(), queued: new Map() }));
    const known = state.done.get(key);
    if (known) return known;
    const deferred = new Deferred<V>();
    state.done.set(key, deferred.promise);
    state.queued.set(key, deferred);
    if (state.queued.size === 1) process.nextTick(() => void this.flush(state));
    else if (state.queued.size >= this.maxKeys) void this.flush(state);
    return deferred.promise;
  }

  private async flush(state: { queued: Map<string, Deferred<V>> }): Promise<void> {
    const batch = new Map(state.queued);
    state.queued.clear();
    if (!batch.size) return;
    try {
      const found = await this.fetch([...batch.keys()]);
      for (const [key, d] of batch) d.resolve(found.get(key));
    } catch (err) {
      for (const d of batch.values()) d.reject(err);
    }
  }
}

class Deferred<V> {
  resolve!: (v: V | undefined) => void;
  reject!: (err: unknown) => void;
  readonly promise = new Promise<V | undefined>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}
