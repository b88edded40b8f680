import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { Neo4jClient } from '../graph/neo4j.client';
import { GraphChange, GraphChanges } from './graph-changes';

/** A mutation waits at most this long for Redis to take its change (then answers; the others see it within their TTL). */
const PUBLISH_TIMEOUT_MS = 500;
/** A request waits at most this long for a user's write version (then serves what it holds). */
const VERSION_TIMEOUT_MS = 100;
/** Write versions outlive every cache lifetime; an expired one only costs a reader one more read. */
const VERSION_TTL_S = 3_600;

const withTimeout = async <T>(p: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** One change on the wire: who made it, what, and the Neo4j bookmarks a reader must wait for. */
export interface RelayedChange {
  origin: string;
  change: GraphChange;
  bookmarks: string[];
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A message from the channel, or null when it is not one (another version's, or garbage). */
export function parseRelayedChange(raw: string): RelayedChange | null {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { origin, change, bookmarks } = m as Record<string, unknown>;
  if (typeof origin !== 'string' || !strings(bookmarks) || typeof change !== 'object' || change === null) return null;
  const c = change as Record<string, unknown>;
  switch (c.kind) {
    case 'userEdges':
    case 'usersDeleted':
      return strings(c.userIds) ? { origin, bookmarks, change: { kind: c.kind, userIds: c.userIds } } : null;
    case 'itemsUpserted':
    case 'itemsHidden':
    case 'itemsDeleted':
      return strings(c.itemIds) ? { origin, bookmarks, change: { kind: c.kind, itemIds: c.itemIds } } : null;
    case 'everything':
      return { origin, bookmarks, change: { kind: 'everything' } };
    case 'modelActivated':
      return typeof c.versionId === 'string' ? { origin, bookmarks, change: { kind: c.kind, versionId: c.versionId } } : null;
    default:
      return null;
  }
}

/**
 * The change feed between API processes (and workers) on the same Redis: the only code that touches
 * the `graph-changes` channel. Each change made here is published before the mutation answers, with
 * this process's Neo4j bookmarks (so a reader elsewhere waits for the write, even on another cluster
 * member); changes published by other processes are applied here. While the subscription is down,
 * GraphChanges says so (`relayed` false) and serving keeps graph state only briefly.
 */
@Injectable()
export class GraphChangesRelay implements OnModuleDestroy {
  private readonly logger = new Logger(GraphChangesRelay.name);
  /** this process, so it skips its own messages (it applied them before publishing) */
  readonly origin = randomUUID();
  private readonly channel: string;
  private readonly versionPrefix: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private closing = false;

  constructor(
    private readonly changes: GraphChanges,
    private readonly neo4j: Neo4jClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = `${config.REDIS_PREFIX}:graph-changes`;
    const options = {
      host: config.REDIS_HOST,
      port: config.REDIS_PORT,
      password: config.REDIS_PASSWORD || undefined,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    };
    // Fail at once while disconnected: a mutation never waits for a Redis that is down.
    this.pub = new Redis({ ...options, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // Subscribed again by hand on each connect, so `relayed` turns true only once messages flow.
    this.sub = new Redis({ ...options, autoResubscribe: false, maxRetriesPerRequest: null });
    const quiet = () => undefined;
    this.pub.on('error', quiet);
    this.sub.on('error', (err: Error) => {
      if (this.changes.relayed) this.logger.warn(`change feed lost, serving keeps graph state briefly: ${err.message}`);
    });
    this.sub.on('close', () => this.changes.setRelayed(false));
    this.sub.on('ready', () => void this.subscribe());
    this.sub.on('message', (channel: string, raw: string) => void this.apply(channel, raw));
    changes.setRelayed(false);
    this.versionPrefix = `${config.REDIS_PREFIX}:user-version:`;
    changes.relayTo(
      (c) => this.send(c),
      (id) => this.userVersion(id),
    );
  }

  private async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.channel);
      this.changes.setRelayed(true);
      this.logger.log(`change feed relayed through Redis (${this.channel})`);
    } catch (err) {
      if (!this.closing) this.logger.warn(`change feed subscription failed: ${(err as Error).message}`);
    }
  }

  private async apply(channel: string, raw: string): Promise<void> {
    if (channel !== this.channel) return;
    const m = parseRelayedChange(raw);
    if (!m) {
      this.logger.warn('change feed: a message that is not a change was ignored');
      return;
    }
    if (m.origin === this.origin) return;
    // the next reads of this process wait for the writer's transactions, then the caches drop
    await this.neo4j.follow(m.bookmarks).catch(() => undefined);
    this.changes.receive(m.change);
  }

  private async userVersion(userId: string): Promise<string | undefined> {
    try {
      return (await withTimeout(this.pub.get(this.versionPrefix + userId), VERSION_TIMEOUT_MS)) ?? '0';
    } catch {
      return undefined;
    }
  }

  private async send(change: GraphChange): Promise<void> {
    try {
      const bookmarks = await this.neo4j.lastBookmarks();
      const message = JSON.stringify({ origin: this.origin, change, bookmarks } satisfies RelayedChange);
      // the users' write versions move first, in the same round trip: a reader that asks after this
      // answer sees the new version even before the message reaches it
      const tx = this.pub.multi();
      if (change.kind === 'userEdges' || change.kind === 'usersDeleted')
        for (const id of change.userIds) tx.incr(this.versionPrefix + id).expire(this.versionPrefix + id, VERSION_TTL_S);
      tx.publish(this.channel, message);
      await withTimeout(tx.exec(), PUBLISH_TIMEOUT_MS);
    } catch (err) {
      // the write happened: it answers; other processes see it within their cache lifetime
      this.logger.warn(`change not relayed to the other processes: ${(err as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
