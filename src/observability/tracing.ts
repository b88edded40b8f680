import { Attributes, ROOT_CONTEXT, Span, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { currentRequest, runInRequest } from './request-context';

/** The span attribute every span of a request carries. */
export const REQUEST_ID_ATTRIBUTE = 'tastegraph.request_id';

/**
 * OpenTelemetry traces, off unless an OTLP/HTTP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT):
 * a provider of this app instance (not the global one, so several apps in one process stay apart),
 * spans batched and sent as OTLP JSON to `<endpoint>/v1/traces`. Parents are taken from the request
 * context (request-context.ts), so no global context manager is installed.
 */
export class Tracing {
  private readonly provider: BasicTracerProvider | null;
  private readonly tracer: Tracer | null;

  /** `sampleRatio`: the share of root spans (requests, jobs) recorded; their children follow the root's decision. */
  constructor(opts: { endpoint?: string; serviceName: string; version: string; sampleRatio?: number }) {
    if (!opts.endpoint) {
      this.provider = null;
      this.tracer = null;
      return;
    }
    const exporter = new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` });
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName, [ATTR_SERVICE_VERSION]: opts.version }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.sampleRatio ?? 1) }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
    });
    this.tracer = this.provider.getTracer('tastegraph', opts.version);
  }

  get enabled(): boolean {
    return this.tracer !== null;
  }

  /**
   * A span under `parent` (default: the current request's span), carrying the request id; null
   * when tracing is off. The caller ends it (`finish`).
   */
  start(name: string, attributes: Attributes = {}, parent: Span | undefined = currentRequest()?.span): Span | null {
    if (!this.tracer) return null;
    const requestId = currentRequest()?.requestId;
    const ctx = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    // A child of a request that was not sampled: nothing to record, skip building its attributes.
    if (parent && !parent.isRecording()) return trace.wrapSpanContext(parent.spanContext());
    return this.tracer.startSpan(name, { attributes: requestId ? { ...attributes, [REQUEST_ID_ATTRIBUTE]: requestId } : attributes }, ctx);
  }

  /**
   * Runs `fn` in a span that is the parent of the spans started inside it (a child request
   * context with the same id). Without tracing, `fn` runs as it is.
   */
  async inSpan<T>(name: string, attributes: Attributes, fn: (span: Span | null) => Promise<T>): Promise<T> {
    const span = this.start(name, attributes);
    if (!span) return fn(null);
    const store = currentRequest();
    try {
      const out = await runInRequest({ requestId: store?.requestId ?? '', span }, () => fn(span));
      finish(span);
      return out;
    } catch (err) {
      finish(span, err);
      throw err;
    }
  }

  /** Sends the spans still batched (tests, shutdown). */
  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

/** Ends a span, marking it as an error with the exception when `err` is given. */
export function finish(span: Span | null | undefined, err?: unknown): void {
  if (!span) return;
  if (err !== undefined) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  }
  span.end();
}
