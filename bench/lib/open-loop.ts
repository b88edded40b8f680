/** Fixed-arrival-rate load against one GraphQL URL, generated in a worker thread (open-loop-worker.js). */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { percentile } from './report';

export interface OpenLoopResult {
  sent: number;
  completed: number;
  achievedRps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  httpErrors: number;
  graphqlErrors: number;
  timeouts: number;
  generatorLateMs: number;
  /** every completed request's latency (ms), to merge the loads of several targets */
  latencies: number[];
  /** the seconds of the run with the highest p99 (where a tail comes from: spread out, or a few bad seconds) */
  worstSeconds: Array<{ second: number; p99: number; requests: number }>;
}

/** Per second of the run (by due time), p99 and count; the `n` worst seconds by p99. */
export function worstSeconds(latencies: number[], dueMs: number[], n = 3): OpenLoopResult['worstSeconds'] {
  const by = new Map<number, number[]>();
  dueMs.forEach((d, k) => {
    const s = Math.floor(d / 1000);
    if (!by.has(s)) by.set(s, []);
    by.get(s)!.push(latencies[k]);
  });
  return [...by]
    .map(([second, l]) => ({ second, p99: +percentile(l, 99).toFixed(1), requests: l.length }))
    .sort((a, b) => b.p99 - a.p99)
    .slice(0, n);
}

/** Fixed-arrival-rate load from a worker thread (bench/lib/open-loop-worker.js). */
export function openLoop(opts: {
  url: string;
  rate: number;
  durationS: number;
  bodies: string[];
  connections?: number;
}): Promise<OpenLoopResult> {
  const path = new URL(opts.url).pathname;
  return new Promise((ok, fail) => {
    const w = new Worker(join(__dirname, 'open-loop-worker.js'), {
      workerData: {
        url: opts.url,
        rate: opts.rate,
        durationS: opts.durationS,
        maxSockets: opts.connections ?? 8,
        requests: opts.bodies.map((body) => ({ path, body })),
      },
    });
    w.once('error', fail);
    w.once(
      'message',
      (m: {
        latencies: number[];
        dueMs: number[];
        sent: number;
        errors: number;
        httpErrors: number;
        graphqlErrors: number;
        timeouts: number;
        lateMs: number;
        elapsedMs: number;
      }) => {
        void w.terminate();
        const r = (v: number) => +v.toFixed(2);
        ok({
          sent: m.sent,
          completed: m.latencies.length,
          // answered per second of the whole run (until the last answer or timeout)
          achievedRps: r(m.latencies.length / (Math.max(m.elapsedMs, opts.durationS * 1000) / 1000)),
          p50: r(percentile(m.latencies, 50)),
          p90: r(percentile(m.latencies, 90)),
          p99: r(percentile(m.latencies, 99)),
          max: r(Math.max(...m.latencies)),
          errors: m.errors,
          httpErrors: m.httpErrors,
          graphqlErrors: m.graphqlErrors,
          timeouts: m.timeouts,
          generatorLateMs: r(m.lateMs),
          latencies: m.latencies,
          worstSeconds: worstSeconds(m.latencies, m.dueMs),
        });
      },
    );
  });
}
