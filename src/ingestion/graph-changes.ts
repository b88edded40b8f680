import { Injectable, Logger } from '@nestjs/common';

/**
 * What a write of the ingestion API changed, published after the write (committed or failed: a
 * failed commit may still have landed). Readers that cache graph state (serving) drop what it
 * touched, so the next read after a mutation's answer sees the write.
 * - `userEdges`: these users' interactions or friendships changed (or the users were created/renamed)
 * - `itemsHidden`: these items were hidden or unhidden
 * - `itemsDeleted` / `usersDeleted`: removed with every edge (other users' state may refer to them)
 */
export type GraphChange =
  | { kind: 'userEdges'; userIds: string[] }
  | { kind: 'itemsHidden'; itemIds: string[] }
  | { kind: 'itemsDeleted'; itemIds: string[] }
  | { kind: 'usersDeleted'; userIds: string[] };

export type GraphChangeListener = (change: GraphChange) => void;

/** In-process change feed of the graph's write side (synchronous: listeners run before the mutation answers). */
@Injectable()
export class GraphChanges {
  private readonly logger = new Logger(GraphChanges.name);
  private readonly listeners = new Set<GraphChangeListener>();

  subscribe(listener: GraphChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

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

  /** Runs a write and publishes its change afterwards, whether it succeeded or not. */
  async after<T>(change: GraphChange, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.publish(change);
    }
  }
}
