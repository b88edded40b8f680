import { Injectable, Logger } from '@nestjs/common';

/**
 * What a write of the ingestion API changed, published after the write (committed or failed: a
 * failed commit may still have landed). Readers that cache graph state (serving) drop what it
 * touched, so the next read after a mutation's answer sees the write.
 * - `userEdges`: these users' interactions or friendships changed (or the users were created/renamed)
 * - `itemsUpserted`: these items were created or their title, tags or attributes changed
 * - `itemsHidden`: these items were hidden or unhidden
 * - `itemsDeleted` / `usersDeleted`: removed with every edge (other users' state may refer to them)
 * - `everything`: changes may have been missed (the cross-process relay was lost or came back)
 * - `modelActivated`: a model version was promoted or rolled back to (serving follows the registry)
 */
export type GraphChange =
  | { kind: 'userEdges'; userIds: string[] }
  | { kind: 'itemsUpserted'; itemIds: string[] }
  | { kind: 'itemsHidden'; itemIds: string[] }
  | { kind: 'itemsDeleted'; itemIds: string[] }
  | { kind: 'usersDeleted'; userIds: string[] }
  | { kind: 'everything' }
  | { kind: 'modelActivated'; versionId: string };

/**
 * While other processes' changes do not arrive (`relayed` false), readers keep graph state at most
 * this long: the staleness a replica cut off from Redis reports on /health/ready.
 */
export const UNRELAYED_STATE_MAX_AGE_MS = 2_000;

export type GraphChangeListener = (change: GraphChange) => void;

/** Sends a change to the other processes; resolves once it is handed over (or has failed and was logged). */
export type GraphChangeOutbound = (change: GraphChange) => Promise<void>;

/**
 * A user's write version, shared by every process: it changes (before the change is published)
 * with each write for the user through any API process. undefined: not known now (no relay, Redis down).
 */
export type UserWriteVersion = (userId: string) => Promise<string | undefined>;

/**
 * Change feed of the graph's write side. Local listeners run synchronously before the mutation
 * answers; when a relay is attached (GraphChangeRelay, through Redis), the change is also handed to
 * the other API processes before the mutation answers, and theirs arrive through `receive`.
 */
@Injectable()
export class GraphChanges {
  private readonly logger = new Logger(GraphChanges.name);
  private readonly listeners = new Set<GraphChangeListener>();
  private outbound: GraphChangeOutbound | null = null;
  private versionOf: UserWriteVersion | null = null;
  private relayLive = true;

  subscribe(listener: GraphChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** This process's listeners only (a change made here, or one relayed from another process). */
  publish(change: GraphChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        // a listener's bug must not fail a write that already happened
        this.logger.error(`graph change listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** A change made by another process. */
  receive(change: GraphChange): void {
    this.publish(change);
  }

  /** Attaches the cross-process relay (one per process). */
  relayTo(outbound: GraphChangeOutbound, versionOf?: UserWriteVersion): void {
    this.outbound = outbound;
    this.versionOf = versionOf ?? null;
  }

  /**
   * The user's write version now (see UserWriteVersion): a reader that cached the user's state at
   * another version reads again, so a write answered by any process is seen even if its relayed
   * change has not arrived yet (strict read-your-writes across replicas).
   */
  userVersion(userId: string): Promise<string | undefined> {
    return this.versionOf && this.relayLive ? this.versionOf(userId) : Promise.resolve(undefined);
  }

  /**
   * Whether other processes' changes reach this one. While not, readers keep graph state only
   * briefly (see UserStateService); each transition drops everything, since changes may have been missed.
   */
  get relayed(): boolean {
    return this.relayLive;
  }

  setRelayed(live: boolean): void {
    if (live === this.relayLive) return;
    this.relayLive = live;
    this.publish({ kind: 'everything' });
  }

  /** Publishes a change here, then hands it to the other processes (resolves once handed over). */
  async announce(change: GraphChange): Promise<void> {
    this.publish(change);
    if (this.outbound) await this.outbound(change);
  }

  /** Runs a write and announces its change afterwards, whether it succeeded or not. */
  async after<T>(change: GraphChange, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      await this.announce(change);
    }
  }
}
