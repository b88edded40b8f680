import { IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface StallReport {
  /** event-loop delay of the thread (how long a ready callback waited), ms */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
  /** garbage-collection pauses seen by this thread */
  gcPauses: number;
  gcPauseMaxMs: number;
  gcPauseTotalMs: number;
  /** pauses of 10 ms or more, by GC kind (major = mark-compact, minor = scavenge) */
  gcLong: Record<string, number>;
}

const GC_KINDS: Record<number, string> = { 1: 'major', 2: 'minor', 4: 'incremental', 8: 'weakcb' };

/** Measures where a thread's tail latency can come from while it runs: event-loop stalls and GC pauses. */
export class StallMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  private readonly gc: Array<{ kind: string; ms: number }> = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      this.gc.push({ kind: GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other', ms: e.duration });
  });

  constructor() {
    this.loop.enable();
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): StallReport {
    this.loop.disable();
    this.observer.disconnect();
    const ms = (ns: number) => +(ns / 1e6).toFixed(2);
    const gcLong: Record<string, number> = {};
    for (const g of this.gc) if (g.ms >= 10) gcLong[g.kind] = (gcLong[g.kind] ?? 0) + 1;
    return {
      loopDelayP50: ms(this.loop.percentile(50)),
      loopDelayP99: ms(this.loop.percentile(99)),
      loopDelayMax: ms(this.loop.max),
      gcPauses: this.gc.length,
      gcPauseMaxMs: +Math.max(0, ...this.gc.map((g) => g.ms)).toFixed(2),
      gcPauseTotalMs: +this.gc.reduce((t, g) => t + g.ms, 0).toFixed(1),
      gcLong,
    };
  }
}
