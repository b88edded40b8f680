import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { numericMetrics } from '../observability/flatten-metrics';
import { Telemetry } from '../observability/telemetry';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelStore } from './model-store';

/**
 * Scrape-time gauges of the models: the version this process serves (and its kind), its validation
 * metrics, and the newest registered version's (the last training run's) metrics from the registry.
 */
@Injectable()
export class ModelMetrics implements OnModuleInit {
  constructor(
    private readonly store: ModelStore,
    private readonly repo: ModelRegistryRepository,
    @Optional() private readonly telemetry?: Telemetry,
  ) {}

  onModuleInit(): void {
    const metrics = this.telemetry?.metrics;
    if (!metrics) return;
    metrics.gauge({
      name: 'tastegraph_model_active_info',
      help: 'The model version this process serves (1), by version id and kind; absent when none is loaded',
      labelNames: ['version', 'kind'] as const,
      collect: (g) => {
        g.reset();
        const active = this.store.active();
        if (active) g.set({ version: active.version.id, kind: active.version.kind }, 1);
      },
    });
    metrics.gauge({
      name: 'tastegraph_model_active_metric',
      help: "The served version's validation metrics as registered (e.g. recall@20, ndcg@20)",
      labelNames: ['version', 'kind', 'metric'] as const,
      collect: (g) => {
        g.reset();
        const v = this.store.active()?.version;
        if (v) for (const [metric, value] of numericMetrics(v.metrics)) g.set({ version: v.id, kind: v.kind, metric }, value);
      },
    });
    metrics.gauge({
      name: 'tastegraph_training_last_run_metric',
      help: "The newest registered version's validation metrics (the last training run that registered), from the registry",
      labelNames: ['version', 'kind', 'status', 'metric'] as const,
      collect: async (g) => {
        g.reset();
        const [v] = await this.repo.list(1).catch(() => []);
        if (v)
          for (const [metric, value] of numericMetrics(v.metrics)) g.set({ version: v.id, kind: v.kind, status: v.status, metric }, value);
      },
    });
  }
}
