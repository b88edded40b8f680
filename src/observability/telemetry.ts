import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../common/repo-root';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { Metrics } from './metrics';
import { Tracing } from './tracing';

const version = (): string => {
  try {
    return (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/**
 * What instrumented code reaches for: the metrics (null with METRICS_ENABLED=false: nothing is
 * observed), the tracer (a no-op without OTEL_EXPORTER_OTLP_ENDPOINT) and whether debug lines
 * (one per Neo4j unit of work) are written, so hot paths skip building them otherwise.
 */
@Injectable()
export class Telemetry implements OnApplicationShutdown {
  readonly metrics: Metrics | null;
  readonly tracing: Tracing;
  readonly debugLogs: boolean;
  /** Whether the one line per GraphQL operation (info) is written at this LOG_LEVEL. */
  readonly logsOperations: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.metrics = config.METRICS_ENABLED ? new Metrics() : null;
    this.tracing = new Tracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: config.OTEL_SERVICE_NAME,
      version: version(),
      sampleRatio: config.OTEL_TRACES_SAMPLE_RATIO,
    });
    this.debugLogs = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'verbose';
    this.logsOperations = this.debugLogs || config.LOG_LEVEL === 'log';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
