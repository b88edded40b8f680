import { Injectable } from '@nestjs/common';
import { MaintenanceRepository } from './maintenance.repository';
import { MAINTENANCE_BATCH } from './sampling.settings';

export interface OverlapRefresh {
  /** FRIEND edges whose overlap was recomputed. */
  friendships: number;
  /** Edges that got a sampling key r.rk (edges written since the last refresh without one). */
  sampleKeys: { interacted: number; friend: number };
  elapsedMs: number;
}

/** Social overlap on FRIEND edges and the sampling keys supernode sampling relies on. */
@Injectable()
export class MaintenanceService {
  constructor(private readonly repo: MaintenanceRepository) {}

  /** Recomputes FRIEND.overlap (Jaccard of the two users' non-test item sets) for pairs under idPrefix. */
  async refreshOverlap(opts: { idPrefix?: string } = {}): Promise<number> {
    return this.repo.refreshOverlap(opts.idPrefix ?? '', MAINTENANCE_BATCH);
  }

  /** Gives every INTERACTED and FRIEND edge without a sampling key one (idempotent). */
  assignSampleKeys(): Promise<{ interacted: number; friend: number }> {
    return this.repo.assignSampleKeys(MAINTENANCE_BATCH);
  }

  /** What the training job calls before a snapshot: sampling keys, then overlap. */
  async refresh(opts: { idPrefix?: string } = {}): Promise<OverlapRefresh> {
    const t0 = Date.now();
    const sampleKeys = await this.assignSampleKeys();
    const friendships = await this.refreshOverlap(opts);
    return { friendships, sampleKeys, elapsedMs: Date.now() - t0 };
  }
}
