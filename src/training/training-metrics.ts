import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Telemetry } from '../observability/telemetry';
import { TrainingQueueRepository } from './queue.repository';

/**
 * The `training` queue's jobs by state, read from Redis at scrape time. Every process sees the same
 * queue, so every replica reports the same figures: take max() across instances, not sum().
 */
@Injectable()
export class TrainingMetrics implements OnModuleInit {
  constructor(
    private readonly jobs: TrainingQueueRepository,
    @Optional() private readonly telemetry?: Telemetry,
  ) {}

  onModuleInit(): void {
    const metrics = this.telemetry?.metrics;
    if (!metrics) return;
    metrics.gauge({
      name: 'tastegraph_training_queue_jobs',
      help: 'Jobs in the training queue by state (waiting, active, delayed, completed, failed, ...); absent while Redis does not answer',
      labelNames: ['state'] as const,
      collect: async (g) => {
        g.reset();
        const counts = await this.jobs.counts().catch(() => null);
        if (counts) for (const [state, n] of Object.entries(counts)) g.set({ state }, n);
      },
    });
  }
}
