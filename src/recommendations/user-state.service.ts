import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { GraphChange, GraphChanges, UNRELAYED_STATE_MAX_AGE_MS } from '../ingestion/graph-changes';
import { ModelArtifacts } from '../model-registry/artifacts';
import { MODEL_KINDS } from '../model-registry/model-kinds';
import { ownedSetBytes, sharedSetBytes, userContextBytes } from './cache-size';
import type { Slots } from './catalogue-build';
import { ReadCache } from './read-cache';
import { ContextLimits, RecommendationsRepository, UserContext } from './recommendations.repository';

/** Items read per user to exclude what they have seen, friends read, and items per friend (friends' picks, explanations). */
export const CONTEXT_MAX_ITEMS = 5_000;
export const CONTEXT_MAX_FRIENDS = 500;
export const CONTEXT_MAX_FRIEND_ITEMS = 1_000;
const LIMITS: ContextLimits = { items: CONTEXT_MAX_ITEMS, friends: CONTEXT_MAX_FRIENDS, friendItems: CONTEXT_MAX_FRIEND_ITEMS };
/** At most this many hidden items are read (the rest are known from the catalogue cache). */
export const CONTEXT_MAX_HIDDEN = 10_000;
/**
 * A user's cached state is dropped at once by writes through any API process for the user or one of
 * their friends (GraphChanges, relayed between processes through Redis); writes from outside the API
 * (the importer, Neo4j Browser) show within this long. While the relay is down, state is kept at
 * most UNRELAYED_STATE_MAX_AGE_MS.
 */
export const USER_STATE_TTL_MS = 30_000;
/**
 * Each user's state lives between half the TTL and the TTL (drawn per read): users first asked in one
 * burst (a deploy, a campaign, a bench's warm-up) would otherwise all expire, and be refreshed from
 * Neo4j, in the same seconds, every 30 s. A refresh is one small fingerprint read per user (~0.2–0.7 ms of
 * Neo4j CPU on the dev box), so the ~33% more of them cost little.
 */
export const USER_STATE_TTL_JITTER = 0.5;
/** Users kept; their estimated bytes are bounded by CACHE_MAX_BYTES too (whichever bound is hit first). */
export const USER_STATE_MAX_USERS = 10_000;
/**
 * Rankings and vectors derived from a user's state are counted as they are added and never
 * uncounted (a ranking for a catalogue that has since changed cannot be seen leaving its WeakMap):
 * the count stops at this bound, what the live ones can reach (a deep ranking, ranking.ts's
 * DEEP_DEPTH = 1,256 slots of 12 bytes, and a 1,024-wide vector for each model kind and the active model).
 */
export const DERIVED_MAX_BYTES = (MODEL_KINDS.length + 1) * (1_256 * 12 + 4 * 1_024 + 256);
/** The scope's hidden items: dropped at once by hideItems/unhideItems/deleteItems through any API process; other writers' within this long. */
export const HIDDEN_TTL_MS = 10_000;

export type ServingPath = 'FOLD_IN' | 'FRIENDS' | 'POPULAR';

/** A user's vector for one model (null: no usable signal, popularity). */
export interface UserVector {
  path: ServingPath;
  userVec: Float32Array | null;
}

/**
 * The best slots of one user's ranking against one slot list (model + catalogue read), seen items
 * already left out, best first (ties: lower slot); requests take their page from it after their own
 * exclusions (hidden items, filters).
 */
export interface BaseRanking {
  path: ServingPath;
  userVec: Float32Array | null;
  order: Int32Array;
  scores: Float64Array;
  /** true when `order` holds every slot with a finite score (nothing was cut off) */
  complete: boolean;
}

export interface HiddenItems {
  /** hidden items and deleted (tombstoned) ones: a model trained before a delete still holds the item */
  ids: Set<string>;
  /** false when the hidden ones were capped: the catalogue's hidden flags then count too */
  complete: boolean;
  /** estimated bytes, measured once when read */
  bytes: number;
}

/** What serving derived from one read of a user's context; dropped with it. */
export interface UserState {
  ctx: UserContext;
  /** the user's seen item ids */
  seen: Set<string>;
  /** the friends' ids (a friend's write drops this state: one lookup per cached user and write) */
  friendIds: Set<string>;
  vectors: WeakMap<ModelArtifacts, Promise<UserVector>>;
  rankings: WeakMap<Slots, Promise<BaseRanking>>;
  /** estimated bytes of ctx and seen, measured once when read */
  readBytes: number;
  /** estimated bytes of the vectors and rankings added since (see addDerivedBytes) */
  derivedBytes: number;
  /** the user's write version read just before the state (GraphChanges.userVersion); undefined: not known */
  version?: string;
}

