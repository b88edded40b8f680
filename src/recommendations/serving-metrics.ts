import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Telemetry } from '../observability/telemetry';
import { UserStateService } from './user-state.service';

/** Scrape-time metrics of the serving caches: the per-user state cache's hits, misses, entries and bytes. */
@Injectable()
export class ServingMetrics implements OnModuleInit {
  constructor(
    private readonly users: UserStateService,
    @Optional() private readonly telemetry?: Telemetry,
  ) {}

  onModuleInit(): void {
    const metrics = this.telemetry?.metrics;
    if (!metrics) return;
    metrics.counterFrom({
      name: 'tastegraph_cache_requests_total',
      help: 'Serving cache lookups by cache and result (hit: answered from memory; miss: one Neo4j read)',
      labelNames: ['cache', 'result'] as const,
      read: () => {
        const s = this.users.stats();
        return [
          [{ cache: 'user-state', result: 'hit' }, s.userHits],
          [{ cache: 'user-state', result: 'miss' }, s.userMisses],
        ];
      },
    });
    metrics.gauge({
      name: 'tastegraph_cache_entries',
      help: 'Entries kept by a serving cache',
      labelNames: ['cache'] as const,
      collect: (g) => g.set({ cache: 'user-state' }, this.users.stats().cachedUsers),
    });
    metrics.gauge({
      name: 'tastegraph_cache_bytes',
      help: 'Estimated bytes kept by a serving cache (bounded by CACHE_MAX_BYTES)',
      labelNames: ['cache'] as const,
      collect: (g) => g.set({ cache: 'user-state' }, this.users.stats().cachedBytes),
    });
  }
}
