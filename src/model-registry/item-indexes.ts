/**
 * A model's two item indexes, built when it loads (every replica, before the version can serve) and
 * held by its ModelArtifacts, so they are versioned, swapped and released with it: `ann` (dot
 * product, recommendations' candidates) and `similar` (cosine, similarItems' neighbours). Each is
 * EXACT below ANN_MIN_ITEMS; a build that fails leaves that one FAILED (exact scoring, reported on
 * /health/ready) and the other as built.
 */
import { annState } from './ann-index';
import { ModelArtifacts } from './artifacts';
import { buildCosineIndex } from './cosine-index';
import { BuiltIndex } from './hnsw-graph';

export interface IndexLogger {
  log(message: string): void;
  error(message: string): void;
}

/** Builds `model.ann` then `model.similar` (one after the other: each build is on the event loop, in slices). */
export async function buildItemIndexes(model: ModelArtifacts, minItems: number, versionId: string, logger: IndexLogger): Promise<void> {
  model.ann = await annState(model.itemEmb, model.dim, minItems);
  report(model.ann, `model ${versionId}: ANN index`, 'serving scores every item', logger);
  model.similar = await annState(model.itemEmb, model.dim, minItems, buildCosineIndex);
  report(model.similar, `model ${versionId}: similar-items index`, 'similarItems compares every item', logger);
}

function report(state: ModelArtifacts['ann'] | ModelArtifacts['similar'], what: string, fallback: string, logger: IndexLogger): void {
  if (state.status === 'READY') {
    const { buildMs, size, bytes }: BuiltIndex = state.index;
    logger.log(`${what} over ${size} items built in ${buildMs} ms (~${Math.round(bytes / 2 ** 20)} MiB)`);
  } else if (state.status === 'FAILED') {
    logger.error(`${what} not built, ${fallback}: ${state.error}`);
  }
}