/** Counts a vector or ranking kept with the user's state toward the cache's byte bound. */
export function addDerivedBytes(state: UserState, bytes: number): void {
  state.derivedBytes = Math.min(DERIVED_MAX_BYTES, (state.derivedBytes || 0) + bytes);
}

/** What a user's state is estimated to hold (O(1): the cache asks on every hit). */
export const userStateBytes = (s: UserState): number => s.readBytes + s.derivedBytes;

/**
 * Per-user serving state (interactions, friends, and the vectors and rankings derived from them)
 * and the scope's hidden items, read from Neo4j and kept in process until this process's
 * ingestion writes touch them (GraphChanges) or they expire. Neo4j stays the source of truth: a
 * cache miss is one Cypher round trip, and a write answered by this process is seen by its next
 * request.
 */
@Injectable()
export class UserStateService implements OnModuleDestroy {
  private readonly logger = new Logger(UserStateService.name);
  private readonly users: ReadCache<string, UserState>;
  private readonly hiddenItems: ReadCache<'hidden', HiddenItems>;
  private readonly unsubscribe: () => void;
  /** expired users kept because their fingerprint had not changed */
  private unchangedRefreshes = 0;

  constructor(
    private readonly repo: RecommendationsRepository,
    private readonly changes: GraphChanges,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const onRefreshError = (err: Error) => this.logger.warn(`serving state refresh failed: ${err.message}`);
    this.users = new ReadCache({
      ttlMs: USER_STATE_TTL_MS,
      ttlJitter: USER_STATE_TTL_JITTER,
      maxEntries: USER_STATE_MAX_USERS,
      maxBytes: config.CACHE_MAX_BYTES,
      sizeOf: userStateBytes,
      keep: (s) => s.ctx.found,
      // an expired user whose graph did not change keeps the vectors and rankings derived from it
      same: (a, b) => sameContext(a.ctx, b.ctx),
      // users warmed together expire together: their refreshes go to Neo4j in batches, and only
      // the users whose context fingerprint changed are read again
      refreshMany: (keys) => this.refresh(keys),
      onRefreshError,
    });
    this.hiddenItems = new ReadCache({
      ttlMs: HIDDEN_TTL_MS,
      maxEntries: 1,
      // at most CONTEXT_MAX_HIDDEN ids; counted so the bound covers it, though one entry is never evicted for another
      maxBytes: config.CACHE_MAX_BYTES,
      sizeOf: (h) => h.bytes,
      onRefreshError,
      same: (a, b) => a.complete === b.complete && a.ids.size === b.ids.size && [...a.ids].every((id) => b.ids.has(id)),
    });
    this.unsubscribe = changes.subscribe((c) => this.onChange(c));
    this.followRelay(changes.relayed);
  }

  /** Normal lifetimes while other processes' changes arrive; a short, hard bound on age while they do not. */
  private followRelay(relayed: boolean): void {
    this.users.setLifetime(relayed ? USER_STATE_TTL_MS : UNRELAYED_STATE_MAX_AGE_MS, relayed ? undefined : UNRELAYED_STATE_MAX_AGE_MS);
    this.hiddenItems.setLifetime(relayed ? HIDDEN_TTL_MS : UNRELAYED_STATE_MAX_AGE_MS, relayed ? undefined : UNRELAYED_STATE_MAX_AGE_MS);
  }

  /**
   * The user's state (found = false for an unknown user, never kept). One Redis read first (the
   * user's write version): a state cached at another version is read again, so a write answered by
   * another replica is seen even before its relayed change arrives.
   */
  async state(userId: string): Promise<UserState> {
    const version = await this.changes.userVersion(userId);
    const cached = this.users.peek(userId);
    if (version !== undefined && cached && cached.version !== version) this.users.invalidate([userId]);
    return this.users.get(userId, async () => {
      const s = (await this.read([userId])).get(userId)!;
      s.version = version;
      return s;
    });
  }

