import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { GraphChanges } from '../ingestion/graph-changes';
import { TombstonesRepository } from '../ingestion/tombstones.repository';
import { ArtifactCache } from './artifact-cache';
import { loadArtifacts, ModelArtifacts, releaseArtifacts } from './artifacts';
import { buildItemIndexes } from './item-indexes';
import { ModelKind, ModelVersionEntity } from './model-version.entity';
import { ModelRegistryRepository } from './model-registry.repository';
import { maskUsers } from './user-mask';
import { SliceChoice, switchedVersions } from './slice-choice';

export interface ServingModel {
  version: ModelVersionEntity;
  model: ModelArtifacts;
}

/**
 * The active version's slice table and the versions it makes serve, loaded (slice-choice.ts). `models` has a
 * slice only where another version serves it and routing is on (SLICE_MODEL_CHOICE); a version named by the
 * table that failed to load is left out (its slices keep the active model).
 */
export interface SliceRouting {
  activeVersionId: string;
  table: SliceChoice[];
  enabled: boolean;
  models: Map<string, ServingModel>;
}

/** How long a replaced model stays loaded so requests already holding it can finish. */
const RELEASE_GRACE_MS = 30_000;
/** How often serving checks the registry for a version promoted by another process. */
const POLL_MS = 5_000;
/** A version that failed to load is tried again by the poll after this long (not every POLL_MS: each try may fetch megabytes). */
const RETRY_REFUSED_MS = 60_000;

/**
 * Holds the loaded models and swaps them atomically. A request takes `active()` once and uses that
 * object to the end, so a swap never changes a model under a running request; the new version is
 * loaded and validated completely before the reference changes, so a bad artefact never serves.
 */
