import { cpus } from 'node:os';
import { execFileSync } from 'node:child_process';

/** The machine a benchmark ran on, for its JSON line. */
export function machine(): Record<string, unknown> {
  let gpu: string | null;
  try {
    gpu =
      execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null;
  } catch {
    gpu = null;
  }
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', gpu, node: process.version };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}

export const median = (values: number[]): number => percentile(values, 50);

/**
 * A 95% bootstrap interval of the median of `values` (resampled with replacement, `draws` times, a
 * fixed-seed generator so a rerun on the same figures prints the same interval).
 */
export function medianInterval(values: number[], draws = 2_000): [number, number] {
  if (!values.length) return [NaN, NaN];
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
    return seed / 2 ** 32;
  };
  const medians: number[] = [];
  for (let d = 0; d < draws; d++) medians.push(median(values.map(() => values[Math.floor(rand() * values.length)])));
  return [percentile(medians, 2.5), percentile(medians, 97.5)];
}

/** Prints the one JSON line a benchmark ends with. */
export function emit(name: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures, machine: machine(), at: new Date().toISOString() })}\n`);
}
