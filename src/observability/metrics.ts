import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STAGE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const TRAINING_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200];

/**
 * The Prometheus metrics of this process (docs/observability.md lists them): one registry per app
 * instance (several apps in one test process never share counters), the process metrics from
 * prom-client, and the instruments the serving path, the graph client and the trainer's jobs
 * observe. Gauges read at scrape time (queue depth, active model, cache counters) are added by
 * their owners with `gauge`/`counter` and a `collect` function. Every replica exposes its own.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly graphqlDuration = new Histogram({
    name: 'tastegraph_graphql_request_duration_seconds',
    help: 'GraphQL operations from receipt to response, by root field(s), operation type and outcome (OK or the error code)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly servingStage = new Histogram({
    name: 'tastegraph_serving_stage_duration_seconds',
    help: 'Stages of a recommendations request (model, catalogue, user-state, ranking, onnx, rank, explain, total)',
    labelNames: ['stage'] as const,
    buckets: STAGE_BUCKETS,
    registers: [this.registry],
  });

  readonly servingEvents = new Counter({
    name: 'tastegraph_serving_events_total',
    help: 'Serving events: ranking-cached, ranking-computed, ranking-full',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly neo4jSession = new Histogram({
    name: 'tastegraph_neo4j_session_duration_seconds',
    help: 'Neo4j units of work (a session: one or several statements), by query key or tag, access mode and outcome',
    labelNames: ['query', 'mode', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly neo4jQuery = new Histogram({
    name: 'tastegraph_neo4j_query_duration_seconds',
    help: 'Single Cypher statements (run to last record), by query key',
    labelNames: ['query'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly neo4jErrors = new Counter({
    name: 'tastegraph_neo4j_errors_total',
    help: 'Failed Neo4j units of work, by query key or tag and the domain reason they were mapped to',
    labelNames: ['query', 'reason'] as const,
    registers: [this.registry],
  });

  readonly onnxDuration = new Histogram({
    name: 'tastegraph_onnx_inference_duration_seconds',
    help: 'ONNX Runtime calls: fold-in (user vector) and scoring, by graph',
    labelNames: ['graph'] as const,
    buckets: STAGE_BUCKETS,
    registers: [this.registry],
  });

  readonly trainingJobDuration = new Histogram({
    name: 'tastegraph_training_job_duration_seconds',
    help: 'Training jobs run by this worker, by model kind and outcome (registered, promoted, failed, cancelled)',
    labelNames: ['model', 'outcome'] as const,
    buckets: TRAINING_BUCKETS,
    registers: [this.registry],
  });

  readonly trainingStageDuration = new Histogram({
    name: 'tastegraph_training_stage_duration_seconds',
    help: 'Stages of training jobs run by this worker (overlap, export, train, validate_register, promote)',
    labelNames: ['stage'] as const,
    buckets: TRAINING_BUCKETS,
    registers: [this.registry],
  });

  constructor(opts: { prefix?: string; defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: opts.prefix ?? 'tastegraph_' });
  }

  /** A gauge read at scrape time (its `collect` sets the values). */
  gauge<L extends string>(cfg: { name: string; help: string; labelNames?: readonly L[]; collect: (g: Gauge<L>) => void | Promise<void> }) {
    return new Gauge<L>({
      name: cfg.name,
      help: cfg.help,
      labelNames: cfg.labelNames ?? [],
      registers: [this.registry],
      collect() {
        return cfg.collect(this);
      },
    });
  }

  /** A counter whose totals live elsewhere (e.g. a cache's hit count), copied at scrape time. */
  counterFrom<L extends string>(cfg: {
    name: string;
    help: string;
    labelNames: readonly L[];
    read: () => Array<[Record<L, string>, number]>;
  }) {
    return new Counter<L>({
      name: cfg.name,
      help: cfg.help,
      labelNames: cfg.labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of cfg.read()) this.inc(labels as never, value);
      },
    });
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Seconds from milliseconds, for the histograms. */
export const seconds = (ms: number): number => ms / 1000;