@Injectable()
export class ModelStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ModelStore.name);
  private current: ServingModel | null = null;
  private routing: SliceRouting | null = null;
  private readonly byKind = new Map<ModelKind, ServingModel>();
  private readonly pending = new Map<string, Promise<ServingModel>>();
  private timer?: NodeJS.Timeout;
  private readonly releases = new Set<NodeJS.Timeout>();
  /** users deleted by this process since start: applied to loads whose tombstone read may predate them */
  private readonly deletedUsers = new Set<string>();
  /** the poll's tombstone reads start here (deletes by other processes); a margin covers clock skew */
  private tombstonesSince = 0;
  private readonly unsubscribe: () => void;
  /** versions the poll could not load: id → when, with why (logged once per try) */
  private readonly refused = new Map<string, number>();
  /** the cache's last prune: loads wait for it, so a folder is never deleted under a load */
  private pruning: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | null = null;
  private resync = false;
  private readonly preparers: Array<(model: ModelArtifacts) => Promise<void>> = [];

  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly artifacts: ArtifactCache,
    @Optional() private readonly tombstones?: TombstonesRepository,
    @Optional() changes?: GraphChanges,
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<AppConfig, 'ANN_MIN_ITEMS' | 'SLICE_MODEL_CHOICE'>,
  ) {
    this.unsubscribe =
      changes?.subscribe((c) => {
        if (c.kind === 'usersDeleted') this.forgetUsers(c.userIds);
        // promoted or rolled back through another process: follow now, not at the next poll
        if (c.kind === 'modelActivated' && this.current?.version.id !== c.versionId) this.syncOnce();
      }) ?? (() => undefined);
  }

  /** Masks deleted users in every model this store holds (before deleteUser answers). */
  forgetUsers(ids: string[]): void {
    for (const id of ids) this.deletedUsers.add(id);
    for (const m of this.held()) maskUsers(m.model, ids);
  }

  async onModuleInit(): Promise<void> {
    await this.sync().catch((err: Error) => this.logger.warn(`no model loaded at start-up: ${err.message}`));
    this.timer = setInterval(() => this.syncOnce(), POLL_MS);
    this.timer.unref();
  }

  active(): ServingModel | null {
    return this.current;
  }

  /** The active model and its slice routing, taken together (a swap replaces both at once). */
  routed(): { serving: ServingModel | null; routing: SliceRouting | null } {
    return { serving: this.current, routing: this.routing };
  }

  /**
   * Work a loaded model needs before it serves (the catalogue's view of it), run by `load` after the indexes.
   * A failure is logged and leaves the work to the model's first request.
   */
  prepareWith(prepare: (model: ModelArtifacts) => Promise<void>): void {
    this.preparers.push(prepare);
  }

  /** The models this store holds (those a request may be using). */
  servingModels(): ModelArtifacts[] {
    return [...this.held()].map((m) => m.model);
  }

  /** Every model this store holds: the active one, one per kind, and those the slice table makes serve. */
  private held(): Set<ServingModel> {
    const all = [this.current, ...this.byKind.values(), ...(this.routing?.models.values() ?? [])];
    return new Set(all.filter((m): m is ServingModel => !!m));
  }

  /**
   * The routing for `active` by its slice table: loads the versions the table switches slices to, and only
   * those (none when SLICE_MODEL_CHOICE is off), reusing a model this store already holds. A version that
   * does not load leaves its slices on the active model (logged): serving never waits on it.
   */
  async sliceRouting(active: ServingModel, table: SliceChoice[]): Promise<SliceRouting> {
    const enabled = this.config?.SLICE_MODEL_CHOICE ?? false;
    const models = new Map<string, ServingModel>();
    if (enabled) {
      const byId = new Map([...this.held()].map((m) => [m.version.id, m]));
      byId.set(active.version.id, active);
      for (const id of switchedVersions(table)) {
        let m = byId.get(id);
        if (!m) {
          const version = await this.registry.get(id);
          m = version
            ? await this.load(version).catch((err: Error) => void this.logger.error(`slice model ${id} not loaded: ${err.message}`))
            : undefined;
          if (!m) continue;
          byId.set(id, m);
        }
        for (const r of table) if (r.versionId === id) models.set(r.slice, m);
      }
    }
    return { activeVersionId: active.version.id, table, enabled, models };
  }

  /** The model for `kind`: the active one when it is of that kind, else the latest activated version of it. */
  async ofKind(kind: ModelKind): Promise<ServingModel | null> {
    if (this.current?.version.kind === kind) return this.current;
    const cached = this.byKind.get(kind);
    const latest = await this.registry.latestActivatedOfKind(kind);
    if (!latest) return null;
    if (cached?.version.id === latest.id) return cached;
    const loaded = await this.load(latest);
    this.replace(this.byKind.get(kind), loaded);
    this.byKind.set(kind, loaded);
    return loaded;
  }

  /**
   * Loads and validates a version without serving it (the gate before promotion): its files come
   * from the run folder or, on a host without it, from the registry database through this replica's
   * cache, every one checked against the registry's sha256 (ArtifactCache). Tombstoned
   * (deleted) users are masked out of it before anyone can use it: whichever version, so a
   * rollback to a model trained before a deleteUser never serves the user's vector or attention.
   */
  async load(version: ModelVersionEntity): Promise<ServingModel> {
    const inflight = this.pending.get(version.id);
    if (inflight) return inflight;
    const p = (async () => {
      await this.pruning;
      const t0 = performance.now();
      const { dir, fetched } = await this.artifacts.resolve(version);
      if (fetched.length) {
        const bytes = fetched.reduce((n, f) => n + f.bytes, 0);
        this.logger.log(
          `model ${version.id}: ${fetched.length} artefact(s), ${bytes} bytes fetched from the registry into ${dir} and verified in ${Math.round(performance.now() - t0)} ms`,
        );
      }
      const model = await loadArtifacts(dir);
      try {
        const deleted = this.tombstones ? await this.tombstones.list('user') : [];
        const masked = maskUsers(model, [...deleted.map((t) => t.id), ...this.deletedUsers]);
        if (masked) this.logger.log(`model ${version.id}: ${masked} deleted user(s) masked`);
      } catch (err) {
        await releaseArtifacts(model); // never served without its mask
        throw err;
      }
      // Built before the model can serve, held by it: swapped and released with it. A failure leaves exact scoring.
      await buildItemIndexes(model, this.config?.ANN_MIN_ITEMS ?? Infinity, version.id, this.logger);
      for (const prepare of this.preparers)
        await prepare(model).catch((err: Error) => this.logger.warn(`model ${version.id}: not prepared before serving (${err.message})`));
      return { version, model };
    })();
    this.pending.set(version.id, p);
    try {
      return await p;
    } finally {
      this.pending.delete(version.id);
    }
  }

  /** Releases the models a routing loaded that nothing holds (a promotion that failed after preparing it). */
  async discard(routing: SliceRouting): Promise<void> {
    const held = this.held();
    const loose = new Set([...routing.models.values()].filter((m) => !held.has(m)));
    await Promise.allSettled([...loose].map((m) => releaseArtifacts(m.model)));
  }

  /**
   * Serves `next` (and, when given, its slice routing: `routing` null drops the previous version's) from now
   * on; the models no longer held are released after a grace period.
   */
  swap(next: ServingModel, routing: SliceRouting | null = null): void {
    const before = this.held();
    this.current = next;
    this.byKind.set(next.version.kind, next);
    this.routing = routing;
    // The model that served, the one this kind held (each promotion loads fresh sessions) and the previous
    // routing's are released after the grace period unless something still serves them.
    const now = this.held();
    for (const old of before) if (!now.has(old)) this.replace(old, null);
    const switched = routing?.enabled ? switchedVersions(routing.table).length : 0;
    this.logger.log(`serving model ${next.version.kind} ${next.version.id}${switched ? ` (+${switched} version(s) for slices)` : ''}`);
    this.pruneCache();
  }

  /** Drops cached artefacts of versions this store neither holds nor is loading (they come back from the registry if needed). */
  private pruneCache(): void {
    const holds = (id: string) => this.pending.has(id) || [...this.held()].some((m) => m.version.id === id);
    this.pruning = this.pruning
      .then(() => this.artifacts.prune(holds))
      .then(
        (gone) => {
          if (gone.length) this.logger.log(`artefact cache: ${gone.length} version(s) no longer held removed`);
        },
        (err: Error) => this.logger.warn(`artefact cache prune failed: ${err.message}`),
      );
  }

  /** Masks the users deleted by other processes since the last poll in the models held. */
  private async followTombstones(): Promise<void> {
    if (!this.tombstones) return;
    const fresh = await this.tombstones.list('user', '', this.tombstonesSince);
    if (!fresh.length) return;
    this.forgetUsers(fresh.map((t) => t.id));
    this.tombstonesSince = Math.max(...fresh.map((t) => t.at)) - 60_000;
  }

  /**
   * One sync at a time (the poll and relayed activations share it), so a version is never loaded
   * twice at once; asked for during one, another runs after it (the running one may have read the
   * registry before the activation).
   */
  private syncOnce(): void {
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = this.sync()
      .catch((err: Error) => this.logger.warn(`model sync failed: ${err.message}`))
      .finally(() => {
        this.syncing = null;
        if (this.resync) {
          this.resync = false;
          this.syncOnce();
        }
      });
  }

  /**
   * Makes serving follow the registry's ACTIVE version (promotions by another process included),
   * and the models held follow the users deleted by other processes (within POLL_MS).
   */
  async sync(): Promise<void> {
    await this.followTombstones().catch((err: Error) => this.logger.warn(`tombstone poll failed: ${err.message}`));
    const active = await this.registry.active();
    if (!active) return;
    const table = await this.registry.sliceChoices(active.id);
    if (this.current?.version.id === active.id) {
      // the same version with a rewritten table (promoted again, or corrected): only the routing changes
      if (this.current && tableKey(table) !== tableKey(this.routing?.table ?? []))
        this.swap(this.current, await this.sliceRouting(this.current, table));
      return;
    }
    const failedAt = this.refused.get(active.id);
    if (failedAt !== undefined && Date.now() - failedAt < RETRY_REFUSED_MS) return;
    let next: ServingModel;
    try {
      next = await this.load(active);
    } catch (err) {
      this.refused.set(active.id, Date.now());
      const keeps = this.current ? `keeps serving ${this.current.version.id}` : 'serves no model';
      throw new Error(
        `active version ${active.id} not loaded (${keeps}; next try in ${RETRY_REFUSED_MS / 1000} s): ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.refused.delete(active.id);
    this.swap(next, await this.sliceRouting(next, table));
  }

  private replace(prev: ServingModel | undefined | null, _next: ServingModel | null): void {
    if (!prev || prev === this.current) return;
    const t = setTimeout(() => {
      this.releases.delete(t);
      if (!this.held().has(prev)) void releaseArtifacts(prev.model); // held again since (a slice table reuses it)
    }, RELEASE_GRACE_MS);
    t.unref();
    this.releases.add(t);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    for (const t of this.releases) clearTimeout(t);
    await Promise.allSettled([...this.held()].map((m) => releaseArtifacts(m.model)));
  }
}

/** What a slice table routes (slice → version), to tell whether a re-read table changed. */
const tableKey = (t: SliceChoice[]): string =>
  t
    .map((r) => `${r.slice}=${r.versionId}`)
    .sort()
    .join(',');
