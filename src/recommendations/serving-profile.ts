import { Injectable, Optional } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Metrics } from '../observability/metrics';
import { Telemetry } from '../observability/telemetry';

const KEEP = 20_000;

/**
 * Per-stage timings of served requests (a ring buffer per stage), for the serving benchmark's
 * "where the time goes": model, user-state (cache or one Cypher round trip, and the slice model), catalogue, ranking
 * (the cached ranking or scoring: onnx = fold-in + scoring, rank = top-k, when they run),
 * neo4j-explain, explain, total; and event counts (ranking-cached, ranking-computed, ranking-full).
 */
@Injectable()
export class ServingProfile {
  private readonly stages = new Map<string, { values: Float64Array; n: number }>();
  private readonly counts = new Map<string, number>();
  /** The same stages and events as Prometheus histograms and counters (docs/observability.md), when metrics are on. */
  private readonly metrics: Metrics | null;

  constructor(@Optional() telemetry?: Telemetry) {
    this.metrics = telemetry?.metrics ?? null;
  }

  count(event: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    this.metrics?.servingEvents.inc({ event });
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** A clock for one request's stages, started now. */
  clock(): StageClock {
    return new StageClock(this);
  }

  record(stage: string, ms: number): void {
    let s = this.stages.get(stage);
    if (!s) this.stages.set(stage, (s = { values: new Float64Array(KEEP), n: 0 }));
    s.values[s.n % KEEP] = ms;
    s.n++;
    this.metrics?.servingStage.observe({ stage }, ms / 1000);
  }

  reset(): void {
    this.stages.clear();
    this.counts.clear();
  }

  /** Median and p99 per stage (ms) over the kept samples. */
  summary(): Record<string, { count: number; p50: number; p99: number }> {
    const out: Record<string, { count: number; p50: number; p99: number }> = {};
    for (const [stage, s] of this.stages) {
      const v = Array.from(s.values.subarray(0, Math.min(s.n, KEEP))).sort((a, b) => a - b);
      const at = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
      out[stage] = { count: s.n, p50: +at(0.5).toFixed(3), p99: +at(0.99).toFixed(3) };
    }
    return out;
  }
}

/** One request's stage timer: each lap records the time since the previous lap (or the start) under the stage's name. */
export class StageClock {
  private readonly start = performance.now();
  private last = this.start;

  constructor(private readonly profile: ServingProfile) {}

  lap(stage: string): void {
    const now = performance.now();
    this.profile.record(stage, now - this.last);
    this.last = now;
  }

  /** Records the whole request as `total`. */
  total(): void {
    this.profile.record('total', performance.now() - this.start);
  }
}
