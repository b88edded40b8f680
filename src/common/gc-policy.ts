import { setFlagsFromString } from 'node:v8';

/**
 * The serving process's garbage-collector policy, set once at start-up (src/main.ts).
 *
 * No allocation-site pretenuring: V8 learns which allocation sites make objects that survive and then allocates
 * theirs straight into the old generation. The start-up catalogue read keeps every decoded row, so the Neo4j
 * driver's decoding sites (records, lists, strings) were learnt as long-lived, and every later read through them
 * (user contexts on each miss, the periodic 1M-row catalogue re-read) went to the old generation too: 435 MB of
 * garbage per re-read at the 60× rung, swept by a major collection that marks the ~700 MB of live catalogue and
 * model on the serving thread. Without it the re-read promotes ~1 MB and costs 30% less CPU
 * (`node --expose-gc -r ts-node/register/transpile-only var/probe/reread.ts`, journal
 * docs/journal/2026-12-07-catalogue-reread-streamed.md).
 *
 * The old generation may double before the next major collection (`--heap-growing-percent=100`). V8's own factor on
 * this 2-core machine was ~1.25: at 200 requests/s, with 264 MB live at 1.06M items, a major collection every ~10 s,
 * each one a 40-90 ms p99 for the 10 s around it; doubled, none in 80 s (p99 of 10-s windows, median of eight: 28.8
 * and 50.6 ms → 8.8 and 11.3 ms; `WINDOWS=8 ... var/probe/retained-http.ts`). The cost: up to twice the live heap.
 */
export function applyGcPolicy(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString('--heap-growing-percent=100');
}
