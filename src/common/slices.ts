import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Entries one slice of a long loop covers before it yields to the event loop. At 16,384 a slice of the
 * catalogue and model-view loops costs ~5-20 ms on this project's 2-core machine (65,536 cost 30-70 ms), so a
 * 1.76M-item rebuild holds the serving thread no longer than that, collections aside
 * (docs/decisions/0039-catalogue-views-off-the-request-path.md).
 */
export const SLICE = 16_384;

/**
 * Runs `fn` over [0, n) in slices of `size`, yielding between them so requests keep being served while a
 * large structure is built. `fn` returning false stops early; the promise says whether every slice ran.
 */
export async function inSlices(n: number, fn: (from: number, to: number) => boolean | void, size = SLICE): Promise<boolean> {
  for (let from = 0; from < n; from += size) {
    if (fn(from, Math.min(n, from + size)) === false) return false;
    if (from + size < n) await nextTurn();
  }
  return true;
}
