import { Logger } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { Neo4jError } from 'neo4j-driver';
import { DomainError } from '../common/errors/domain-error';
import { seconds } from '../observability/metrics';
import type { Telemetry } from '../observability/telemetry';
import { finish } from '../observability/tracing';
import { mapNeo4jError } from './neo4j-errors';

/** One unit of work being measured: a session with its span; `query` times one statement inside it. */
export interface Neo4jUnit {
  readonly span: Span | null;
  query<T>(key: string, run: () => Promise<T>): Promise<T>;
  end(err?: unknown): void;
}

const NONE: Neo4jUnit = { span: null, query: (_key, run) => run(), end: () => undefined };

/**
 * The Neo4j client's metrics, spans and debug lines (docs/observability.md): per unit of work its
 * duration by tag, access mode and outcome, errors by the domain reason they map to, one span (and
 * one per statement under it), and with LOG_LEVEL=debug one line per unit carrying the request id.
 * Without telemetry (CLI tools) every call is a pass-through.
 */
export class Neo4jTelemetry {
  private readonly logger = new Logger('Neo4j');

  constructor(private readonly telemetry: Telemetry | undefined) {}

  begin(tag: string, mode: 'READ' | 'WRITE'): Neo4jUnit {
    const t = this.telemetry;
    if (!t || (!t.metrics && !t.tracing.enabled && !t.debugLogs)) return NONE;
    const t0 = performance.now();
    const span = t.tracing.start(`neo4j ${tag}`, { 'db.system': 'neo4j', 'tastegraph.query': tag, 'tastegraph.neo4j.mode': mode });
    const metrics = t.metrics;
    return {
      span,
      query: async <T>(key: string, run: () => Promise<T>): Promise<T> => {
        const q0 = performance.now();
        const child = span ? t.tracing.start(`cypher ${key}`, { 'db.system': 'neo4j', 'tastegraph.query': key }, span) : null;
        try {
          const out = await run();
          metrics?.neo4jQuery.observe({ query: key }, seconds(performance.now() - q0));
          finish(child);
          return out;
        } catch (err) {
          finish(child, err);
          throw err;
        }
      },
      end: (err?: unknown) => {
        const ms = performance.now() - t0;
        // `error`: Neo4j failed; `aborted`: the caller's own code threw inside the unit of work
        const graphError = err instanceof Neo4jError;
        const outcome = err === undefined ? 'ok' : graphError ? 'error' : 'aborted';
        metrics?.neo4jSession.observe({ query: tag, mode, outcome }, seconds(ms));
        if (graphError) {
          const mapped = mapNeo4jError(err);
          const reason = mapped instanceof DomainError ? mapped.reason : err.code || 'UNKNOWN';
          metrics?.neo4jErrors.inc({ query: tag, reason });
          this.logger.warn({ msg: `neo4j ${tag} failed: ${reason}`, query: tag, mode, reason, ms: round(ms) });
        } else if (t.debugLogs) {
          this.logger.debug({ msg: `neo4j ${tag}`, query: tag, mode, outcome, ms: round(ms) });
        }
        finish(span, err);
      },
    };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