  private async read(userIds: string[]): Promise<Map<string, UserState>> {
    const ctxs = await this.repo.userContexts(userIds, LIMITS);
    const out = new Map<string, UserState>();
    for (const id of userIds) {
      const ctx = ctxs.get(id) ?? { found: false, items: [], friends: [] };
      const seen = new Set(ctx.items.map((i) => i.id));
      const friendIds = new Set(ctx.friends.map((f) => f.id));
      const readBytes = userContextBytes(ctx) + sharedSetBytes(seen.size) + sharedSetBytes(friendIds.size);
      out.set(id, { ctx, seen, friendIds, vectors: new WeakMap(), rankings: new WeakMap(), readBytes, derivedBytes: 0 });
    }
    return out;
  }

  /**
   * Expired users: one small fingerprint row each (user-context-fingerprint); a user whose
   * fingerprint is unchanged keeps its state (and the vectors and rankings derived from it), the
   * others are read again.
   */
  private async refresh(userIds: string[]): Promise<Map<string, UserState>> {
    const fingerprints = await this.repo.contextFingerprints(userIds, LIMITS);
    const out = new Map<string, UserState>();
    const changed: string[] = [];
    for (const id of userIds) {
      const cached = this.users.peek(id);
      if (cached?.ctx.fingerprint !== undefined && cached.ctx.fingerprint === fingerprints.get(id)) {
        out.set(id, cached);
        this.unchangedRefreshes++;
      } else changed.push(id);
    }
    if (changed.length) for (const [id, s] of await this.read(changed)) out.set(id, s);
    return out;
  }

  /**
   * The scope's items withheld now: hidden ones (`complete` unless there are more than
   * CONTEXT_MAX_HIDDEN) and every deleted one.
   */
  hidden(prefix: string): Promise<HiddenItems> {
    return this.hiddenItems.get('hidden', async () => {
      const [ids, deleted] = await Promise.all([this.repo.hiddenItems(prefix, CONTEXT_MAX_HIDDEN), this.repo.deletedItems(prefix)]);
      const all = [...ids, ...deleted];
      return { ids: new Set(all), complete: ids.length < CONTEXT_MAX_HIDDEN, bytes: ownedSetBytes(all) };
    });
  }

  /** Cache hit counts since start (for the benchmark's profile). */
  stats(): { userHits: number; userMisses: number; cachedUsers: number; cachedBytes: number; unchangedRefreshes: number } {
    return {
      userHits: this.users.hits,
      userMisses: this.users.misses,
      cachedUsers: this.users.size,
      cachedBytes: this.users.bytes,
      unchangedRefreshes: this.unchangedRefreshes,
    };
  }

  /** Drops every cached user and the hidden set (the benchmark's cold pass). */
  clear(): void {
    this.users.clear();
    this.hiddenItems.clear();
  }

  onChange(c: GraphChange): void {
    switch (c.kind) {
      case 'userEdges': {
        // the writers, and the cached users who count them as friends (friends' picks, explanations)
        this.users.invalidate(c.userIds);
        const [w] = c.userIds;
        this.users.invalidateWhere(c.userIds.length === 1 ? (s) => s.friendIds.has(w) : (s) => c.userIds.some((id) => s.friendIds.has(id)));
        break;
      }
      case 'itemsHidden':
        this.hiddenItems.clear();
        break;
      case 'itemsDeleted':
        // other users' interactions with them are gone too; rare enough to drop everyone
        this.hiddenItems.clear();
        this.users.clear();
        break;
      case 'usersDeleted':
        // their friends' state names them
        this.users.clear();
        break;
      case 'everything':
        // the relay to other processes was lost or came back: changes may have been missed
        this.followRelay(this.changes.relayed);
        this.hiddenItems.clear();
        this.users.clear();
        break;
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.users.close();
  }
}

/** The same interactions (in order, with weights, times and titles), friends and friends' items. */
export function sameContext(a: UserContext, b: UserContext): boolean {
  return (
    a.found === b.found &&
    a.items.length === b.items.length &&
    a.friends.length === b.friends.length &&
    a.items.every(
      (x, n) => x.id === b.items[n].id && x.weight === b.items[n].weight && x.lastTs === b.items[n].lastTs && x.title === b.items[n].title,
    ) &&
    a.friends.every((f, n) => f.id === b.friends[n].id && f.name === b.friends[n].name && sameIds(f.items, b.friends[n].items))
  );
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, n) => x === b[n]);
}
