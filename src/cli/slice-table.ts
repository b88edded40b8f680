import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MODEL_KINDS, ModelKind } from '../model-registry/model-kinds';
import { ModelVersionEntity } from '../model-registry/model-version.entity';
import { chooseSliceModels, sliceCandidates } from '../model-registry/slice-choice';

/**
 * `npm run slice-table -- ACTIVE CANDIDATE...`: the slice table promotion would build for the run ACTIVE against
 * the runs CANDIDATE (docs/recommendations.md, "Model per slice"), from their metrics: each argument a
 * metrics.json or a trainer event log (.jsonl, its `done` event). Prints one JSON line per slice. Reads files only.
 */
function metricsOf(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.jsonl')) return JSON.parse(text) as Record<string, unknown>;
  const done = text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event?: string; metrics?: Record<string, unknown> })
    .find((e) => e.event === 'done');
  if (!done?.metrics) throw new Error(`${path}: no done event with metrics`);
  return done.metrics;
}

function main(): void {
  const paths = process.argv.slice(2);
  if (paths.length < 1) throw new Error('usage: slice-table ACTIVE.(json|jsonl) [CANDIDATE.(json|jsonl) ...]');
  const versions = paths.map((path, n) => {
    const metrics = metricsOf(path);
    const kind = String(metrics.model ?? '').toUpperCase() as ModelKind;
    if (!MODEL_KINDS.includes(kind)) throw new Error(`${path}: metrics.model ${String(metrics.model)} is no model kind`);
    // the file name stands for the version id; later arguments count as newer registrations
    return { id: basename(path), kind, metrics, snapshotStats: null, createdAt: new Date(n) } as unknown as ModelVersionEntity;
  });
  const [active, ...rest] = versions;
  for (const row of chooseSliceModels(active, sliceCandidates(active, rest))) process.stdout.write(`${JSON.stringify(row)}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`slice-table failed: ${(err as Error).message}\n`);
  process.exit(1);
}
